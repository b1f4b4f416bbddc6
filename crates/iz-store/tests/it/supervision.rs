//! What the store keeps of supervision: persons, violations (once each, with the officer's
//! handling), referrals and their deliveries — each change with its audit record.

use chrono::NaiveDate;
use iz_model::{Actor, LegalBasis, LegalBasisKind, Region, Role};
use iz_store::supervision::*;
use iz_store::testing::{minutes, t0};
use iz_store::{AuditFilter, SqliteOptions, SqliteStore, Store, StoreError, verify_audit};
use iz_supervision::referral::{Need, ReferralStatus, RulesTable};
use iz_supervision::{Evidence, Interval, Signal, Violation, ViolationKind};

fn store() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store =
        SqliteStore::open(&dir.path().join("iz.sqlite"), SqliteOptions::default()).expect("open");
    (store, dir)
}

fn officer() -> Actor {
    Actor {
        id: "user:probation-almaty".into(),
        role: Role::ProbationOfficer,
        region: Some(Region::parse("KZ-75").expect("a region")),
    }
}

fn order(name: &str, device: &str) -> NewSupervised {
    NewSupervised {
        iin: None,
        name: name.into(),
        officer: "probation-almaty".into(),
        region: Region::parse("KZ-75").expect("a region"),
        legal_basis: LegalBasis {
            kind: LegalBasisKind::CourtDecision,
            reference: "CD-2026-1182".into(),
            authority: "Almalinsky district court of Almaty".into(),
            issued_on: NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date"),
        },
        term: Interval {
            from: minutes(-60 * 24 * 90),
            until: minutes(60 * 24 * 365),
        },
        devices: vec![device.into()],
        restrictions: Default::default(),
        needs: [Need::Employment, Need::Housing].into_iter().collect(),
    }
}

fn opened(person: SupervisedId, kind: ViolationKind, started: i64) -> Signal {
    Signal::Opened(Violation {
        person,
        kind,
        started_at: minutes(started),
        opened_at: minutes(started + 1),
        observations: 2,
        evidence: Evidence {
            observation: None,
            local_time: "2026-11-25 15:00".into(),
            finding: None,
        },
    })
}

fn actions(store: &SqliteStore, prefix: &str) -> Vec<String> {
    let filter = AuditFilter {
        action: Some(prefix.into()),
        limit: 100,
        ..Default::default()
    };
    let mut found: Vec<String> = store
        .search_audit(&filter)
        .expect("search")
        .into_iter()
        .map(|r| r.action)
        .collect();
    found.reverse();
    found
}

#[test]
fn an_enrolled_person_reads_back_and_their_device_cannot_be_worn_by_another() {
    let (store, _dir) = store();
    let person = store
        .add_supervised(order("Ерлан Асанов", "BR-1"), &officer(), t0())
        .expect("enrolled");
    assert_eq!(
        store.get_supervised(person.id).expect("read"),
        Some(person.clone())
    );
    let taken = store
        .add_supervised(order("Другой", "BR-1"), &officer(), t0())
        .expect_err("taken");
    assert!(
        matches!(taken, StoreError::Conflict(ref m) if m.contains("BR-1")),
        "{taken}"
    );
    assert_eq!(
        store
            .list_supervised(&SupervisedFilter::default())
            .expect("list")
            .len(),
        1,
        "the refused one left nothing"
    );

    let caseload = SupervisedFilter {
        officer: Some("probation-almaty".into()),
        ..Default::default()
    };
    assert_eq!(
        store.list_supervised(&caseload).expect("list"),
        std::slice::from_ref(&person)
    );
    let other = SupervisedFilter {
        officer: Some("probation-astana".into()),
        ..Default::default()
    };
    assert!(store.list_supervised(&other).expect("list").is_empty());

    store
        .release_supervised(person.id, "term served", &officer(), minutes(5))
        .expect("released");
    assert!(store.list_supervised(&caseload).expect("list").is_empty());
    store
        .add_supervised(order("Следующий", "BR-1"), &officer(), minutes(6))
        .expect("the bracelet is free again");
    assert_eq!(
        actions(&store, "supervision."),
        [
            "supervision.enrol",
            "supervision.release",
            "supervision.enrol"
        ]
    );
}

