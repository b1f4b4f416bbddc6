//! Call records: who was called by a risky number and when (for calls followed by transfers),
//! and the behaviour of each calling number (for SIM boxes).

use std::hash::BuildHasher;

use hashbrown::{HashMap, HashSet};

use crate::config::SimBoxConfig;
use crate::event::{CallRecord, CallerType};
use crate::explain::{Reason, noisy_or, ramp};

/// How many risky calls are kept per callee (the newest).
const RISKY_KEPT: usize = 4;
/// Distinct cells kept per number: enough to tell one from several.
const CELLS_KEPT: usize = 4;

/// A call from an unknown, SIP-gateway or international number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RiskyCall {
    pub caller: String,
    pub kind: &'static str,
    pub first_contact: bool,
    pub starts_at: i64,
    pub ends_at: i64,
}

#[derive(Debug, Clone, Default)]
struct NumberStats {
    out_calls: u32,
    in_calls: u32,
    short_calls: u32,
    callees: HashSet<u64>,
    cells: Vec<u64>,
    first_seen: i64,
    last_seen: i64,
    imei: Option<u64>,
    proposed: bool,
}

#[derive(Default)]
pub(crate) struct CallBook {
    hasher: hashbrown::DefaultHashBuilder,
    numbers: HashMap<String, NumberStats>,
    /// (caller, callee) pairs that have spoken before.
    pairs: HashSet<(u64, u64)>,
    risky_to: HashMap<String, Vec<RiskyCall>>,
    /// IMEI → the SIMs (numbers, hashed) seen in it.
    sims_of_imei: HashMap<u64, Vec<u64>>,
}

impl CallBook {
    /// Applies a call; returns a SIM-box proposal for the caller the first time it scores
    /// `propose_at` or more.
    pub fn observe(&mut self, call: &CallRecord, cfg: &SimBoxConfig) -> Option<(f64, Vec<Reason>)> {
        let at = call.at.timestamp();
        let ends = at + i64::from(call.duration_s);
        let caller_h = self.hasher.hash_one(call.caller.as_str());
        let callee_h = self.hasher.hash_one(call.callee.as_str());
        let first_contact = self.pairs.insert((caller_h, callee_h));
        let kind = match call.caller_type {
            CallerType::SipGateway => Some("sip_gateway"),
            CallerType::International => Some("international"),
            _ if first_contact => Some("unknown number"),
            _ => None,
        };
        if let Some(kind) = kind {
            let list = self.risky_to.entry(call.callee.clone()).or_default();
            if list.len() >= RISKY_KEPT {
                list.remove(0);
            }
            list.push(RiskyCall {
                caller: call.caller.clone(),
                kind: match kind {
                    "unknown number" if call.caller_type == CallerType::Fixed => {
                        "fixed, unknown number"
                    }
                    "unknown number" => "mobile, unknown number",
                    k => k,
                },
                first_contact,
                starts_at: at,
                ends_at: ends,
            });
        }
        let imei = call.caller_imei.as_ref().map(|i| self.hasher.hash_one(i));
        if let Some(imei) = imei {
            let sims = self.sims_of_imei.entry(imei).or_default();
            if !sims.contains(&caller_h) && sims.len() < 64 {
                sims.push(caller_h);
            }
        }
        {
            let callee = self
                .numbers
                .entry(call.callee.clone())
                .or_insert_with(|| NumberStats {
                    first_seen: at,
                    last_seen: at,
                    ..Default::default()
                });
            callee.in_calls += 1;
            callee.first_seen = callee.first_seen.min(at);
            callee.last_seen = callee.last_seen.max(at);
        }
        let cell = call.cell_id.as_ref().map(|c| self.hasher.hash_one(c));
        let cap = cfg.distinct_callees_full as usize;
        let s = self
            .numbers
            .entry(call.caller.clone())
            .or_insert_with(|| NumberStats {
                first_seen: at,
                last_seen: at,
                ..Default::default()
            });
        s.out_calls += 1;
        s.first_seen = s.first_seen.min(at);
        s.last_seen = s.last_seen.max(at);
        if call.duration_s <= cfg.short_call_s {
            s.short_calls += 1;
        }
        if s.callees.len() <= cap {
            s.callees.insert(callee_h);
        }
        if let Some(cell) = cell
            && !s.cells.contains(&cell)
            && s.cells.len() < CELLS_KEPT
        {
            s.cells.push(cell);
        }
        if imei.is_some() {
            s.imei = imei;
        }
        if s.proposed {
            return None;
        }
        let sims = s
            .imei
            .and_then(|i| self.sims_of_imei.get(&i))
            .map_or(0, Vec::len);
        let (score, reasons) = sim_box_score(s, sims, cfg);
        if score >= cfg.propose_at {
            if let Some(s) = self.numbers.get_mut(&call.caller) {
                s.proposed = true;
            }
            return Some((score, reasons));
        }
        None
    }

