//! AMLSim sample folders (IBM's anti-money-laundering simulator): `nodes.csv` and
//! `transactions.csv`, read and replayed through the detectors in time order.
//!
//! Only what a bank would know is read: the account ids from `nodes.csv` (`nodeid`; the label
//! columns `isFraud` and `fraudStep` are never read, nor `init_balance`), and from
//! `transactions.csv` the columns `sourceNodeId`, `targetNodeId`, `value` and `time` found by
//! name (more columns are ignored). A `value` is an amount in tenge, turned into tiyn; a `time`
//! is a simulation step, taken as one day from 2026-01-01 00:00 UTC.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::centre::FraudCentre;
use crate::config::Rules;
use crate::error::InvalidSample;
use crate::event::{AccountRef, Event, Transaction, TransferChannel};

/// The bank every AMLSim account is taken to be at.
pub const BANK: &str = "AMLSIM";

/// One transfer of a sample, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleTransfer {
    pub row: u64,
    pub from: String,
    pub to: String,
    pub amount_tiyn: i64,
    pub step: i64,
}

/// The account ids of `nodes.csv`, in file order.
pub fn read_nodes(csv_text: &[u8]) -> Result<Vec<String>, InvalidSample> {
    let mut r = csv::ReaderBuilder::new().from_reader(csv_text);
    let headers = r.headers().map_err(|e| bad("nodes.csv", 1, e))?.clone();
    let col = find(&headers, "nodeid", "nodes.csv")?;
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad("nodes.csv", line, e))?;
        let id = rec.get(col).unwrap_or("").trim();
        if id.is_empty() {
            return Err(bad("nodes.csv", line, "empty nodeid"));
        }
        out.push(id.to_string());
    }
    Ok(out)
}

/// The transfers of `transactions.csv`, in file order.
pub fn read_transactions(csv_text: &[u8]) -> Result<Vec<SampleTransfer>, InvalidSample> {
    const F: &str = "transactions.csv";
    let mut r = csv::ReaderBuilder::new().from_reader(csv_text);
    let headers = r.headers().map_err(|e| bad(F, 1, e))?.clone();
    let (src, dst, value, time) = (
        find(&headers, "sourceNodeId", F)?,
        find(&headers, "targetNodeId", F)?,
        find(&headers, "value", F)?,
        find(&headers, "time", F)?,
    );
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(F, line, e))?;
        let field = |c: usize| rec.get(c).unwrap_or("").trim();
        let tenge: f64 = field(value)
            .parse()
            .map_err(|_| bad(F, line, format!("value {:?} is not a number", field(value))))?;
        let step: i64 = field(time)
            .parse::<f64>()
            .map_err(|_| bad(F, line, format!("time {:?} is not a number", field(time))))?
            as i64;
        out.push(SampleTransfer {
            row: line,
            from: field(src).to_string(),
            to: field(dst).to_string(),
            amount_tiyn: (tenge * 100.0).round() as i64,
            step,
        });
    }
    Ok(out)
}

/// The instant of a simulation step.
pub fn step_time(step: i64) -> DateTime<Utc> {
    let origin = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    origin + Duration::days(step)
}

/// A sample transfer as the event a bank would send.
pub fn transaction(t: &SampleTransfer) -> Transaction {
    Transaction {
        id: format!("amlsim-{}", t.row),
        at: step_time(t.step),
        from: AccountRef::new(BANK, t.from.clone()),
        to: AccountRef::new(BANK, t.to.clone()),
        amount_tiyn: t.amount_tiyn,
        currency: crate::centre::CURRENCY.to_string(),
        channel: TransferChannel::Interbank,
        device_id: None,
        ip: None,
        payer_phone: None,
        qr_merchant: None,
    }
}

/// What a replay found: every node's score in `nodes.csv` order, and what was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub scores: Vec<(String, f64)>,
    pub refused: Vec<(u64, String)>,
}

/// Replays the transfers in time order (file order within a step), propagates, and scores
/// every node (one never seen in a transfer scores 0).
pub fn replay(
    nodes: &[String],
    mut transfers: Vec<SampleTransfer>,
    rules: Rules,
) -> (FraudCentre, Replay) {
    transfers.sort_by_key(|t| (t.step, t.row));
    let mut centre = FraudCentre::new(rules);
    let mut refused = Vec::new();
    for t in &transfers {
        if let Err(e) = centre.observe(&Event::Transaction(transaction(t))) {
            refused.push((t.row, e.to_string()));
        }
    }
    centre.propagate();
    let scores = nodes
        .iter()
        .map(|n| {
            let score = centre
                .score(&AccountRef::new(BANK, n.clone()))
                .map_or(0.0, |(s, _)| s);
            (n.clone(), score)
        })
        .collect();
    (centre, Replay { scores, refused })
}

fn find(
    headers: &csv::StringRecord,
    name: &str,
    file: &'static str,
) -> Result<usize, InvalidSample> {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .ok_or_else(|| {
            bad(
                file,
                1,
                format!("no column {name:?} (columns: {headers:?})"),
            )
        })
}

fn bad(file: &'static str, line: u64, e: impl std::fmt::Display) -> InvalidSample {
    InvalidSample {
        file,
        line,
        message: e.to_string(),
    }
}
