//! What the SQLite backend promises beyond the contract.

use std::path::Path;

use iz_audit::{AuditDraft, ChainBreak};
use iz_model::{Decision, Role};
use iz_store::testing::{
    PASSWORD_HASH, admin, batch, event, hit_record, iin, minutes, review, t0, wanted_entry,
};
use iz_store::{SqliteOptions, SqliteStore, Store, StoreError, verify_audit};
use rusqlite::Connection;
use serde_json::json;

fn open(path: &Path) -> SqliteStore {
    SqliteStore::open(path, SqliteOptions::default()).expect("open the store")
}

/// A connection that goes around the store, as someone with the file would.
fn raw(path: &Path) -> Connection {
    Connection::open(path).expect("open the file directly")
}

/// Takes what versions 3 to 8 added out of a file, leaving the schema of version 2.
const UNDO_VERSION_3: &str = "DROP TABLE fraud_configs; DROP TABLE fraud_listings; DROP TABLE fraud_cases; DROP TABLE drone_incidents; DROP TABLE licence_files; DROP TABLE referrals; DROP TABLE violations; DROP TABLE supervised_devices; DROP TABLE supervised; \
     ALTER TABLE alerts DROP COLUMN first_confirmation; DROP TABLE watch_faces; ALTER TABLE watch_entries DROP COLUMN vehicle; \
     ALTER TABLE watch_entries DROP COLUMN link; DROP INDEX alerts_by_created; DROP INDEX alerts_by_reviewed; \
     DROP INDEX watch_entries_by_expiry; DROP INDEX audit_by_time; \
     ALTER TABLE alerts DROP COLUMN reviewed_at; PRAGMA user_version = 2;";

fn view(i: u64) -> AuditDraft {
    AuditDraft::new(
        "token:1",
        "alert.view",
        format!("alert:{i}"),
        json!({ "i": i }),
    )
}

/// A store whose log holds five records.
fn store_with_five_records(dir: &Path) -> (SqliteStore, std::path::PathBuf) {
    let path = dir.join("iz.sqlite");
    let store = open(&path);
    for i in 1..=5 {
        store
            .append_audit(vec![view(i)], minutes(i as i64))
            .expect("append");
    }
    assert_eq!(verify_audit(&store).expect("read the log"), Ok(5));
    (store, path)
}

fn chain_break(store: &SqliteStore) -> ChainBreak {
    verify_audit(store)
        .expect("read the log")
        .expect_err("the log was tampered with")
}

#[test]
fn opening_creates_the_file_and_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("data").join("nested").join("iz.sqlite");
    let store = open(&path);
    assert!(path.is_file());
    assert_eq!(store.path(), path);
    let mode: String = raw(&path)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_keeps_the_data_and_applies_no_migration_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    let store = open(&path);
    let entry = store
        .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
        .expect("add");
    let token = store
        .add_token([5; 32], Role::Ingest, None, "egov", &admin(), t0())
        .expect("token");
    let version = store.watch_version().expect("version");
    drop(store);

    let user_version = |path: &Path| -> i64 {
        raw(path)
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version")
    };
    let schema_version = user_version(&path);
    assert!(schema_version >= 1);
    for _ in 0..2 {
        let store = open(&path);
        assert_eq!(
            store.get_watch(entry.id).expect("read"),
            Some(entry.clone())
        );
        assert_eq!(
            store.find_token(&[5; 32]).expect("find"),
            Some(token.clone())
        );
        assert_eq!(store.watch_version().expect("version"), version);
        assert_eq!(verify_audit(&store).expect("read the log"), Ok(2));
        assert_eq!(user_version(&path), schema_version);
    }

    // The chain goes on where it stopped.
    let store = open(&path);
    store
        .append_audit(vec![view(1)], minutes(1))
        .expect("append");
    assert_eq!(
        store.audit_head().expect("head").map(|(seq, _)| seq),
        Some(3)
    );
    assert_eq!(verify_audit(&store).expect("read the log"), Ok(3));
}

