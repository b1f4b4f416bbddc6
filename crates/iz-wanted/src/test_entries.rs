//! A live watch entry for the matchers' tests; each test sets what it is about.

use chrono::{DateTime, Utc};
use iz_model::{
    Category, LegalBasis, LegalBasisKind, Person, Priority, Region, WatchEntry, WatchId, WatchKind,
    WatchStatus,
};

pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

/// An active entry of `kind` in Almaty, expiring on 1 January 2027, knowing nobody yet.
pub fn entry(id: WatchId, kind: WatchKind) -> WatchEntry {
    WatchEntry {
        id,
        kind,
        person: Person::default(),
        legal_basis: LegalBasis {
            kind: LegalBasisKind::Warrant,
            reference: "W-1".into(),
            authority: "court".into(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        },
        expires_at: t("2027-01-01T00:00:00Z"),
        region: Region::parse("KZ-75").expect("region"),
        priority: Priority::Normal,
        category: Category::EvadingCourt,
        status: WatchStatus::Active,
        created_at: t("2026-01-01T00:00:00Z"),
        created_by: "test".into(),
        vehicle: None,
        link: None,
        faces: Vec::new(),
    }
}
