//! Builders for tests, and the contract every [`Store`] backend must keep.
//!
//! The contract is a set of plain functions in [`contract`], each taking a fresh, empty store
//! and checking one behaviour. A backend's test binary turns them into `#[test]`s with
//! [`store_contract_tests!`](crate::store_contract_tests), giving it a function that makes an
//! empty store and something to keep alive while it is used (a temporary folder, a scratch
//! schema):
//!
//! ```ignore
//! iz_store::store_contract_tests!(iz_store::testing::temp_sqlite);
//! ```
//!
//! Times in the builders are fixed ([`t0`] and [`minutes`]), so tests read like timelines.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use iz_model::{
    Actor, Category, Decision, Event, EventKind, Hit, Iin, LegalBasis, LegalBasisKind,
    MatchedField, NewWatchEntry, Person, Place, Priority, Region, Review, Sex, WatchEntry,
    WatchKind,
};

use crate::{BatchCommit, HitRecord, SqliteOptions, SqliteStore, Store};

/// The tests' "now": 2026-11-25 10:00 UTC, on the hour.
pub fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_600_800, 0).expect("a fixed time")
}

/// `n` minutes after (or, negative, before) [`t0`].
pub fn minutes(n: i64) -> DateTime<Utc> {
    t0() + chrono::Duration::minutes(n)
}

/// The administrator acting in tests.
pub fn admin() -> Actor {
    Actor::system("test")
}

/// A valid IIN, different for every `n` below 1000.
pub fn iin(n: u16) -> String {
    let birth = NaiveDate::from_ymd_opt(1990, 5, 14).expect("a date");
    // Some serials have no check digit; each `n` owns ten serials, and one of them has.
    (0..10)
        .find_map(|k| Iin::compose(birth, Sex::Male, n * 10 + k))
        .expect("one of ten serials has a check digit")
        .to_string()
}

fn region(code: &str) -> Region {
    Region::parse(code).expect("a region code")
}

/// A wanted person (evading investigation, high priority) placed by `region`, on a warrant,
/// expiring a year after [`t0`].
pub fn wanted_entry(iin: &str, region_code: &str) -> NewWatchEntry {
    NewWatchEntry {
        kind: WatchKind::Wanted,
        person: Person {
            iin: Some(Iin::parse(iin).expect("a valid IIN")),
            names: vec!["Асанов Ерлан Серікұлы".into()],
            ..Person::default()
        },
        legal_basis: LegalBasis {
            kind: LegalBasisKind::Warrant,
            reference: "W-2026-0001".into(),
            authority: "Almaty city court".into(),
            issued_on: NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date"),
        },
        expires_at: t0() + chrono::Duration::days(365),
        region: region(region_code),
        priority: Priority::High,
        category: Category::EvadingInvestigation,
        vehicle: None,
        link: None,
        faces: Vec::new(),
    }
}

/// A missing person: sought for their own sake.
pub fn missing_person_entry(iin: &str, region_code: &str) -> NewWatchEntry {
    NewWatchEntry {
        legal_basis: LegalBasis {
            kind: LegalBasisKind::SearchOrder,
            reference: "S-2026-0042".into(),
            authority: "Almaty city police".into(),
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date"),
        },
        category: Category::MissingPerson,
        priority: Priority::Critical,
        ..wanted_entry(iin, region_code)
    }
}

/// A public-service request by the person with `iin`, received a second after it happened, at
/// an office in `region` (no place at all when `None`).
pub fn event(
    id: &str,
    source: &str,
    iin: &str,
    occurred_at: DateTime<Utc>,
    region_code: Option<&str>,
) -> Event {
    Event {
        id: id.into(),
        kind: EventKind::ServiceRequest,
        source: source.into(),
        occurred_at,
        received_at: occurred_at + chrono::Duration::seconds(1),
        place: region_code.map(|code| Place {
            region: Some(region(code)),
            office: Some("CON-12".into()),
            ..Place::default()
        }),
        subject: Person {
            iin: Some(Iin::parse(iin).expect("a valid IIN")),
            ..Person::default()
        },
        plate: None,
        face: None,
        payload: None,
    }
}

/// An exact IIN hit of `event` on `entry`.
pub fn hit_record(event: Event, entry: &WatchEntry) -> HitRecord {
    let value = event.subject.iin.map(|i| i.to_string()).unwrap_or_default();
    HitRecord {
        hit: Hit {
            explanation: None,
            watch_id: entry.id,
            matcher: "wanted.iin".into(),
            score: 1.0,
            matched: vec![MatchedField {
                field: "iin".into(),
                value,
                how: "exact".into(),
            }],
        },
        event,
        entry: Arc::new(entry.clone()),
    }
}

/// A batch of hits with the default fold policy, no counts and no audit record.
pub fn batch(hits: Vec<HitRecord>) -> BatchCommit {
    BatchCommit {
        hits,
        ..BatchCommit::default()
    }
}

/// A decision by the test administrator.
pub fn review(decision: Decision, at: DateTime<Utc>) -> Review {
    let reason = match decision {
        Decision::Confirm => "identity checked on site",
        Decision::Reject => "a different person with a similar document",
    };
    Review {
        decision,
        reason: reason.into(),
        by: admin().id,
        at,
    }
}

/// A password hash as the console stores it: a PHC string (argon2id). Only its shape matters
/// to the store, which never checks a password.
pub const PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$Vv4Hk1QkZc1p2Q2sKX1kq8iO0hJm3n5p7r9t1v3x5zA";

/// An empty SQLite store in a temporary folder, removed when the folder is dropped.
pub fn temp_sqlite() -> (Box<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = SqliteStore::open(&dir.path().join("iz.sqlite"), SqliteOptions::default())
        .expect("open the store");
    (Box::new(store), dir)
}

/// Runs one contract check on a fresh store from `make`, then drops the store before its guard.
pub fn run<G>(make: impl FnOnce() -> (Box<dyn Store>, G), check: fn(&dyn Store)) {
    let (store, guard) = make();
    check(&*store);
    drop(store);
    drop(guard);
}

/// Generates one `#[test]` per behaviour in [`contract`](crate::testing::contract), each on a
/// fresh store from `$make`: an expression callable as `fn() -> (Box<dyn Store>, Guard)`, where
/// the guard keeps what the store needs alive until the test ends.
#[macro_export]
macro_rules! store_contract_tests {
    ($make:expr) => {
        $crate::store_contract_tests!(@tests $make;
            an_added_entry_gets_an_id_and_reads_back,
            adding_many_entries_stores_each_with_its_own_audit_record,
            withdrawing_an_entry_records_who_withdrew_it_and_why,
            withdrawing_twice_is_a_conflict_and_a_missing_entry_is_not_found,
            active_entries_include_expired_ones_and_leave_out_the_rest,
            the_watch_version_moves_with_every_watch_change_and_only_then,
            listing_entries_pages_by_id_and_filters_by_status_and_region,
            a_first_hit_opens_an_alert_from_its_entry,
            hits_within_the_window_fold_into_one_alert,
            a_hit_after_the_window_opens_a_new_alert,
            the_window_is_measured_from_the_latest_hit,
            the_fold_window_is_the_batchs_policy,
            hits_from_another_source_open_their_own_alert,
            one_event_hitting_two_entries_opens_an_alert_for_each,
            redelivering_a_batch_changes_nothing,
            a_repeated_hit_within_one_batch_counts_once,
            a_late_hit_folds_without_moving_last_seen_back,
            a_folded_alert_reads_back_as_returned,
            alerts_go_to_the_region_where_the_person_was_seen_else_the_entry_region,
            a_missing_person_alert_is_flagged_as_one,
            confirming_an_alert_closes_its_entry_as_located,
            a_reviewed_alert_cannot_be_reviewed_again,
            reviewing_a_missing_alert_is_not_found,
            rejecting_an_alert_leaves_its_entry_active,
            an_entry_closed_by_one_alert_stays_closed_by_it,
            precision_is_reported_per_source,
            watch_counts_tell_live_from_expired_withdrawn_and_closed,
            event_counts_add_up_across_batches,
            a_token_is_found_by_its_hash_and_only_by_it,
            every_change_leaves_its_audit_record_and_the_chain_verifies,
            the_audit_head_is_the_last_record,
            appended_audit_records_come_back_in_order_unchanged,
            the_watch_add_record_names_the_legal_basis_not_the_person,
            a_batch_audit_record_is_written_with_the_batch,
            listing_alerts_filters_and_pages_newest_first,
            alert_hits_are_listed_oldest_first_with_the_event_as_received,
            a_user_reads_back_by_name_with_its_hash_and_a_taken_name_is_a_conflict,
            the_user_add_record_names_the_role_and_region_never_the_hash,
            failed_sign_ins_count_up_and_the_nth_locks_the_account,
            a_good_sign_in_resets_the_failures_and_the_lock,
            signing_in_an_unknown_user_is_not_found,
            a_session_is_found_by_its_hash_with_its_user_until_it_is_ended,
            ending_an_unknown_session_is_harmless_and_leaves_no_record,
            oversight_searches_the_log_by_actor_action_target_and_time,
            searching_entries_finds_names_iins_documents_and_references_ignoring_case,
            a_search_pages_and_combines_with_the_other_filters,
            entries_expiring_within_a_window_come_soonest_first,
            alerts_are_filtered_by_creation_time_and_counted,
            alert_activity_counts_creations_and_reviews_per_hour_and_source,
            audit_access_counts_each_actors_actions_with_their_latest_time,
            a_vehicle_entry_keeps_its_plate_and_its_link_and_is_found_by_plate,
            enrolled_face_templates_read_back_bit_for_bit_and_are_shown_as_a_count,
            under_the_two_person_rule_a_second_person_must_confirm,
        );
    };
    (@tests $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::testing::run($make, $crate::testing::contract::$name);
            }
        )*
    };
}

/// The behaviours every backend keeps, one function each, on an empty store.
pub mod contract {
    use chrono::{DateTime, Utc};
    use iz_audit::AuditDraft;
    use iz_model::{
        Actor, Alert, AlertId, AlertStatus, Category, Decision, EventKind, FoldPolicy, Priority,
        Region, Role, WatchEntry, WatchKind, WatchStatus,
    };
    use serde_json::json;