#[test]
fn a_version_1_file_gains_users_and_sessions_on_open() {
    // A file as Iz wrote it before users existed: the current schema without their tables, at
    // version 1, holding an entry, a token and their audit records.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    let store = open(&path);
    let entry = store
        .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
        .expect("add");
    let token = store
        .add_token([5; 32], Role::Ingest, None, "egov", &admin(), t0())
        .expect("token");
    drop(store);
    let current: i64 = raw(&path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert!(current >= 2, "users came with version 2");
    raw(&path)
        .execute_batch(&format!(
            "{UNDO_VERSION_3} PRAGMA user_version = 1; DROP TABLE sessions; DROP TABLE users;"
        ))
        .expect("make a version-1 file");

    let store = open(&path);
    let conn = raw(&path);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, current, "upgraded to the current version");
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE name IN ('users', 'sessions', 'sessions_by_user') \
             ORDER BY name",
        )
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    assert_eq!(names, ["sessions", "sessions_by_user", "users"]);

    // What was there stays, and the new methods work on the upgraded file.
    assert_eq!(store.get_watch(entry.id).expect("read"), Some(entry));
    assert_eq!(store.find_token(&[5; 32]).expect("find"), Some(token));
    let user = store
        .add_user(
            "aigerim",
            PASSWORD_HASH,
            Role::Admin,
            None,
            &admin(),
            minutes(1),
        )
        .expect("add a user");
    store
        .create_session([7; 32], "csrf", user.id, minutes(2), minutes(62))
        .expect("a session");
    assert_eq!(
        store.find_session(&[7; 32]).expect("find").map(|s| s.user),
        Some(user)
    );
    assert_eq!(verify_audit(&store).expect("read the log"), Ok(3));
    drop(store);

    // A second opening finds nothing left to do.
    let store = open(&path);
    assert!(store.find_user("aigerim").expect("find").is_some());
    let version: i64 = raw(&path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, current);
}

#[test]
fn a_version_2_file_keeps_the_times_of_its_reviews_on_open() {
    // A file as Iz wrote it before reviews had their own time column: one alert rejected at
    // minute 5 (after its creation at minute 0, in the same hour), one still open.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    let store = open(&path);
    let one = store
        .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
        .expect("add");
    let two = store
        .add_watch(wanted_entry(&iin(2), "KZ-75"), &admin(), t0())
        .expect("add");
    let mut outcome = store
        .commit_batch(batch(vec![
            hit_record(event("e-1", "egov", &iin(1), t0(), None), &one),
            hit_record(event("e-2", "egov", &iin(2), minutes(70), None), &two),
        ]))
        .expect("commit");
    let rejected = outcome.changes.remove(0).alert().id;
    store
        .review_alert(rejected, review(Decision::Reject, minutes(5)), &admin())
        .expect("reject");
    let before = store.alert_activity(t0(), None).expect("activity");
    drop(store);
    raw(&path)
        .execute_batch(UNDO_VERSION_3)
        .expect("make a version-2 file");

    let store = open(&path);
    assert_eq!(
        store.alert_activity(t0(), None).expect("activity"),
        before,
        "the review is counted in its hour, the open alert in its own"
    );
    assert_eq!(before[0].rejected, 1);
    assert_eq!(
        store
            .count_alerts(&iz_store::AlertFilter {
                created_before: Some(minutes(60)),
                ..Default::default()
            })
            .expect("count"),
        1
    );
}

#[test]
fn a_file_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    drop(open(&path));
    raw(&path)
        .execute_batch("PRAGMA user_version = 999")
        .expect("set version");
    let result = SqliteStore::open(&path, SqliteOptions::default());
    assert!(matches!(result, Err(StoreError::Corrupt(_))), "{result:?}");
}

#[test]
fn a_row_that_is_not_what_iz_wrote_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    let store = open(&path);
    let entry = store
        .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
        .expect("add");
    raw(&path)
        .execute(
            "UPDATE watch_entries SET person = 'not json' WHERE id = ?1",
            [entry.id],
        )
        .expect("damage");
    let read = store.get_watch(entry.id);
    assert!(matches!(read, Err(StoreError::Corrupt(_))), "{read:?}");
    assert_eq!(read.map_err(|e| e.code()).err(), Some("corrupt_store"));
}

#[test]
fn normal_synchronous_mode_works_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = SqliteOptions {
        synchronous_full: false,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open(&dir.path().join("iz.sqlite"), options).expect("open");
    store
        .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
        .expect("add");
    assert_eq!(verify_audit(&store).expect("read the log"), Ok(1));
}