#[test]
fn a_violation_is_kept_once_ended_by_the_monitor_and_handled_by_the_officer() {
    let (store, _dir) = store();
    let p = store
        .add_supervised(order("Ерлан Асанов", "BR-1"), &officer(), t0())
        .expect("enrolled");
    let exclusion = ViolationKind::Exclusion {
        zone: "victim-home".into(),
    };
    let first = store
        .record_signals(&[opened(p.id, exclusion.clone(), 0)], minutes(1))
        .expect("recorded");
    assert_eq!(first.len(), 1);
    assert!(
        store
            .record_signals(&[opened(p.id, exclusion.clone(), 0)], minutes(2))
            .expect("again")
            .is_empty(),
        "a signal seen again changes nothing"
    );
    assert_eq!(store.ongoing_violations().expect("ongoing").len(), 1);

    let ended = Signal::Ended {
        person: p.id,
        kind: exclusion.clone(),
        ended_at: minutes(9),
    };
    let touched = store.record_signals(&[ended], minutes(10)).expect("ended");
    assert_eq!(touched[0].ended_at, Some(minutes(9)));
    assert!(store.ongoing_violations().expect("ongoing").is_empty());

    let id = first[0].id;
    let no_reason = store
        .handle_violation(id, ViolationStatus::Closed, " ", &officer(), minutes(11))
        .expect_err("a reason");
    assert!(matches!(no_reason, StoreError::Conflict(_)));
    let acknowledged = store
        .handle_violation(
            id,
            ViolationStatus::Acknowledged,
            "",
            &officer(),
            minutes(11),
        )
        .expect("acknowledged");
    assert_eq!(
        acknowledged.acknowledged.as_ref().map(|h| h.by.as_str()),
        Some("user:probation-almaty")
    );
    let closed = store
        .handle_violation(
            id,
            ViolationStatus::Closed,
            "spoke with him; he took a wrong turn",
            &officer(),
            minutes(12),
        )
        .expect("closed");
    assert_eq!(closed.status, ViolationStatus::Closed);
    assert!(
        store
            .handle_violation(
                id,
                ViolationStatus::Acknowledged,
                "",
                &officer(),
                minutes(13)
            )
            .is_err(),
        "closed is final"
    );

    let listed = store
        .list_violations(&ViolationFilter {
            person: Some(p.id),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(listed, [closed]);
    assert_eq!(
        actions(&store, "violation."),
        ["violation.open", "violation.acknowledge", "violation.close"]
    );
    assert!(verify_audit(&store).expect("read the log").is_ok());
}

#[test]
fn referrals_are_proposed_once_sent_delivered_with_retries_and_counted_when_provided() {
    let (store, _dir) = store();
    let p = store
        .add_supervised(order("Ерлан Асанов", "BR-1"), &officer(), t0())
        .expect("enrolled");
    let table = RulesTable::builtin();
    let rules: Vec<_> = table.propose(&p.order.needs).into_iter().cloned().collect();
    let proposed = store
        .propose_referrals(p.id, &rules, t0())
        .expect("proposed");
    assert_eq!(proposed.len(), 2);
    assert!(
        store
            .propose_referrals(p.id, &rules, minutes(1))
            .expect("again")
            .is_empty(),
        "a standing proposal is not made twice"
    );

    let r = proposed[0].id;
    store
        .move_referral(r, ReferralStatus::Sent, "", &officer(), minutes(2))
        .expect("accepted");
    let due = store.due_deliveries(minutes(2), 10).expect("due");
    assert_eq!(
        due.iter()
            .map(|d| (d.referral.id, d.attempts))
            .collect::<Vec<_>>(),
        [(r, 0)]
    );
    assert_eq!(due[0].person.id, p.id);

    store
        .record_delivery(
            r,
            Err("503 from the platform".into()),
            minutes(2),
            minutes(3),
        )
        .expect("recorded");
    assert!(
        store
            .due_deliveries(minutes(2), 10)
            .expect("due")
            .is_empty(),
        "not before the retry time"
    );
    assert_eq!(
        store.due_deliveries(minutes(3), 10).expect("due")[0].attempts,
        1
    );
    store
        .record_delivery(r, Ok(()), minutes(3), minutes(3))
        .expect("delivered");
    assert!(
        store
            .due_deliveries(minutes(60), 10)
            .expect("due")
            .is_empty()
    );

    store
        .move_referral(
            r,
            ReferralStatus::InProgress,
            "",
            &Actor::system("social-services"),
            minutes(30),
        )
        .expect("taken up");
    assert_eq!(store.referrals_provided().expect("count"), 0);
    store
        .move_referral(
            r,
            ReferralStatus::Provided,
            "placed at a bakery",
            &Actor::system("social-services"),
            minutes(90),
        )
        .expect("provided");
    assert_eq!(store.referrals_provided().expect("count"), 1);
    let wrong = store
        .move_referral(r, ReferralStatus::Sent, "", &officer(), minutes(91))
        .expect_err("final");
    assert!(matches!(wrong, StoreError::Conflict(_)));
    let history: Vec<ReferralStatus> = store.list_referrals(Some(p.id)).expect("list")[0]
        .history
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(
        history,
        [
            ReferralStatus::Proposed,
            ReferralStatus::Sent,
            ReferralStatus::InProgress,
            ReferralStatus::Provided
        ]
    );
    assert_eq!(
        actions(&store, "referral."),
        [
            "referral.propose",
            "referral.propose",
            "referral.move",
            "referral.deliver",
            "referral.move",
            "referral.move"
        ]
    );
}
