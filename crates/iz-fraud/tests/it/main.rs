//! Specifications of the anti-fraud centre: events in, scores, hits and decisions out.

mod bad_input;
mod detectors;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use iz_fraud::*;
use iz_model::{LegalBasis, LegalBasisKind};

/// 2026-03-02 10:00 UTC plus `seconds`.
pub fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
        .single()
        .expect("a valid instant")
        + Duration::seconds(seconds)
}

pub fn acc(n: &str) -> AccountRef {
    AccountRef::new("KASPI", n)
}

/// A transfer of `tenge` from `from` to `to` at `t(at)`.
pub fn tx(id: &str, at: i64, from: &str, to: &str, tenge: i64) -> Transaction {
    Transaction {
        id: id.into(),
        at: t(at),
        from: acc(from),
        to: acc(to),
        amount_tiyn: tenge * 100,
        currency: "KZT".into(),
        channel: TransferChannel::PhoneTransfer,
        device_id: None,
        ip: None,
        payer_phone: None,
        qr_merchant: None,
    }
}

pub fn basis() -> LegalBasis {
    LegalBasis {
        kind: LegalBasisKind::CourtDecision,
        reference: "CD-2026-0042".into(),
        authority: "Almaty city court".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
    }
}

pub fn centre() -> FraudCentre {
    FraudCentre::new(Rules::default())
}

pub fn observe(c: &mut FraudCentre, e: Event) -> Observed {
    c.observe(&e).expect("accepted")
}

pub fn indicators(c: &FraudCentre, account: &str) -> Vec<String> {
    c.score(&acc(account))
        .expect("known")
        .1
        .into_iter()
        .map(|r| r.indicator)
        .collect()
}