#[test]
fn two_stores_on_one_file_extend_one_chain() {
    // As `iz serve` and `iz token issue` would: two opens of one file, each with its own
    // connections, writing in turn.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    let server = open(&path);
    let cli = open(&path);

    let entry = server
        .add_watch(wanted_entry(&iin(1), "KZ-75"), &admin(), t0())
        .expect("add");
    cli.add_token(
        [1; 32],
        Role::Operator,
        iz_model::Region::parse("KZ-75").ok(),
        "desk",
        &admin(),
        t0(),
    )
    .expect("token");
    let mut outcome = server
        .commit_batch(batch(vec![hit_record(
            event("e-1", "egov", &iin(1), minutes(1), None),
            &entry,
        )]))
        .expect("commit");
    let alert = outcome.changes.pop().expect("an alert").alert().clone();
    cli.review_alert(alert.id, review(Decision::Confirm, minutes(2)), &admin())
        .expect("review from the other store");
    server
        .append_audit(vec![view(1)], minutes(3))
        .expect("append");

    for store in [&server, &cli] {
        assert_eq!(
            verify_audit(store).expect("read the log"),
            Ok(5),
            "add, token, review, close, view"
        );
        assert!(
            store.find_token(&[1; 32]).expect("find").is_some(),
            "each sees the other's writes"
        );
        assert_eq!(
            store.watch_version().expect("version"),
            server.watch_version().expect("version")
        );
    }
}

#[test]
fn concurrent_writers_on_one_file_extend_one_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("iz.sqlite");
    let stores = [open(&path), open(&path)];
    std::thread::scope(|scope| {
        for t in 0..4u64 {
            let store = &stores[(t % 2) as usize];
            scope.spawn(move || {
                for i in 0..25 {
                    store
                        .append_audit(
                            vec![view(t * 100 + i), view(t * 100 + i)],
                            minutes(i as i64),
                        )
                        .expect("append");
                }
            });
        }
    });
    assert_eq!(verify_audit(&stores[0]).expect("read the log"), Ok(200));
    assert_eq!(verify_audit(&stores[1]).expect("read the log"), Ok(200));
}

#[test]
fn a_changed_record_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = store_with_five_records(dir.path());
    raw(&path)
        .execute("UPDATE audit SET details = '{\"i\":99}' WHERE seq = 3", [])
        .expect("tamper");
    let broken = chain_break(&store);
    assert_eq!(broken, ChainBreak::Altered { seq: 3 });
    assert_eq!(broken.seq(), 3);
}

#[test]
fn a_removed_record_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = store_with_five_records(dir.path());
    raw(&path)
        .execute("DELETE FROM audit WHERE seq = 3", [])
        .expect("tamper");
    let broken = chain_break(&store);
    assert_eq!(
        broken,
        ChainBreak::OutOfSequence {
            expected: 3,
            found: 4
        }
    );
    assert_eq!(broken.seq(), 3);
}

#[test]
fn swapped_records_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = store_with_five_records(dir.path());
    raw(&path)
        .execute_batch(
            "BEGIN;
             UPDATE audit SET seq = -2 WHERE seq = 2;
             UPDATE audit SET seq = 2 WHERE seq = 4;
             UPDATE audit SET seq = 4 WHERE seq = -2;
             COMMIT;",
        )
        .expect("tamper");
    let broken = chain_break(&store);
    assert_eq!(broken.seq(), 2, "{broken}");
}

#[test]
fn records_cut_off_the_end_are_noticed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = store_with_five_records(dir.path());
    raw(&path)
        .execute("DELETE FROM audit WHERE seq = 5", [])
        .expect("tamper");
    assert_eq!(
        chain_break(&store),
        ChainBreak::Truncated { last: 4, head: 5 }
    );
}

#[test]
fn a_write_after_tampering_does_not_fork_the_chain() {
    // Someone added a record behind the store's back without moving the head: the store's next
    // append must fail rather than write a second record 6.
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = store_with_five_records(dir.path());
    raw(&path)
        .execute(
            "INSERT INTO audit (seq, at, actor, action, target, details, prev_hash, hash) \
             SELECT 6, at, actor, action, target, details, hash, hash FROM audit WHERE seq = 5",
            [],
        )
        .expect("tamper");
    let result = store.append_audit(vec![view(6)], minutes(6));
    assert!(matches!(result, Err(StoreError::Backend(_))), "{result:?}");
    assert_eq!(
        store.audit_head().expect("head").map(|(seq, _)| seq),
        Some(5),
        "the failed write changed nothing"
    );
}
