//! What the store keeps for the anti-fraud centre: cases proposed once per subject and handled
//! once, block-list and drug-shop listings with their withdrawal, the configurations put in
//! force — each change with its audit record. No transaction or call is ever written.

use chrono::NaiveDate;
use iz_fraud::{AccountRef, BlockEntry, BlockReason, BlockTarget, DrugShopDetails};
use iz_model::{Actor, LegalBasis, LegalBasisKind, Role};
use iz_store::fraud::*;
use iz_store::testing::{minutes, t0};
use iz_store::{AuditFilter, SqliteOptions, SqliteStore, Store, StoreError, verify_audit};
use serde_json::json;

fn store() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store =
        SqliteStore::open(&dir.path().join("iz.sqlite"), SqliteOptions::default()).expect("open");
    (store, dir)
}

fn analyst() -> Actor {
    Actor {
        id: "user:dana".into(),
        role: Role::Analyst,
        region: None,
    }
}

fn basis() -> LegalBasis {
    LegalBasis {
        kind: LegalBasisKind::CourtDecision,
        reference: "CD-2026-0901".into(),
        authority: "Specialised inter-district court of Almaty".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date"),
    }
}

fn block(account: &str) -> BlockEntry {
    BlockEntry {
        target: BlockTarget::Account(AccountRef::new("KASPI", account)),
        reason: BlockReason::ConfirmedDropper,
        at: t0(),
        legal_basis: basis(),
        expires_at: minutes(60 * 24 * 180),
    }
}

fn actions(store: &SqliteStore) -> Vec<String> {
    let mut found: Vec<String> = store
        .search_audit(&AuditFilter {
            action: Some("fraud.".into()),
            limit: 100,
            ..Default::default()
        })
        .expect("search")
        .into_iter()
        .map(|r| r.action)
        .collect();
    found.reverse();
    found
}

#[test]
fn a_subject_has_one_open_case_at_a_time_and_may_be_proposed_again_once_it_is_handled() {
    let (store, _dir) = store();
    let proposal = |subject: &str| {
        (
            CaseKind::Dropper,
            subject.to_string(),
            json!({ "score": 0.81, "reasons": [{ "indicator": "pass_through" }] }),
        )
    };
    let opened = store
        .open_fraud_cases(vec![proposal("KASPI/K1"), proposal("KASPI/K2")], t0())
        .expect("open");
    assert_eq!(opened.len(), 2);
    let again = store
        .open_fraud_cases(vec![proposal("KASPI/K1")], minutes(5))
        .expect("open again");
    assert!(again.is_empty(), "K1 is already waiting");
    let sim_box = store
        .open_fraud_cases(
            vec![(CaseKind::SimBox, "KASPI/K1".into(), json!({ "score": 0.7 }))],
            minutes(5),
        )
        .expect("another kind");
    assert_eq!(sim_box.len(), 1, "a case of another kind is its own");

    let (dismissed, listing) = store
        .handle_fraud_case(
            opened[0].id,
            None,
            "a payroll account",
            &analyst(),
            minutes(10),
        )
        .expect("dismiss");
    assert_eq!(dismissed.status, CaseStatus::Dismissed);
    assert!(listing.is_none());
    let reopened = store
        .open_fraud_cases(vec![proposal("KASPI/K1")], minutes(20))
        .expect("after handling");
    assert_eq!(reopened.len(), 1);

    let open = store
        .fraud_cases(Some(CaseStatus::Open), 100)
        .expect("list");
    let subjects: Vec<&str> = open.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["KASPI/K1", "KASPI/K1", "KASPI/K2"],
        "newest first"
    );
    assert_eq!(open[2].detail["reasons"][0]["indicator"], "pass_through");
    assert_eq!(
        actions(&store),
        [
            "fraud.case.open",
            "fraud.case.open",
            "fraud.case.open",
            "fraud.case.dismiss",
            "fraud.case.open"
        ]
    );
}