    /// The latest risky call to `phone` that was going on at `at` or ended at most `window`
    /// seconds before it.
    pub fn risky_call_before(&self, phone: &str, at: i64, window: i64) -> Option<RiskyCall> {
        self.risky_to
            .get(phone)?
            .iter()
            .rev()
            .find(|c| c.starts_at <= at && at <= c.ends_at + window)
            .cloned()
    }

    /// Every number scoring `propose_at` or more now, best first.
    pub fn proposals(&self, cfg: &SimBoxConfig) -> Vec<(String, f64, Vec<Reason>)> {
        let mut out: Vec<_> = self
            .numbers
            .iter()
            .filter_map(|(n, s)| {
                let sims = s
                    .imei
                    .and_then(|i| self.sims_of_imei.get(&i))
                    .map_or(0, Vec::len);
                let (score, reasons) = sim_box_score(s, sims, cfg);
                (score >= cfg.propose_at).then(|| (n.clone(), score, reasons))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

fn sim_box_score(s: &NumberStats, sims_in_imei: usize, cfg: &SimBoxConfig) -> (f64, Vec<Reason>) {
    let w = &cfg.weights;
    let mut r = Vec::new();
    if s.out_calls < cfg.min_calls {
        return (0.0, r);
    }
    let ratio = f64::from(s.out_calls) / f64::from(s.in_calls + 1);
    let x = ramp(ratio, 1.0, cfg.out_per_in);
    if x > 0.0 {
        r.push(Reason::new(
            "out_in_ratio",
            ratio,
            w.out_in_ratio,
            x,
            format!("{} outgoing, {} incoming calls", s.out_calls, s.in_calls),
        ));
    }
    let callees = s.callees.len() as f64;
    let x = ramp(callees, 1.0, f64::from(cfg.distinct_callees_full));
    if x > 0.0 {
        r.push(Reason::new(
            "distinct_callees",
            callees,
            w.distinct_callees,
            x,
            format!("{callees} distinct numbers called"),
        ));
    }
    let short = f64::from(s.short_calls) / f64::from(s.out_calls);
    if short > 0.0 {
        r.push(Reason::new(
            "short_calls",
            short,
            w.short_calls,
            short,
            format!(
                "{:.0}% of calls of {} s or less",
                short * 100.0,
                cfg.short_call_s
            ),
        ));
    }
    if s.cells.len() == 1 {
        r.push(Reason::new(
            "fixed_cell",
            1.0,
            w.fixed_cell,
            1.0,
            format!("all {} calls from one cell", s.out_calls),
        ));
    }
    let age_days = (s.last_seen - s.first_seen) as f64 / 86_400.0;
    if age_days <= cfg.new_sim_days as f64 {
        r.push(Reason::new(
            "new_sim",
            age_days,
            w.new_sim,
            1.0,
            format!("first seen {age_days:.1} days before its latest call"),
        ));
    }
    let x = ramp(sims_in_imei as f64, 1.0, f64::from(cfg.sims_per_imei_full));
    if x > 0.0 {
        r.push(Reason::new(
            "sims_per_imei",
            sims_in_imei as f64,
            w.sims_per_imei,
            x,
            format!("{sims_in_imei} SIMs seen in its handset (IMEI)"),
        ));
    }
    (noisy_or(r.iter().map(|r| r.contribution)), r)
}