    use super::{
        PASSWORD_HASH, admin, batch, event, hit_record, iin, minutes, missing_person_entry, review,
        t0, wanted_entry,
    };
    use crate::{
        AccessCount, AlertActivity, AlertChange, AlertFilter, BatchCommit, EventCount,
        LockoutPolicy, SessionInfo, SourcePrecision, Store, StoreError, UserInfo, WatchFilter,
        verify_audit,
    };

    // --- helpers ---------------------------------------------------------------------------

    fn region(code: &str) -> Region {
        Region::parse(code).expect("a region code")
    }

    fn add(store: &dyn Store, n: u16, region_code: &str) -> WatchEntry {
        store
            .add_watch(wanted_entry(&iin(n), region_code), &admin(), t0())
            .expect("add an entry")
    }

    fn entry_iin(entry: &WatchEntry) -> String {
        entry
            .person
            .iin
            .map(|i| i.to_string())
            .expect("the entry has an IIN")
    }

    /// Commits a one-hit batch: `entry`'s person seen by `source` at minute `at`.
    fn see(
        store: &dyn Store,
        entry: &WatchEntry,
        event_id: &str,
        source: &str,
        at: i64,
        region_code: Option<&str>,
    ) -> AlertChange {
        let ev = event(
            event_id,
            source,
            &entry_iin(entry),
            minutes(at),
            region_code,
        );
        let mut outcome = store
            .commit_batch(batch(vec![hit_record(ev, entry)]))
            .expect("commit a batch");
        assert_eq!(outcome.repeated_hits, 0, "{event_id} was new");
        assert_eq!(outcome.changes.len(), 1);
        outcome.changes.pop().expect("one change")
    }

    fn created(change: AlertChange) -> Alert {
        match change {
            AlertChange::Created(alert) => alert,
            AlertChange::Folded(alert) => {
                panic!("expected a new alert, alert {} was folded into", alert.id)
            }
        }
    }

    fn folded(change: AlertChange) -> Alert {
        match change {
            AlertChange::Folded(alert) => alert,
            AlertChange::Created(alert) => {
                panic!("expected a fold, alert {} was created", alert.id)
            }
        }
    }

    fn alert(store: &dyn Store, id: AlertId) -> Alert {
        store
            .get_alert(id)
            .expect("read")
            .expect("the alert exists")
    }

    fn ids(alerts: &[Alert]) -> Vec<AlertId> {
        alerts.iter().map(|a| a.id).collect()
    }

    fn actions(store: &dyn Store) -> Vec<String> {
        store
            .audit_records(1, 10_000)
            .expect("audit records")
            .into_iter()
            .map(|r| r.action)
            .collect()
    }

    fn list(store: &dyn Store, filter: AlertFilter) -> Vec<AlertId> {
        ids(&store.list_alerts(&filter).expect("list alerts"))
    }

    /// An operator of Almaty named `name`, added by the test administrator at [`t0`].
    fn add_operator(store: &dyn Store, name: &str) -> UserInfo {
        store
            .add_user(
                name,
                PASSWORD_HASH,
                Role::Operator,
                Some(region("KZ-75")),
                &admin(),
                t0(),
            )
            .expect("add a user")
    }

    fn user_named(store: &dyn Store, name: &str) -> UserInfo {
        store
            .find_user(name)
            .expect("find a user")
            .expect("the user exists")
            .0
    }

    /// Three failures in a row lock the account for a quarter of an hour.
    fn three_strikes() -> LockoutPolicy {
        LockoutPolicy {
            after_failures: 3,
            lock_for: chrono::Duration::minutes(15),
        }
    }

    fn fail(store: &dyn Store, user: &UserInfo, at: DateTime<Utc>) -> UserInfo {
        store
            .record_sign_in(user.id, false, three_strikes(), at)
            .expect("record a failed sign-in")
    }

    fn succeed(store: &dyn Store, user: &UserInfo, at: DateTime<Utc>) -> UserInfo {
        store
            .record_sign_in(user.id, true, three_strikes(), at)
            .expect("record a sign-in")
    }

    /// The audit records from `from_seq` on, as (actor, action, target).
    fn trail(store: &dyn Store, from_seq: u64) -> Vec<(String, String, String)> {
        store
            .audit_records(from_seq, 10_000)
            .expect("audit records")
            .into_iter()
            .map(|r| (r.actor, r.action, r.target))
            .collect()
    }

    fn entry3(actor: &str, action: &str, target: &str) -> (String, String, String) {
        (actor.into(), action.into(), target.into())
    }

    // --- watch-list ------------------------------------------------------------------------

    pub fn an_added_entry_gets_an_id_and_reads_back(store: &dyn Store) {
        let first = add(store, 1, "KZ-75");
        let second = add(store, 2, "KZ-71");
        assert!(first.id > 0);
        assert!(
            second.id > first.id,
            "ids grow: {} then {}",
            first.id,
            second.id
        );
        assert_eq!(first.status, WatchStatus::Active);
        assert_eq!(first.created_by, admin().id);
        assert_eq!(first.created_at, t0());
        assert_eq!(first.person.iin.map(|i| i.to_string()), Some(iin(1)));
        assert_eq!(
            store.get_watch(first.id).expect("read"),
            Some(first.clone())
        );
        assert_eq!(
            store.get_watch(second.id).expect("read"),
            Some(second.clone())
        );
        assert_eq!(store.get_watch(second.id + 1000).expect("read"), None);
    }