#[test]
fn confirming_a_case_lists_its_subject_in_the_same_transaction_and_a_case_is_handled_once() {
    let (store, _dir) = store();
    let case = store
        .open_fraud_cases(
            vec![(
                CaseKind::Dropper,
                "KASPI/K7".into(),
                json!({ "score": 0.9 }),
            )],
            t0(),
        )
        .expect("open")
        .remove(0);
    let (confirmed, listing) = store
        .handle_fraud_case(
            case.id,
            Some(block("K7")),
            "money out within minutes, 14 senders",
            &analyst(),
            minutes(3),
        )
        .expect("confirm");
    let listing = listing.expect("a listing");
    assert_eq!(confirmed.status, CaseStatus::Confirmed);
    let handled = confirmed.handled.expect("handled");
    assert_eq!(
        (handled.by.as_str(), handled.listing),
        ("user:dana", Some(listing.id))
    );
    assert_eq!(
        store.listings().expect("listings"),
        std::slice::from_ref(&listing)
    );
    assert_eq!(
        store
            .fraud_case(case.id)
            .expect("read")
            .expect("there")
            .status,
        CaseStatus::Confirmed
    );

    let twice = store.handle_fraud_case(case.id, None, "again", &analyst(), minutes(4));
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let missing = store.handle_fraud_case(999, None, "none", &analyst(), minutes(4));
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
    assert_eq!(
        store.listings().expect("listings").len(),
        1,
        "a refused handling adds nothing"
    );
    assert_eq!(
        actions(&store),
        ["fraud.case.open", "fraud.listing.add", "fraud.case.confirm"]
    );
}

#[test]
fn listings_are_withdrawn_once_with_a_reason_and_read_back_whole() {
    let (store, _dir) = store();
    let shop = DrugShopDetails {
        shop: "shop «Снег»".into(),
        at: t0(),
        accounts: vec![AccountRef::new("HALYK", "H-77")],
        numbers: vec!["+77011234567".into()],
        qr_merchants: vec!["QR-5501".into()],
        legal_basis: basis(),
        expires_at: minutes(60 * 24 * 90),
    };
    let a = store
        .add_listing(ListingBody::Block(block("K1")), &analyst(), t0())
        .expect("add");
    let b = store
        .add_listing(ListingBody::DrugShop(shop.clone()), &analyst(), t0())
        .expect("add");
    let withdrawn = store
        .withdraw_listing(a.id, "the court lifted the order", &analyst(), minutes(30))
        .expect("withdraw");
    assert_eq!(
        withdrawn.withdrawn.as_ref().map(|w| w.reason.as_str()),
        Some("the court lifted the order")
    );
    let twice = store.withdraw_listing(a.id, "again", &analyst(), minutes(31));
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");

    let all = store.listings().expect("listings");
    assert_eq!(all.len(), 2);
    assert!(all[0].withdrawn.is_some());
    assert_eq!(all[1].body, ListingBody::DrugShop(shop));
    assert_eq!(all[1].id, b.id);
    assert_eq!(
        actions(&store),
        [
            "fraud.listing.add",
            "fraud.listing.add",
            "fraud.listing.withdraw"
        ]
    );
}

#[test]
fn the_configuration_in_force_is_the_latest_applied_and_every_one_is_audited() {
    let (store, _dir) = store();
    assert_eq!(store.fraud_config().expect("read"), None);
    store
        .put_fraud_config(1, "version = 1\n", "file", &Actor::system("config"), t0())
        .expect("put");
    let second = store
        .put_fraud_config(2, "version = 2\n", "api", &analyst(), minutes(1))
        .expect("put");
    assert_eq!(store.fraud_config().expect("read"), Some(second));
    assert_eq!(actions(&store), ["fraud.config", "fraud.config"]);
    assert!(verify_audit(&store).expect("read the log").is_ok());
}