    pub fn adding_many_entries_stores_each_with_its_own_audit_record(store: &dyn Store) {
        let news = vec![
            wanted_entry(&iin(1), "KZ-75"),
            wanted_entry(&iin(2), "KZ-71"),
            wanted_entry(&iin(3), "KZ-19"),
        ];
        let added = store
            .add_watch_many(news, &admin(), t0())
            .expect("add many");
        assert_eq!(added.len(), 3);
        assert!(added.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(store.active_watch_entries().expect("active"), added);
        let records = store.audit_records(1, 100).expect("audit");
        let targets: Vec<_> = records
            .iter()
            .filter(|r| r.action == "watch.add")
            .map(|r| r.target.clone())
            .collect();
        assert_eq!(
            targets,
            added
                .iter()
                .map(|e| format!("watch:{}", e.id))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            store
                .add_watch_many(Vec::new(), &admin(), t0())
                .expect("add none"),
            Vec::new()
        );
    }

    pub fn withdrawing_an_entry_records_who_withdrew_it_and_why(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let withdrawn = store
            .withdraw_watch(entry.id, "warrant recalled", &admin(), minutes(5))
            .expect("withdraw");
        let expected = WatchStatus::Withdrawn {
            reason: "warrant recalled".into(),
            by: admin().id,
            at: minutes(5),
        };
        assert_eq!(withdrawn.status, expected);
        assert_eq!(
            store.get_watch(entry.id).expect("read").map(|e| e.status),
            Some(expected)
        );
        let last = store
            .audit_records(1, 100)
            .expect("audit")
            .pop()
            .expect("a record");
        assert_eq!(
            (last.action.as_str(), last.target),
            ("watch.withdraw", format!("watch:{}", entry.id))
        );
        assert_eq!(last.details["reason"], "warrant recalled");
    }

    pub fn withdrawing_twice_is_a_conflict_and_a_missing_entry_is_not_found(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        store
            .withdraw_watch(entry.id, "recalled", &admin(), minutes(1))
            .expect("first withdrawal");
        let again = store.withdraw_watch(entry.id, "recalled again", &admin(), minutes(2));
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let missing = store.withdraw_watch(entry.id + 99, "no such", &admin(), minutes(2));
        assert!(
            matches!(
                missing,
                Err(StoreError::NotFound {
                    what: "watch entry",
                    ..
                })
            ),
            "{missing:?}"
        );
        // The failed calls left no trace.
        assert_eq!(actions(store), ["watch.add", "watch.withdraw"]);
    }

    pub fn active_entries_include_expired_ones_and_leave_out_the_rest(store: &dyn Store) {
        let live = add(store, 1, "KZ-75");
        let short = wanted_entry(&iin(2), "KZ-75");
        let expired = store
            .add_watch(
                iz_model::NewWatchEntry {
                    expires_at: minutes(1),
                    ..short
                },
                &admin(),
                t0(),
            )
            .expect("add");
        let gone = add(store, 3, "KZ-75");
        store
            .withdraw_watch(gone.id, "recalled", &admin(), minutes(2))
            .expect("withdraw");
        let active: Vec<_> = store
            .active_watch_entries()
            .expect("active")
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(
            active,
            [live.id, expired.id],
            "matchers check expiry per event, so expired entries stay"
        );
    }

    pub fn the_watch_version_moves_with_every_watch_change_and_only_then(store: &dyn Store) {
        let v0 = store.watch_version().expect("version");
        let entry = add(store, 1, "KZ-75");
        let v1 = store.watch_version().expect("version");
        assert_ne!(v1, v0, "adding changes the version");

        let other = add(store, 2, "KZ-75");
        let v2 = store.watch_version().expect("version");
        store
            .withdraw_watch(other.id, "recalled", &admin(), minutes(1))
            .expect("withdraw");
        let v3 = store.watch_version().expect("version");
        assert!(
            v1 != v2 && v2 != v3,
            "adding and withdrawing change it: {v1} {v2} {v3}"
        );

        // Intake, rejections, tokens and audit records leave the watch-list as it was.
        let a = created(see(store, &entry, "e-1", "egov", 0, None));
        store
            .add_token([7; 32], Role::Ingest, None, "bank", &admin(), t0())
            .expect("token");
        store
            .append_audit(
                vec![AuditDraft::new(
                    "token:1",
                    "alert.view",
                    "alert:1",
                    json!({}),
                )],
                t0(),
            )
            .expect("audit");
        assert_eq!(store.watch_version().expect("version"), v3);

        store
            .review_alert(a.id, review(Decision::Confirm, minutes(10)), &admin())
            .expect("confirm");
        assert_ne!(
            store.watch_version().expect("version"),
            v3,
            "closing an entry changes it"
        );
    }

    pub fn listing_entries_pages_by_id_and_filters_by_status_and_region(store: &dyn Store) {
        let entries: Vec<_> = (1..=5)
            .map(|n| add(store, n, if n % 2 == 0 { "KZ-71" } else { "KZ-75" }))
            .collect();
        let id = |i: usize| entries[i].id;
        store
            .withdraw_watch(id(2), "recalled", &admin(), minutes(1))
            .expect("withdraw");
        let page = |filter: WatchFilter| -> Vec<_> {
            store
                .list_watch(&filter)
                .expect("list")
                .into_iter()
                .map(|e| e.id)
                .collect()
        };

        assert_eq!(
            page(WatchFilter::default()),
            (0..5).map(id).collect::<Vec<_>>()
        );
        assert_eq!(
            page(WatchFilter {
                limit: 2,
                ..WatchFilter::default()
            }),
            [id(0), id(1)]
        );
        assert_eq!(
            page(WatchFilter {
                limit: 2,
                after_id: Some(id(1)),
                ..WatchFilter::default()
            }),
            [id(2), id(3)]
        );
        assert_eq!(
            page(WatchFilter {
                status: Some("withdrawn".into()),
                ..WatchFilter::default()
            }),
            [id(2)]
        );
        assert_eq!(
            page(WatchFilter {
                status: Some("active".into()),
                ..WatchFilter::default()
            }),
            [id(0), id(1), id(3), id(4)]
        );
        assert_eq!(
            page(WatchFilter {
                region: Some(region("KZ-71")),
                ..WatchFilter::default()
            }),
            [id(1), id(3)]
        );
        assert_eq!(
            page(WatchFilter {
                status: Some("closed".into()),
                ..WatchFilter::default()
            }),
            Vec::<i64>::new()
        );
    }

    // --- intake ----------------------------------------------------------------------------

    pub fn a_first_hit_opens_an_alert_from_its_entry(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let a = created(see(store, &entry, "e-1", "egov", 0, Some("KZ-75")));
        assert!(a.id > 0);
        assert_eq!(
            (a.watch_id, a.kind, a.status),
            (entry.id, WatchKind::Wanted, AlertStatus::Open)
        );
        assert_eq!(
            (a.priority, a.category, a.missing_person),
            (Priority::High, Category::EvadingInvestigation, false)
        );
        assert_eq!(
            (a.source.as_str(), a.matcher.as_str(), a.score),
            ("egov", "wanted.iin", 1.0)
        );
        assert_eq!(a.matched.len(), 1);
        assert_eq!(a.matched[0].value, iin(1));
        assert_eq!((a.first_seen, a.last_seen, a.count), (t0(), t0(), 1));
        assert_eq!(
            (a.last_event_id.as_str(), a.last_event_kind),
            ("e-1", EventKind::ServiceRequest)
        );
        assert_eq!(
            a.last_place.as_ref().and_then(|p| p.office.as_deref()),
            Some("CON-12")
        );
        let received = t0() + chrono::Duration::seconds(1);
        assert_eq!((a.created_at, a.updated_at), (received, received));
        assert_eq!(a.review, None);
        assert_eq!(
            alert(store, a.id),
            a,
            "what commit_batch returns is what is stored"
        );
    }

    pub fn hits_within_the_window_fold_into_one_alert(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let first = created(see(store, &entry, "e-1", "egov", 0, Some("KZ-75")));
        let second = folded(see(store, &entry, "e-2", "egov", 10, Some("KZ-75")));
        let third = folded(see(store, &entry, "e-3", "egov", 30, Some("KZ-71")));
        assert_eq!((second.id, third.id), (first.id, first.id));
        assert_eq!(third.count, 3);
        assert_eq!((third.first_seen, third.last_seen), (t0(), minutes(30)));
        assert_eq!(third.last_event_id, "e-3");
        assert_eq!(
            third.last_place.and_then(|p| p.region),
            Some(region("KZ-71")),
            "the latest place is kept"
        );
        assert_eq!(
            third.region,
            region("KZ-75"),
            "an alert stays with the region it was routed to"
        );
        assert_eq!(third.updated_at, minutes(30) + chrono::Duration::seconds(1));
        assert_eq!(
            store
                .list_alerts(&AlertFilter::default())
                .expect("list")
                .len(),
            1
        );
        assert_eq!(store.alert_hits(first.id).expect("hits").len(), 3);
    }

    pub fn a_hit_after_the_window_opens_a_new_alert(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let first = created(see(store, &entry, "e-1", "egov", 0, None));
        let second = created(see(store, &entry, "e-2", "egov", 31, None));
        assert_ne!(first.id, second.id);
        assert_eq!(alert(store, first.id).count, 1);
        assert_eq!(list(store, AlertFilter::default()), [second.id, first.id]);
    }

    pub fn the_window_is_measured_from_the_latest_hit(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let first = created(see(store, &entry, "e-1", "egov", 0, None));
        folded(see(store, &entry, "e-2", "egov", 25, None));
        let third = folded(see(store, &entry, "e-3", "egov", 50, None));
        assert_eq!(
            (third.id, third.count),
            (first.id, 3),
            "50 min after the first, 25 after the latest"
        );
    }

    pub fn the_fold_window_is_the_batchs_policy(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let first = created(see(store, &entry, "e-1", "egov", 0, None));
        let late = hit_record(event("e-2", "egov", &iin(1), minutes(45), None), &entry);
        let wide = BatchCommit {
            fold: FoldPolicy {
                window: chrono::Duration::hours(1),
            },
            ..batch(vec![late])
        };
        let outcome = store.commit_batch(wide).expect("commit");
        assert_eq!(outcome.changes.len(), 1);
        assert!(
            matches!(&outcome.changes[0], AlertChange::Folded(a) if a.id == first.id && a.count == 2)
        );
    }

    pub fn hits_from_another_source_open_their_own_alert(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let egov = created(see(store, &entry, "e-1", "egov", 0, None));
        let hotel = created(see(store, &entry, "e-1", "hotels", 1, None));
        assert_ne!(
            egov.id, hotel.id,
            "the same event id from another source is another event"
        );
        assert_eq!(hotel.source, "hotels");
        folded(see(store, &entry, "e-2", "egov", 2, None));
        assert_eq!(
            (alert(store, egov.id).count, alert(store, hotel.id).count),
            (2, 1)
        );
    }

    pub fn one_event_hitting_two_entries_opens_an_alert_for_each(store: &dyn Store) {
        let one = add(store, 1, "KZ-75");
        let two = add(store, 2, "KZ-71");
        let ev = event("e-1", "egov", &iin(1), t0(), None);
        let outcome = store
            .commit_batch(batch(vec![
                hit_record(ev.clone(), &one),
                hit_record(ev, &two),
            ]))
            .expect("commit");
        assert_eq!(outcome.repeated_hits, 0);
        let watched: Vec<_> = outcome.changes.iter().map(|c| c.alert().watch_id).collect();
        assert_eq!(watched, [one.id, two.id]);
        assert!(
            outcome
                .changes
                .iter()
                .all(|c| matches!(c, AlertChange::Created(_)))
        );
    }

    pub fn redelivering_a_batch_changes_nothing(store: &dyn Store) {
        let one = add(store, 1, "KZ-75");
        let two = add(store, 2, "KZ-75");
        let hits = vec![
            hit_record(event("e-1", "egov", &iin(1), minutes(0), None), &one),
            hit_record(event("e-2", "egov", &iin(1), minutes(5), None), &one),
            hit_record(event("e-3", "egov", &iin(2), minutes(5), None), &two),
        ];
        let first = store
            .commit_batch(batch(hits.clone()))
            .expect("first delivery");
        assert_eq!((first.changes.len(), first.repeated_hits), (3, 0));
        let before = store.list_alerts(&AlertFilter::default()).expect("list");
        assert_eq!(before.len(), 2);
        let audit_before = store.audit_head().expect("head");

        let again = store.commit_batch(batch(hits)).expect("redelivery");
        assert_eq!(again.repeated_hits, 3);
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        assert_eq!(
            store.list_alerts(&AlertFilter::default()).expect("list"),
            before
        );
        let hit_count: usize = before
            .iter()
            .map(|a| store.alert_hits(a.id).expect("hits").len())
            .sum();
        assert_eq!(hit_count, 3);
        assert_eq!(store.audit_head().expect("head"), audit_before);
    }

    pub fn a_repeated_hit_within_one_batch_counts_once(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let record = hit_record(event("e-1", "egov", &iin(1), t0(), None), &entry);
        let outcome = store
            .commit_batch(batch(vec![record.clone(), record]))
            .expect("commit");
        assert_eq!((outcome.changes.len(), outcome.repeated_hits), (1, 1));
        assert_eq!(outcome.changes[0].alert().count, 1);
    }

    pub fn a_late_hit_folds_without_moving_last_seen_back(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let a = created(see(
            store,
            &entry,
            "e-late-sent-first",
            "egov",
            20,
            Some("KZ-71"),
        ));
        let b = folded(see(store, &entry, "e-early", "egov", 5, Some("KZ-19")));
        assert_eq!((b.id, b.count), (a.id, 2));
        assert_eq!(
            b.last_seen,
            minutes(20),
            "the latest sighting stays the latest"
        );
        assert_eq!(b.last_event_id, "e-late-sent-first");
        assert_eq!(b.last_place.and_then(|p| p.region), Some(region("KZ-71")));
        assert_eq!(b.first_seen, minutes(5), "the earliest sighting moves back");
    }

    pub fn a_folded_alert_reads_back_as_returned(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        created(see(store, &entry, "e-1", "egov", 0, Some("KZ-75")));
        let b = folded(see(store, &entry, "e-2", "egov", 3, None));
        assert_eq!(b.last_place, None, "the latest event had no place");
        assert_eq!(alert(store, b.id), b);
    }

    pub fn alerts_go_to_the_region_where_the_person_was_seen_else_the_entry_region(
        store: &dyn Store,
    ) {
        let entry = add(store, 1, "KZ-75");
        let seen_in_astana = created(see(store, &entry, "e-1", "egov", 0, Some("KZ-71")));
        assert_eq!(seen_in_astana.region, region("KZ-71"));
        let nowhere = created(see(store, &entry, "e-2", "online", 0, None));
        assert_eq!(
            nowhere.region,
            region("KZ-75"),
            "no place: the entry's region"
        );
    }

    pub fn a_missing_person_alert_is_flagged_as_one(store: &dyn Store) {
        let missing = store
            .add_watch(missing_person_entry(&iin(1), "KZ-75"), &admin(), t0())
            .expect("add");
        let wanted = add(store, 2, "KZ-75");
        let m = created(see(store, &missing, "e-1", "egov", 0, None));
        let w = created(see(store, &wanted, "e-2", "egov", 0, None));
        assert!(m.missing_person);
        assert_eq!(
            (m.category, m.priority),
            (Category::MissingPerson, Priority::Critical)
        );
        assert!(!w.missing_person);
        assert!(alert(store, m.id).missing_person);
    }

    // --- reviews ---------------------------------------------------------------------------

    pub fn confirming_an_alert_closes_its_entry_as_located(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let a = created(see(store, &entry, "e-1", "egov", 0, None));
        let decision = review(Decision::Confirm, minutes(15));
        let confirmed = store
            .review_alert(a.id, decision.clone(), &admin())
            .expect("confirm");
        assert_eq!(confirmed.status, AlertStatus::Confirmed);
        assert_eq!(confirmed.review.as_ref(), Some(&decision));
        assert_eq!(confirmed.updated_at, minutes(15));
        assert_eq!(alert(store, a.id), confirmed);

        let closed = store.get_watch(entry.id).expect("read").expect("the entry");
        assert_eq!(
            closed.status,
            WatchStatus::Closed {
                outcome: "located".into(),
                alert_id: a.id,
                by: admin().id,
                at: minutes(15)
            }
        );
        assert!(
            store.active_watch_entries().expect("active").is_empty(),
            "a located person is no longer sought"
        );
        let records = store.audit_records(1, 100).expect("audit");
        let close = records
            .iter()
            .find(|r| r.action == "watch.close")
            .expect("a watch.close record");
        assert_eq!(close.target, format!("watch:{}", entry.id));
        assert_eq!(
            (
                close.details["outcome"].clone(),
                close.details["alert_id"].clone()
            ),
            (json!("located"), json!(a.id))
        );
    }

    pub fn a_reviewed_alert_cannot_be_reviewed_again(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let a = created(see(store, &entry, "e-1", "egov", 0, None));
        store
            .review_alert(a.id, review(Decision::Reject, minutes(5)), &admin())
            .expect("reject");
        let again = store.review_alert(a.id, review(Decision::Confirm, minutes(6)), &admin());
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        assert_eq!(
            alert(store, a.id).status,
            AlertStatus::Rejected,
            "the first decision stands"
        );
        assert_eq!(actions(store), ["watch.add", "alert.review"]);
    }

    pub fn reviewing_a_missing_alert_is_not_found(store: &dyn Store) {
        let result = store.review_alert(404, review(Decision::Confirm, t0()), &admin());
        assert!(
            matches!(result, Err(StoreError::NotFound { what: "alert", .. })),
            "{result:?}"
        );
    }

    pub fn rejecting_an_alert_leaves_its_entry_active(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let a = created(see(store, &entry, "e-1", "egov", 0, None));
        let version = store.watch_version().expect("version");
        let rejected = store
            .review_alert(a.id, review(Decision::Reject, minutes(5)), &admin())
            .expect("reject");
        assert_eq!(rejected.status, AlertStatus::Rejected);
        assert_eq!(
            store.get_watch(entry.id).expect("read").map(|e| e.status),
            Some(WatchStatus::Active)
        );
        assert_eq!(store.watch_version().expect("version"), version);
        let last = store
            .audit_records(1, 100)
            .expect("audit")
            .pop()
            .expect("a record");
        assert_eq!(
            (last.action.as_str(), last.target),
            ("alert.review", format!("alert:{}", a.id))
        );
        assert_eq!(last.details["decision"], "reject");
        assert_eq!(last.details["watch_id"], json!(entry.id));
    }

    pub fn an_entry_closed_by_one_alert_stays_closed_by_it(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let first = created(see(store, &entry, "e-1", "egov", 0, None));
        let second = created(see(store, &entry, "e-2", "hotels", 1, None));
        store
            .review_alert(first.id, review(Decision::Confirm, minutes(10)), &admin())
            .expect("confirm first");
        assert_eq!(
            alert(store, second.id).status,
            AlertStatus::Open,
            "other alerts await their own review"
        );
        store
            .review_alert(second.id, review(Decision::Confirm, minutes(20)), &admin())
            .expect("confirm second");
        let status = store.get_watch(entry.id).expect("read").map(|e| e.status);
        assert!(
            matches!(status, Some(WatchStatus::Closed { alert_id, .. }) if alert_id == first.id),
            "{status:?}"
        );
        assert_eq!(
            actions(store)
                .iter()
                .filter(|a| *a == "watch.close")
                .count(),
            1
        );
    }

    // --- stats -----------------------------------------------------------------------------

    pub fn precision_is_reported_per_source(store: &dyn Store) {
        let entries: Vec<_> = (1..=4).map(|n| add(store, n, "KZ-75")).collect();
        let a1 = created(see(store, &entries[0], "e-1", "egov", 0, None));
        let a2 = created(see(store, &entries[1], "e-2", "egov", 0, None));
        let a3 = created(see(store, &entries[2], "e-3", "hotels", 0, None));
        created(see(store, &entries[3], "e-4", "border", 0, None));
        store
            .review_alert(a1.id, review(Decision::Confirm, minutes(5)), &admin())
            .expect("confirm");
        store
            .review_alert(a2.id, review(Decision::Reject, minutes(5)), &admin())
            .expect("reject");
        store
            .review_alert(a3.id, review(Decision::Reject, minutes(5)), &admin())
            .expect("reject");

        let stats = store.stats(minutes(10)).expect("stats");
        let p = |source: &str, confirmed, rejected, precision| SourcePrecision {
            source: source.into(),
            confirmed,
            rejected,
            precision,
        };
        assert_eq!(
            stats.precision,
            [
                p("border", 0, 0, None),
                p("egov", 1, 1, Some(0.5)),
                p("hotels", 0, 1, Some(0.0))
            ]
        );
        assert_eq!(
            (
                stats.alerts.open,
                stats.alerts.confirmed,
                stats.alerts.rejected
            ),
            (1, 1, 2)
        );
    }

    pub fn watch_counts_tell_live_from_expired_withdrawn_and_closed(store: &dyn Store) {
        add(store, 1, "KZ-75");
        let soon = iz_model::NewWatchEntry {
            expires_at: minutes(30),
            ..wanted_entry(&iin(2), "KZ-75")
        };
        store.add_watch(soon, &admin(), t0()).expect("add");
        let gone = add(store, 3, "KZ-75");
        store
            .withdraw_watch(gone.id, "recalled", &admin(), minutes(1))
            .expect("withdraw");
        let found = add(store, 4, "KZ-75");
        let a = created(see(store, &found, "e-1", "egov", 0, None));
        store
            .review_alert(a.id, review(Decision::Confirm, minutes(2)), &admin())
            .expect("confirm");

        let before = store.stats(minutes(10)).expect("stats").watch;
        assert_eq!(
            (before.live, before.expired, before.withdrawn, before.closed),
            (2, 0, 1, 1)
        );
        let after = store.stats(minutes(30)).expect("stats").watch;
        assert_eq!(
            (after.live, after.expired),
            (1, 1),
            "an entry is expired from its expiry on"
        );
    }

    pub fn event_counts_add_up_across_batches(store: &dyn Store) {
        let count = |hour: DateTime<Utc>, source: &str, kind, events, hits| EventCount {
            hour,
            source: source.into(),
            kind,
            events,
            hits,
        };
        let earlier = minutes(-60);
        let first = vec![
            count(t0(), "egov", EventKind::ServiceRequest, 100, 2),
            count(t0(), "egov", EventKind::Ticket, 10, 0),
            count(earlier, "egov", EventKind::ServiceRequest, 7, 1),
        ];
        let second = vec![
            count(t0(), "egov", EventKind::ServiceRequest, 50, 1),
            count(t0(), "hotels", EventKind::HotelRegistration, 5, 0),
        ];
        store
            .commit_batch(BatchCommit {
                counts: first,
                ..BatchCommit::default()
            })
            .expect("first batch");
        store
            .commit_batch(BatchCommit {
                counts: second,
                ..BatchCommit::default()
            })
            .expect("second batch");

        let recent = store.event_counts(minutes(30)).expect("counts");
        assert_eq!(
            recent,
            [
                count(t0(), "egov", EventKind::ServiceRequest, 150, 3),
                count(t0(), "egov", EventKind::Ticket, 10, 0),
                count(t0(), "hotels", EventKind::HotelRegistration, 5, 0),
            ],
            "the hour that holds `since` counts, earlier hours do not"
        );
        assert_eq!(store.event_counts(earlier).expect("counts").len(), 4);

        let stats = store.stats(t0()).expect("stats");
        assert_eq!((stats.events_total, stats.hits_total), (172, 4));
        let egov_requests = stats
            .events
            .iter()
            .find(|c| c.source == "egov" && c.kind == EventKind::ServiceRequest);
        assert_eq!(
            egov_requests.map(|c| (c.events, c.hits)),
            Some((157, 4)),
            "all hours together"
        );
    }

    // --- tokens ----------------------------------------------------------------------------

    pub fn a_token_is_found_by_its_hash_and_only_by_it(store: &dyn Store) {
        let almaty = region("KZ-75");
        let issued = store
            .add_token(
                [1; 32],
                Role::Operator,
                Some(almaty),
                "duty desk",
                &admin(),
                t0(),
            )
            .expect("issue");
        let ingest = store
            .add_token([2; 32], Role::Ingest, None, "egov", &admin(), t0())
            .expect("issue");
        assert_ne!(issued.id, ingest.id);
        assert_eq!(
            (issued.role, issued.region, issued.label.as_str()),
            (Role::Operator, Some(almaty), "duty desk")
        );
        assert!(!issued.revoked);
        assert_eq!(
            store.find_token(&[1; 32]).expect("find"),
            Some(issued.clone())
        );
        assert_eq!(store.find_token(&[2; 32]).expect("find"), Some(ingest));
        assert_eq!(store.find_token(&[3; 32]).expect("find"), None);
        assert_eq!(issued.actor().id, format!("token:{}", issued.id));

        let duplicate = store.add_token([1; 32], Role::Admin, None, "copy", &admin(), t0());
        assert!(
            matches!(duplicate, Err(StoreError::Conflict(_))),
            "{duplicate:?}"
        );
        let records = store.audit_records(1, 100).expect("audit");
        let first = &records[0];
        assert_eq!(
            (first.action.as_str(), first.target.clone()),
            ("token.issue", format!("token:{}", issued.id))
        );
        assert_eq!(
            first.details,
            json!({"role": "operator", "region": "KZ-75", "label": "duty desk"})
        );
        assert_eq!(records.len(), 2, "the refused duplicate left no record");
    }

    // --- audit -----------------------------------------------------------------------------

    pub fn every_change_leaves_its_audit_record_and_the_chain_verifies(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let more = store
            .add_watch_many(
                vec![
                    wanted_entry(&iin(2), "KZ-71"),
                    wanted_entry(&iin(3), "KZ-19"),
                ],
                &admin(),
                t0(),
            )
            .expect("add many");
        store
            .withdraw_watch(more[1].id, "recalled", &admin(), minutes(1))
            .expect("withdraw");
        let ev = event("e-1", "egov", &iin(1), minutes(2), None);
        let intake = AuditDraft::new(
            "token:9",
            "events.ingest",
            "source:egov",
            json!({"events": 1, "hits": 1}),
        );
        let mut outcome = store
            .commit_batch(BatchCommit {
                audit: Some(intake),
                ..batch(vec![hit_record(ev, &entry)])
            })
            .expect("commit");
        let a = outcome.changes.pop().expect("an alert").alert().clone();
        let b = created(see(store, &more[0], "e-2", "egov", 3, None));
        store
            .review_alert(b.id, review(Decision::Reject, minutes(4)), &admin())
            .expect("reject");
        store
            .review_alert(a.id, review(Decision::Confirm, minutes(5)), &admin())
            .expect("confirm");
        store
            .add_token([9; 32], Role::Ingest, None, "egov", &admin(), minutes(6))
            .expect("token");
        let user = store
            .add_user(
                "dana",
                PASSWORD_HASH,
                Role::Admin,
                None,
                &admin(),
                minutes(6),
            )
            .expect("user");
        let two_strikes = LockoutPolicy {
            after_failures: 2,
            ..LockoutPolicy::default()
        };
        for _ in 0..2 {
            store
                .record_sign_in(user.id, false, two_strikes, minutes(6))
                .expect("failed sign-in");
        }
        store
            .record_sign_in(user.id, true, two_strikes, minutes(6))
            .expect("sign-in");
        store
            .create_session([4; 32], "csrf", user.id, minutes(6), minutes(66))
            .expect("session");
        store
            .end_session(&[4; 32], &user.actor(), minutes(6))
            .expect("sign out");
        store
            .append_audit(
                vec![AuditDraft::new(
                    "token:2",
                    "alert.view",
                    format!("alert:{}", a.id),
                    json!({}),
                )],
                minutes(7),
            )
            .expect("append");

        assert_eq!(
            actions(store),
            [
                "watch.add",
                "watch.add",
                "watch.add",
                "watch.withdraw",
                "events.ingest",
                "alert.review",
                "alert.review",
                "watch.close",
                "token.issue",
                "user.add",
                "user.sign_in_failed",
                "user.sign_in_failed",
                "user.locked",
                "user.sign_in",
                "user.sign_out",
                "alert.view",
            ]
        );
        assert_eq!(verify_audit(store).expect("read the log"), Ok(16));
        let records = store.audit_records(1, 100).expect("audit");
        assert!(
            records
                .iter()
                .take(10)
                .filter(|r| r.action != "events.ingest")
                .all(|r| r.actor == admin().id),
            "the administrator made every change up to the user"
        );
        assert!(
            records[10..15].iter().all(|r| r.actor == "user:dana"),
            "a person signs in and out as themselves"
        );
    }

    pub fn the_audit_head_is_the_last_record(store: &dyn Store) {
        assert_eq!(store.audit_head().expect("head"), None);
        assert_eq!(verify_audit(store).expect("read the log"), Ok(0));
        add(store, 1, "KZ-75");
        add(store, 2, "KZ-75");
        let last = store
            .audit_records(1, 100)
            .expect("audit")
            .pop()
            .expect("a record");
        assert_eq!(store.audit_head().expect("head"), Some((2, last.hash)));
        assert_eq!(last.seq, 2);
    }

    pub fn appended_audit_records_come_back_in_order_unchanged(store: &dyn Store) {
        // Nanoseconds are cut to the microsecond when sealed; the stored time must be that one.
        let at = t0() + chrono::Duration::nanoseconds(123_456_789);
        let details = json!({"query": "Асанов", "page": 2, "score": 0.875, "tags": ["a", "b"], "nested": {"z": 1, "a": null}});
        let drafts: Vec<_> = (1..=3)
            .map(|i| {
                AuditDraft::new(
                    format!("token:{i}"),
                    "alert.view",
                    format!("alert:{i}"),
                    details.clone(),
                )
            })
            .collect();
        store.append_audit(drafts, at).expect("append");
        store.append_audit(Vec::new(), at).expect("append nothing");

        let all = store.audit_records(1, 0).expect("audit");
        assert_eq!(all.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(
            all.iter().map(|r| r.actor.as_str()).collect::<Vec<_>>(),
            ["token:1", "token:2", "token:3"]
        );
        assert!(all.iter().all(|r| r.details == details));
        assert_eq!(all[0].at, t0() + chrono::Duration::microseconds(123_456));
        assert_eq!(all[0].prev_hash, iz_audit::GENESIS);
        assert_eq!(all[1].prev_hash, all[0].hash);

        let page = store.audit_records(2, 1).expect("audit");
        assert_eq!(page, [all[1].clone()]);
        assert!(store.audit_records(4, 10).expect("audit").is_empty());
        assert_eq!(verify_audit(store).expect("read the log"), Ok(3));
    }

    pub fn the_watch_add_record_names_the_legal_basis_not_the_person(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let record = store
            .audit_records(1, 1)
            .expect("audit")
            .pop()
            .expect("a record");
        assert_eq!(
            (record.action.as_str(), record.target),
            ("watch.add", format!("watch:{}", entry.id))
        );
        assert_eq!(record.details["legal_basis"]["reference"], "W-2026-0001");
        assert_eq!(record.details["region"], "KZ-75");
        assert_eq!(record.details["category"], "evading_investigation");
        assert!(record.details["expires_at"].is_string());
        let text = record.details.to_string();
        assert!(!text.contains(&iin(1)), "no IIN in the log: {text}");
        assert!(!text.contains("Асанов"), "no names in the log: {text}");
    }

    pub fn a_batch_audit_record_is_written_with_the_batch(store: &dyn Store) {
        let draft = AuditDraft::new(
            "token:3",
            "events.ingest",
            "source:egov",
            json!({"events": 0}),
        );
        store
            .commit_batch(BatchCommit {
                audit: Some(draft),
                ..BatchCommit::default()
            })
            .expect("commit");
        let records = store.audit_records(1, 10).expect("audit");
        assert_eq!(records.len(), 1);
        assert_eq!(
            (records[0].actor.as_str(), records[0].action.as_str()),
            ("token:3", "events.ingest")
        );
        store
            .commit_batch(BatchCommit::default())
            .expect("an empty batch");
        assert_eq!(
            store.audit_records(1, 10).expect("audit").len(),
            1,
            "no draft, no record"
        );
    }

    // --- reading alerts --------------------------------------------------------------------

    pub fn listing_alerts_filters_and_pages_newest_first(store: &dyn Store) {
        let one = add(store, 1, "KZ-75");
        let two = add(store, 2, "KZ-71");
        let a1 = created(see(store, &one, "e-1", "egov", 0, Some("KZ-75"))).id;
        let a2 = created(see(store, &two, "e-2", "hotels", 0, Some("KZ-71"))).id;
        let a3 = created(see(store, &one, "e-3", "hotels", 0, Some("KZ-19"))).id;
        store
            .review_alert(a2, review(Decision::Reject, minutes(5)), &admin())
            .expect("reject");
        let f = AlertFilter::default;

        assert_eq!(list(store, f()), [a3, a2, a1]);
        assert_eq!(
            list(
                store,
                AlertFilter {
                    status: Some(AlertStatus::Open),
                    ..f()
                }
            ),
            [a3, a1]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    status: Some(AlertStatus::Rejected),
                    ..f()
                }
            ),
            [a2]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    regions: Some(vec![region("KZ-75"), region("KZ-19")]),
                    ..f()
                }
            ),
            [a3, a1]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    regions: Some(vec![region("KZ-71")]),
                    ..f()
                }
            ),
            [a2]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    regions: Some(vec![]),
                    ..f()
                }
            ),
            Vec::<AlertId>::new(),
            "no regions, no alerts"
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    source: Some("hotels".into()),
                    ..f()
                }
            ),
            [a3, a2]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    watch_id: Some(one.id),
                    ..f()
                }
            ),
            [a3, a1]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    before_id: Some(a3),
                    ..f()
                }
            ),
            [a2, a1]
        );
        assert_eq!(list(store, AlertFilter { limit: 1, ..f() }), [a3]);
        assert_eq!(
            list(
                store,
                AlertFilter {
                    limit: 1,
                    before_id: Some(a3),
                    ..f()
                }
            ),
            [a2]
        );
        assert_eq!(
            list(
                store,
                AlertFilter {
                    status: Some(AlertStatus::Open),
                    regions: Some(vec![region("KZ-75")]),
                    ..f()
                }
            ),
            [a1]
        );
    }

    pub fn alert_hits_are_listed_oldest_first_with_the_event_as_received(store: &dyn Store) {
        let entry = add(store, 1, "KZ-75");
        let a = created(see(store, &entry, "e-2", "egov", 10, Some("KZ-75")));
        folded(see(store, &entry, "e-3", "egov", 20, None));
        folded(see(store, &entry, "e-1", "egov", 0, None));
        let hits = store.alert_hits(a.id).expect("hits");
        assert_eq!(
            hits.iter().map(|h| h.event_id.as_str()).collect::<Vec<_>>(),
            ["e-1", "e-2", "e-3"]
        );
        let h = &hits[1];
        assert_eq!(
            (h.alert_id, h.watch_id, h.source.as_str()),
            (a.id, entry.id, "egov")
        );
        assert_eq!(
            (h.event_kind, h.occurred_at, h.received_at),
            (
                EventKind::ServiceRequest,
                minutes(10),
                minutes(10) + chrono::Duration::seconds(1)
            )
        );
        assert_eq!(h.event["id"], "e-2");
        assert_eq!(h.event["subject"]["iin"], iin(1));
        assert_eq!(h.event["place"]["region"], "KZ-75");
        assert_eq!(h.hit["matcher"], "wanted.iin");
        assert_eq!(h.hit["watch_id"], json!(entry.id));
        assert!(store.alert_hits(a.id + 100).expect("hits").is_empty());
    }

    // --- users and sessions ----------------------------------------------------------------

    pub fn a_user_reads_back_by_name_with_its_hash_and_a_taken_name_is_a_conflict(
        store: &dyn Store,
    ) {
        let almaty = region("KZ-75");
        let aigerim = add_operator(store, "aigerim");
        let chief = store
            .add_user(
                "chief",
                "$argon2id$other",
                Role::Admin,
                None,
                &admin(),
                minutes(1),
            )
            .expect("add a user");
        assert!(aigerim.id > 0);
        assert_ne!(aigerim.id, chief.id);
        assert_eq!(
            aigerim,
            UserInfo {
                id: aigerim.id,
                name: "aigerim".into(),
                role: Role::Operator,
                region: Some(almaty),
                created_at: t0(),
                failed_attempts: 0,
                locked_until: None,
            }
        );
        assert_eq!(
            store.find_user("aigerim").expect("find"),
            Some((aigerim.clone(), PASSWORD_HASH.to_string()))
        );
        assert_eq!(
            store.find_user("chief").expect("find"),
            Some((chief.clone(), "$argon2id$other".to_string()))
        );
        assert_eq!(store.find_user("nobody").expect("find"), None);
        assert_eq!(
            aigerim.actor(),
            Actor {
                id: "user:aigerim".into(),
                role: Role::Operator,
                region: Some(almaty),
            }
        );

        let again = store.add_user(
            "aigerim",
            "$argon2id$impostor",
            Role::Admin,
            None,
            &admin(),
            minutes(2),
        );
        match again {
            Err(e @ StoreError::Conflict(_)) => {
                assert!(
                    e.to_string().contains("aigerim"),
                    "the message names it: {e}"
                )
            }
            other => panic!("a taken name is a conflict, got {other:?}"),
        }
        assert_eq!(
            store.find_user("aigerim").expect("find"),
            Some((aigerim, PASSWORD_HASH.to_string())),
            "the first user keeps the name, role and hash"
        );
        assert_eq!(
            actions(store),
            ["user.add", "user.add"],
            "the refused name left no record"
        );
    }

    pub fn the_user_add_record_names_the_role_and_region_never_the_hash(store: &dyn Store) {
        add_operator(store, "aigerim");
        let record = store
            .audit_records(1, 10)
            .expect("audit")
            .pop()
            .expect("a record");
        assert_eq!(
            (
                record.actor.as_str(),
                record.action.as_str(),
                record.target.as_str()
            ),
            (admin().id.as_str(), "user.add", "user:aigerim")
        );
        assert_eq!(
            record.details,
            json!({"role": "operator", "region": "KZ-75"})
        );
        let everything = format!("{record:?}");
        assert!(
            !everything.contains(PASSWORD_HASH) && !everything.contains("argon2"),
            "no password hash in the log: {everything}"
        );
    }

    pub fn failed_sign_ins_count_up_and_the_nth_locks_the_account(store: &dyn Store) {
        let user = add_operator(store, "aigerim");
        let who = "user:aigerim";

        let first = fail(store, &user, minutes(1));
        let second = fail(store, &user, minutes(2));
        assert_eq!((first.failed_attempts, first.locked_until), (1, None));
        assert_eq!((second.failed_attempts, second.locked_until), (2, None));

        let third = fail(store, &user, minutes(3));
        assert_eq!(
            (third.failed_attempts, third.locked_until),
            (3, Some(minutes(18))),
            "the third failure locks the account until 15 minutes after it"
        );
        assert_eq!(user_named(store, "aigerim"), third, "returned as stored");
        assert_eq!(
            trail(store, 2),
            [
                entry3(who, "user.sign_in_failed", who),
                entry3(who, "user.sign_in_failed", who),
                entry3(who, "user.sign_in_failed", who),
                entry3(who, "user.locked", who),
            ]
        );
        let records = store.audit_records(2, 10).expect("audit");
        let counts: Vec<_> = records[..3]
            .iter()
            .map(|r| r.details["failed_attempts"].clone())
            .collect();
        assert_eq!(counts, [json!(1), json!(2), json!(3)]);
        assert_eq!(records[3].details["until"], "2026-11-25T10:18:00Z");
        assert_eq!(records[3].at, minutes(3));

        // Whether a locked account may try is the caller's check; a failure recorded while
        // locked counts, but does not stretch the lock.
        let fourth = fail(store, &user, minutes(4));
        assert_eq!(
            (fourth.failed_attempts, fourth.locked_until),
            (4, Some(minutes(18)))
        );
        assert_eq!(
            actions(store).last().map(String::as_str),
            Some("user.sign_in_failed")
        );

        // Once the lock has run out, the count is still past the limit: the next failure locks
        // again at once, rather than granting another three guesses.
        let fifth = fail(store, &user, minutes(20));
        assert_eq!(
            (fifth.failed_attempts, fifth.locked_until),
            (5, Some(minutes(35)))
        );
        assert_eq!(
            trail(store, 7),
            [
                entry3(who, "user.sign_in_failed", who),
                entry3(who, "user.locked", who),
            ]
        );
        assert_eq!(verify_audit(store).expect("read the log"), Ok(8));
    }

    pub fn a_good_sign_in_resets_the_failures_and_the_lock(store: &dyn Store) {
        let user = add_operator(store, "aigerim");
        let who = "user:aigerim";
        fail(store, &user, minutes(1));
        let two = fail(store, &user, minutes(2));
        assert_eq!(two.failed_attempts, 2);

        let signed_in = succeed(store, &user, minutes(3));
        assert_eq!(
            (signed_in.failed_attempts, signed_in.locked_until),
            (0, None)
        );
        assert_eq!(user_named(store, "aigerim"), signed_in);
        assert_eq!(
            trail(store, 4),
            [entry3(who, "user.sign_in", who)],
            "a good sign-in is recorded as the person"
        );

        // The count starts over: three more failures are needed to lock.
        assert_eq!(fail(store, &user, minutes(4)).locked_until, None);
        assert_eq!(fail(store, &user, minutes(5)).locked_until, None);
        let locked = fail(store, &user, minutes(6));
        assert_eq!(locked.locked_until, Some(minutes(21)));

        // The store records what it is told: refusing a locked account is the caller's check.
        // A success it records clears the lock as well as the count.
        let cleared = succeed(store, &user, minutes(30));
        assert_eq!((cleared.failed_attempts, cleared.locked_until), (0, None));
        assert_eq!(user_named(store, "aigerim"), cleared);
        assert_eq!(verify_audit(store).expect("read the log"), Ok(9));
    }

    pub fn signing_in_an_unknown_user_is_not_found(store: &dyn Store) {
        let user = add_operator(store, "aigerim");
        for success in [true, false] {
            let missing = store.record_sign_in(user.id + 100, success, three_strikes(), t0());
            assert!(
                matches!(missing, Err(StoreError::NotFound { what: "user", .. })),
                "{missing:?}"
            );
        }
        assert_eq!(actions(store), ["user.add"], "no record of a nobody");
        assert_eq!(user_named(store, "aigerim"), user);
    }

    pub fn a_session_is_found_by_its_hash_with_its_user_until_it_is_ended(store: &dyn Store) {
        let user = add_operator(store, "aigerim");
        let other = store
            .add_user("chief", PASSWORD_HASH, Role::Admin, None, &admin(), t0())
            .expect("add a user");
        store
            .create_session([1; 32], "csrf-one", user.id, minutes(1), minutes(61))
            .expect("a session");
        store
            .create_session([2; 32], "csrf-two", other.id, minutes(2), minutes(62))
            .expect("another");
        assert_eq!(
            store.find_session(&[1; 32]).expect("find"),
            Some(SessionInfo {
                user: user.clone(),
                csrf_token: "csrf-one".into(),
                created_at: minutes(1),
                expires_at: minutes(61),
            })
        );
        assert_eq!(
            store
                .find_session(&[2; 32])
                .expect("find")
                .map(|s| (s.user, s.csrf_token)),
            Some((other.clone(), "csrf-two".into()))
        );
        assert_eq!(store.find_session(&[3; 32]).expect("find"), None);

        // The session carries its user as the user now stands.
        let failed = fail(store, &user, minutes(3));
        assert_eq!(
            store.find_session(&[1; 32]).expect("find").map(|s| s.user),
            Some(failed.clone())
        );

        // An expired session is still found: the caller checks `expires_at`.
        store
            .create_session([3; 32], "csrf-old", user.id, minutes(-120), minutes(-60))
            .expect("an expired session");
        assert_eq!(
            store
                .find_session(&[3; 32])
                .expect("find")
                .map(|s| s.expires_at),
            Some(minutes(-60))
        );

        let taken = store.create_session([1; 32], "csrf-again", other.id, minutes(4), minutes(64));
        assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
        let nobody = store.create_session([5; 32], "csrf", user.id + 100, minutes(4), minutes(64));
        assert!(
            matches!(nobody, Err(StoreError::NotFound { what: "user", .. })),
            "{nobody:?}"
        );
        assert_eq!(store.find_session(&[5; 32]).expect("find"), None);

        let before = actions(store).len() as u64;
        store
            .end_session(&[1; 32], &failed.actor(), minutes(5))
            .expect("sign out");
        assert_eq!(store.find_session(&[1; 32]).expect("find"), None);
        assert!(
            store.find_session(&[2; 32]).expect("find").is_some(),
            "other sessions stay"
        );
        assert!(
            store.find_session(&[3; 32]).expect("find").is_some(),
            "the user's other sessions stay"
        );
        let record = store
            .audit_records(before + 1, 10)
            .expect("audit")
            .pop()
            .expect("the sign-out record");
        assert_eq!(
            (
                record.actor.as_str(),
                record.action.as_str(),
                record.target.as_str()
            ),
            ("user:aigerim", "user.sign_out", "user:aigerim")
        );
        assert_eq!(record.at, minutes(5));

        // An administrator ending someone else's session is recorded as the administrator.
        store
            .end_session(&[2; 32], &admin(), minutes(6))
            .expect("end another's session");
        assert_eq!(
            trail(store, before + 2),
            [entry3(&admin().id, "user.sign_out", "user:chief")]
        );
        assert_eq!(
            store.find_user("aigerim").expect("find").map(|u| u.0),
            Some(failed)
        );
        assert_eq!(verify_audit(store).expect("read the log"), Ok(before + 2));
    }

    pub fn ending_an_unknown_session_is_harmless_and_leaves_no_record(store: &dyn Store) {
        let user = add_operator(store, "aigerim");
        store
            .create_session([1; 32], "csrf", user.id, minutes(1), minutes(61))
            .expect("a session");
        store
            .end_session(&[1; 32], &user.actor(), minutes(2))
            .expect("sign out");
        let after = actions(store);
        assert_eq!(after, ["user.add", "user.sign_out"]);

        store
            .end_session(&[1; 32], &user.actor(), minutes(3))
            .expect("ending it again is fine");
        store
            .end_session(&[9; 32], &user.actor(), minutes(3))
            .expect("ending one that never was is fine");
        assert_eq!(actions(store), after, "nothing changed, nothing recorded");
        assert_eq!(store.find_session(&[1; 32]).expect("find"), None);
        assert_eq!(verify_audit(store).expect("read the log"), Ok(2));
    }

    pub fn oversight_searches_the_log_by_actor_action_target_and_time(store: &dyn Store) {
        let operator = Actor {
            id: "user:aigerim".into(),
            role: Role::Operator,
            region: None,
        };
        let drafts = |n: i64| {
            vec![
                AuditDraft::new(
                    operator.id.clone(),
                    "alert.view",
                    format!("alert:{n}"),
                    serde_json::json!({}),
                ),
                AuditDraft::new(
                    "token:3",
                    "events.ingest",
                    "events",
                    serde_json::json!({"accepted": n}),
                ),
            ]
        };
        for n in 0..5 {
            store.append_audit(drafts(n), minutes(n)).expect("append");
        }
        let search = |filter: crate::AuditFilter| store.search_audit(&filter).expect("search");
        let by_actor = search(crate::AuditFilter {
            actor: Some("user:aigerim".into()),
            ..Default::default()
        });
        assert_eq!(by_actor.len(), 5);
        assert!(
            by_actor.windows(2).all(|w| w[0].seq > w[1].seq),
            "newest first"
        );
        let nouns = search(crate::AuditFilter {
            action: Some("alert.".into()),
            ..Default::default()
        });
        assert_eq!(nouns.len(), 5);
        let none = search(crate::AuditFilter {
            action: Some("alert%".into()),
            ..Default::default()
        });
        assert!(
            none.is_empty(),
            "wildcards in a filter are plain characters"
        );
        let one = search(crate::AuditFilter {
            target: Some("alert:3".into()),
            ..Default::default()
        });
        assert_eq!(one.len(), 1);
        let window = search(crate::AuditFilter {
            since: Some(minutes(1)),
            until: Some(minutes(3)),
            ..Default::default()
        });
        assert_eq!(window.len(), 4, "two minutes, two records each");
        let page = search(crate::AuditFilter {
            limit: 3,
            ..Default::default()
        });
        let next = search(crate::AuditFilter {
            limit: 3,
            before_seq: page.last().map(|r| r.seq),
            ..Default::default()
        });
        assert_eq!(page.len() + next.len(), 6);
        assert!(next.iter().all(|r| r.seq < page[2].seq));
    }

    // --- what the console asks for -----------------------------------------------------------

    /// Asanov (passport typed with spaces, names in two scripts, a warrant), Bekova (an ID card,
    /// a Kazakh name, a search order) and Omarov (a court decision), all in Almaty but Omarov.
    fn add_searchable(store: &dyn Store) -> (WatchEntry, WatchEntry, WatchEntry) {
        use iz_model::{Document, DocumentType, Iin, NewWatchEntry, Person};
        let person = |n: u16, names: &[&str], document: Option<(DocumentType, &str)>| Person {
            iin: Some(Iin::parse(&iin(n)).expect("a valid IIN")),
            names: names.iter().map(|n| n.to_string()).collect(),
            documents: document
                .map(|(doc_type, number)| Document {
                    doc_type,
                    number: number.into(),
                    country: None,
                })
                .into_iter()
                .collect(),
            ..Person::default()
        };
        let entry = |n: u16, names: &[&str], document, reference: &str, region_code: &str| {
            let base = wanted_entry(&iin(n), region_code);
            let new = NewWatchEntry {
                person: person(n, names, document),
                legal_basis: iz_model::LegalBasis {
                    reference: reference.into(),
                    ..base.legal_basis.clone()
                },
                ..base
            };
            store.add_watch(new, &admin(), t0()).expect("add an entry")
        };
        (
            entry(
                1,
                &["Асанов Ерлан Серікұлы", "ASANOV YERLAN"],
                Some((DocumentType::Passport, "N 1234 5678")),
                "W-2026-0001",
                "KZ-75",
            ),
            entry(
                2,
                &["Бекова Айгүл"],
                Some((DocumentType::IdCard, "041 234 567")),
                "S-2026-0042",
                "KZ-75",
            ),
            entry(3, &["Omarov Daulet"], None, "CD-2025-0177", "KZ-71"),
        )
    }

    fn search(store: &dyn Store, filter: WatchFilter) -> Vec<i64> {
        store
            .list_watch(&filter)
            .expect("list")
            .into_iter()
            .map(|e| e.id)
            .collect()
    }

    fn text(q: &str) -> WatchFilter {
        WatchFilter {
            text: Some(q.into()),
            ..WatchFilter::default()
        }
    }

    pub fn searching_entries_finds_names_iins_documents_and_references_ignoring_case(
        store: &dyn Store,
    ) {
        let (asanov, bekova, omarov) = add_searchable(store);
        let (a, b, o) = (asanov.id, bekova.id, omarov.id);
        let find = |q: &str| search(store, text(q));

        // Names: a part of any spelling, in any case and script.
        assert_eq!(find("асанов"), [a], "lower case finds a capitalised name");
        assert_eq!(find("АСАНОВ"), [a]);
        assert_eq!(find("yerlan"), [a], "the Latin spelling is a name too");
        assert_eq!(find("айгүл"), [b], "Kazakh letters fold as well");
        assert_eq!(find("  daulet "), [o], "the text is trimmed");

        // IINs: from the start only (all three are born on one day, so share six digits).
        assert_eq!(find(&iin(1)[..6]), [a, b, o]);
        assert_eq!(find(&iin(2)[..10]), [b]);
        assert_eq!(find(&iin(2)), [b]);
        assert_eq!(find(&iin(2)[2..]), Vec::<i64>::new(), "not from the middle");

        // Documents: compared normalised, the query as well as the number.
        assert_eq!(find("n1234"), [a]);
        assert_eq!(find("Н 1234-5678"), [a], "a Cyrillic Н, spaces and a dash");
        assert_eq!(find("041 234"), [b], "a part of the number");

        // The legal basis reference: a part, ignoring case.
        assert_eq!(find("s-2026"), [b]);
        assert_eq!(find("2026"), [a, b]);
        assert_eq!(find("cd-2025-0177"), [o]);

        assert_eq!(find("zz"), Vec::<i64>::new());
        assert_eq!(find("   "), [a, b, o], "a blank search is no search");
    }

    pub fn a_search_pages_and_combines_with_the_other_filters(store: &dyn Store) {
        let (asanov, bekova, omarov) = add_searchable(store);
        let (a, b) = (asanov.id, bekova.id);
        // "2026" is in two references, "0" in every entry's IIN.
        assert_eq!(
            search(
                store,
                WatchFilter {
                    limit: 1,
                    ..text("2026")
                }
            ),
            [a],
            "a page is full with matches, not with the rows read"
        );
        assert_eq!(
            search(
                store,
                WatchFilter {
                    limit: 1,
                    after_id: Some(a),
                    ..text("2026")
                }
            ),
            [b]
        );
        assert_eq!(
            search(
                store,
                WatchFilter {
                    region: Some(region("KZ-71")),
                    ..text("9005")
                }
            ),
            [omarov.id]
        );
        store
            .withdraw_watch(b, "recalled", &admin(), minutes(1))
            .expect("withdraw");
        assert_eq!(
            search(
                store,
                WatchFilter {
                    status: Some("active".into()),
                    ..text("2026")
                }
            ),
            [a]
        );
    }

    pub fn entries_expiring_within_a_window_come_soonest_first(store: &dyn Store) {
        let expiring = |n: u16, at: DateTime<Utc>| {
            store
                .add_watch(
                    iz_model::NewWatchEntry {
                        expires_at: at,
                        ..wanted_entry(&iin(n), "KZ-75")
                    },
                    &admin(),
                    t0(),
                )
                .expect("add")
                .id
        };
        let days = |n: i64| t0() + chrono::Duration::days(n);
        let late = expiring(1, days(300));
        let in_five = expiring(2, days(5));
        let in_two = expiring(3, days(2));
        let also_in_two = expiring(4, days(2));
        let gone = expiring(5, minutes(5));
        let withdrawn = expiring(6, days(3));
        let at_the_bound = expiring(7, days(7));
        store
            .withdraw_watch(withdrawn, "recalled", &admin(), minutes(1))
            .expect("withdraw");

        // Seen at minute 10, for a week: `gone` has expired, `late` is far off.
        let week = WatchFilter {
            expires_after: Some(minutes(10)),
            expires_before: Some(days(7)),
            ..WatchFilter::default()
        };
        assert_eq!(
            search(store, week.clone()),
            [in_two, also_in_two, withdrawn, in_five],
            "soonest first, ties by id, both bounds strict"
        );
        let active_week = WatchFilter {
            status: Some("active".into()),
            ..week.clone()
        };
        assert_eq!(
            search(store, active_week.clone()),
            [in_two, also_in_two, in_five]
        );
        assert_eq!(
            search(
                store,
                WatchFilter {
                    limit: 2,
                    ..active_week
                }
            ),
            [in_two, also_in_two]
        );
        assert_eq!(
            search(
                store,
                WatchFilter {
                    expires_before: Some(minutes(10)),
                    ..WatchFilter::default()
                }
            ),
            [gone],
            "an upper bound alone finds the expired"
        );
        assert_eq!(
            search(store, WatchFilter::default()),
            [
                late,
                in_five,
                in_two,
                also_in_two,
                gone,
                withdrawn,
                at_the_bound
            ],
            "without a bound, by id"
        );
    }

    pub fn alerts_are_filtered_by_creation_time_and_counted(store: &dyn Store) {
        let entries: Vec<_> = (1..=3).map(|n| add(store, n, "KZ-75")).collect();
        // Received a second after each: minutes 0, 30 and 60.
        let a1 = created(see(store, &entries[0], "e-1", "egov", 0, None)).id;
        let a2 = created(see(store, &entries[1], "e-2", "egov", 30, None)).id;
        let a3 = created(see(store, &entries[2], "e-3", "egov", 60, None)).id;
        store
            .review_alert(a1, review(Decision::Reject, minutes(61)), &admin())
            .expect("reject");
        let before = |m: i64| AlertFilter {
            created_before: Some(minutes(m)),
            ..AlertFilter::default()
        };

        assert_eq!(list(store, before(31)), [a2, a1]);
        assert_eq!(
            list(store, before(30)),
            [a1],
            "strictly before: a2 came a second after minute 30"
        );
        let overdue = AlertFilter {
            status: Some(AlertStatus::Open),
            ..before(31)
        };
        assert_eq!(list(store, overdue.clone()), [a2]);

        let count = |filter: AlertFilter| store.count_alerts(&filter).expect("count");
        assert_eq!(count(AlertFilter::default()), 3);
        assert_eq!(
            count(AlertFilter {
                limit: 1,
                ..AlertFilter::default()
            }),
            3,
            "a count is not a page"
        );
        assert_eq!(count(overdue.clone()), 1);
        assert_eq!(
            count(AlertFilter {
                watch_id: Some(entries[2].id),
                ..AlertFilter::default()
            }),
            1
        );
        assert_eq!(
            count(AlertFilter {
                regions: Some(vec![region("KZ-71")]),
                ..AlertFilter::default()
            }),
            0
        );
        assert_eq!(
            count(AlertFilter {
                regions: Some(Vec::new()),
                ..overdue
            }),
            0,
            "no region, no alerts"
        );
        assert_eq!(list(store, AlertFilter::default()), [a3, a2, a1]);
    }

    pub fn alert_activity_counts_creations_and_reviews_per_hour_and_source(store: &dyn Store) {
        let almaty: Vec<_> = (1..=3).map(|n| add(store, n, "KZ-75")).collect();
        let astana = add(store, 4, "KZ-71");
        let old = created(see(store, &almaty[2], "e-0", "egov", -120, Some("KZ-75"))).id;
        let a1 = created(see(store, &almaty[0], "e-1", "egov", 0, Some("KZ-75"))).id;
        let a2 = created(see(store, &almaty[1], "e-2", "egov", 10, Some("KZ-75"))).id;
        created(see(store, &astana, "e-3", "hotels", 70, Some("KZ-71")));
        for (id, decision, at) in [
            (old, Decision::Reject, -110),
            (a1, Decision::Confirm, 75),
            (a2, Decision::Reject, 80),
        ] {
            store
                .review_alert(id, review(decision, minutes(at)), &admin())
                .expect("review");
        }
        let row = |hour: i64, source: &str, created, confirmed, rejected| AlertActivity {
            hour: minutes(hour * 60),
            source: source.into(),
            created,
            confirmed,
            rejected,
        };

        assert_eq!(
            store.alert_activity(minutes(30), None).expect("activity"),
            [
                row(0, "egov", 2, 0, 0),
                row(1, "egov", 0, 1, 1),
                row(1, "hotels", 1, 0, 0),
            ],
            "created in their hour, reviewed in theirs; the hour holding `since` counts"
        );
        assert_eq!(
            store.alert_activity(minutes(-120), None).expect("activity")[0],
            row(-2, "egov", 1, 0, 1),
            "created and reviewed within one hour"
        );
        assert_eq!(
            store
                .alert_activity(minutes(0), Some(&[region("KZ-71")]))
                .expect("activity"),
            [row(1, "hotels", 1, 0, 0)],
            "a region's alerts only"
        );
        assert_eq!(
            store
                .alert_activity(minutes(0), Some(&[]))
                .expect("activity"),
            Vec::new()
        );
    }

    pub fn audit_access_counts_each_actors_actions_with_their_latest_time(store: &dyn Store) {
        for (actor, action, at) in [
            ("user:aigerim", "alert.view", 1),
            ("user:aigerim", "alert.list", 2),
            ("user:aigerim", "alert.view", 3),
            ("token:3", "events.ingest", 4),
            ("user:bolat", "alert.view", 5),
        ] {
            store
                .append_audit(
                    vec![AuditDraft::new(actor, action, "alerts", json!({}))],
                    minutes(at),
                )
                .expect("append");
        }
        let count = |actor: &str, action: &str, count, last: i64| AccessCount {
            actor: actor.into(),
            action: action.into(),
            count,
            last_at: minutes(last),
        };

        assert_eq!(
            store.audit_access(None, None).expect("access"),
            [
                count("token:3", "events.ingest", 1, 4),
                count("user:aigerim", "alert.list", 1, 2),
                count("user:aigerim", "alert.view", 2, 3),
                count("user:bolat", "alert.view", 1, 5),
            ],
            "by actor, then action"
        );
        assert_eq!(
            store
                .audit_access(Some(minutes(2)), Some(minutes(5)))
                .expect("access"),
            [
                count("token:3", "events.ingest", 1, 4),
                count("user:aigerim", "alert.list", 1, 2),
                count("user:aigerim", "alert.view", 1, 3),
            ],
            "from `since` up to, not including, `until`"
        );
        assert_eq!(
            store.audit_access(Some(minutes(6)), None).expect("access"),
            Vec::new()
        );
    }

    // --- vehicles and faces ------------------------------------------------------------------

    pub fn a_vehicle_entry_keeps_its_plate_and_its_link_and_is_found_by_plate(store: &dyn Store) {
        let person = store
            .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
            .expect("person");
        let vehicle = iz_model::NewWatchEntry {
            kind: WatchKind::Vehicle,
            person: iz_model::Person::default(),
            vehicle: Some(iz_model::Vehicle {
                plate: "123 ABC 02".into(),
                description: Some("white Toyota Camry".into()),
            }),
            link: Some(iz_model::WatchLink {
                watch_id: Some(person.id),
                case_reference: None,
            }),
            ..wanted_entry(&iin(1), "KZ-75")
        };
        let stored = store.add_watch(vehicle, &admin(), t0()).expect("vehicle");
        let read = store.get_watch(stored.id).expect("read").expect("found");
        assert_eq!(read, stored);
        assert_eq!(read.kind, WatchKind::Vehicle);
        assert_eq!(
            read.vehicle.as_ref().map(|v| v.plate.as_str()),
            Some("123 ABC 02")
        );
        assert_eq!(read.link.as_ref().and_then(|l| l.watch_id), Some(person.id));
        // Found by its plate however it is typed, and only it.
        let found = search(store, text("123abc02"));
        assert_eq!(found, [stored.id]);
        assert!(
            store
                .active_watch_entries()
                .expect("active")
                .iter()
                .any(|e| e.id == stored.id && e.vehicle.is_some())
        );
    }

    pub fn enrolled_face_templates_read_back_bit_for_bit_and_are_shown_as_a_count(
        store: &dyn Store,
    ) {
        let unit = |hot: usize| -> iz_model::FaceTemplate {
            let mut v = vec![0.0f32; 8];
            v[hot] = 1.0;
            v[(hot + 1) % 8] = f32::EPSILON; // a value that must survive exactly
            v.into()
        };
        let entry = iz_model::NewWatchEntry {
            faces: vec![unit(0), unit(3)],
            ..wanted_entry(&iin(1), "KZ-75")
        };
        let stored = store.add_watch(entry, &admin(), t0()).expect("add");
        let plain = store
            .add_watch(wanted_entry(&iin(2), "KZ-75"), &admin(), t0())
            .expect("add");
        assert_eq!(stored.faces, vec![unit(0), unit(3)]);
        let read = store.get_watch(stored.id).expect("read").expect("found");
        assert_eq!(read.faces, vec![unit(0), unit(3)], "bit for bit, in order");
        let active = store.active_watch_entries().expect("active");
        let faces_of = |id: i64| {
            active
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.faces.len())
                .expect("listed")
        };
        assert_eq!((faces_of(stored.id), faces_of(plain.id)), (2, 0));
        let listed = search(store, WatchFilter::default());
        assert_eq!(listed.len(), 2);
        // The API shows how many templates an entry has, never the templates.
        let json = serde_json::to_value(&read).expect("json");
        assert_eq!(json["face_templates"], 2);
        assert!(!json.to_string().contains("1.0"), "{json}");
    }

    pub fn under_the_two_person_rule_a_second_person_must_confirm(store: &dyn Store) {
        use iz_model::Confirmation::TwoPerson;
        let entry = add(store, 1, "KZ-75");
        let a = created(see(store, &entry, "e-1", "cams", 0, None));
        let first = review(Decision::Confirm, minutes(10));
        let pending = store
            .decide_alert(a.id, first.clone(), &admin(), TwoPerson)
            .expect("first confirmation");
        assert_eq!(
            pending.status,
            AlertStatus::Open,
            "one confirmation is not enough"
        );
        assert_eq!(pending.first_confirmation.as_ref(), Some(&first));
        assert_eq!(alert(store, a.id), pending);
        assert_eq!(
            store
                .get_watch(entry.id)
                .expect("read")
                .expect("entry")
                .status,
            WatchStatus::Active,
            "the search goes on until the second confirmation"
        );

        // The same person cannot be the second pair of eyes.
        let again = review(Decision::Confirm, minutes(11));
        assert!(matches!(
            store.decide_alert(a.id, again, &admin(), TwoPerson),
            Err(StoreError::Conflict(_))
        ));

        let colleague = Actor {
            id: "user:second-operator".into(),
            role: Role::Operator,
            region: Some(region("KZ-75")),
        };
        let second = iz_model::Review {
            by: colleague.id.clone(),
            ..review(Decision::Confirm, minutes(12))
        };
        let confirmed = store
            .decide_alert(a.id, second.clone(), &colleague, TwoPerson)
            .expect("second confirmation");
        assert_eq!(confirmed.status, AlertStatus::Confirmed);
        assert_eq!(confirmed.review.as_ref(), Some(&second));
        assert_eq!(confirmed.first_confirmation.as_ref(), Some(&first));
        assert_eq!(alert(store, a.id), confirmed);
        let actions: Vec<String> = store
            .audit_records(1, 100)
            .expect("audit")
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert!(actions.iter().any(|a| a == "alert.confirm_first"));
        assert!(actions.iter().any(|a| a == "watch.close"));

        // A rejection needs one person, even under the rule.
        let other = add(store, 2, "KZ-75");
        let b = created(see(store, &other, "e-2", "cams", 0, None));
        let rejected = store
            .decide_alert(
                b.id,
                review(Decision::Reject, minutes(20)),
                &admin(),
                TwoPerson,
            )
            .expect("reject");
        assert_eq!(rejected.status, AlertStatus::Rejected);
    }
}
