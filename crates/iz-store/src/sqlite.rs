//! The embedded backend: one SQLite file in WAL mode.
//!
//! Two connections per [`SqliteStore`]: a writer and a reader, each behind its own mutex. WAL
//! lets a read run beside a write, so the operators' queue does not wait for intake.
//!
//! Several processes may open the same file at once (`iz token issue --data DIR` while
//! `iz serve` runs). Two things keep that safe:
//!
//! - every write is `BEGIN IMMEDIATE`, which takes SQLite's write lock before the first read,
//!   so a read-then-write inside one transaction cannot interleave with another process's;
//! - the audit chain's head is read from the `audit_head` table inside that transaction, never
//!   cached in memory, so two processes appending in turn extend one chain.
//!
//! Times are stored as integer microseconds since the epoch (UTC): they sort, compare in SQL and
//! come back exactly, which the audit hashes depend on. Enums are stored as their snake_case
//! names, structured values (people, legal bases, statuses, reviews, events) as JSON text.
//!
//! The schema is versioned with `PRAGMA user_version`: [`MIGRATIONS`] holds one script per
//! version, and opening a file applies the ones it lacks, in one transaction.

mod fraud;
mod supervision;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use iz_audit::{AuditDraft, AuditRecord};
use iz_model::{
    Actor, Alert, AlertId, AlertStatus, Category, Confirmation, Decision, Event, EventKind,
    NewWatchEntry, Region, Review, Role, WatchEntry, WatchId, WatchStatus,
};
use parking_lot::Mutex;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::{
    AccessCount, AlertActivity, AlertChange, AlertFilter, BatchCommit, BatchOutcome, EventCount,
    LockoutPolicy, Result, SessionInfo, SourceKindCount, SourcePrecision, Stats, Store, StoreError,
    StoredHit, TokenInfo, UserInfo, WatchCounts, WatchFilter, WatchSearch,
};

/// How a [`SqliteStore`] opens its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// `PRAGMA synchronous = FULL` (a committed batch survives power loss) rather than `NORMAL`
    /// (it survives a crash of the process). Default true.
    pub synchronous_full: bool,
    /// How long a write waits for another connection's (or process's) write lock. Default 5 s.
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            synchronous_full: true,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The schema, one script per version; version `n` is `MIGRATIONS[n - 1]`. Append, never edit.
const MIGRATIONS: &[&str] = &[
    // Version 1.
    r#"
    -- Counters that are not rows of their own. `watch_version` changes with every watch entry.
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) STRICT;
    INSERT INTO meta (key, value) VALUES ('watch_version', 0);

    CREATE TABLE watch_entries (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        kind          TEXT NOT NULL,
        person        TEXT NOT NULL,    -- Person, JSON
        legal_basis   TEXT NOT NULL,    -- LegalBasis, JSON
        expires_at    INTEGER NOT NULL, -- µs since the epoch
        region        TEXT NOT NULL,
        priority      TEXT NOT NULL,
        category      TEXT NOT NULL,
        status        TEXT NOT NULL,    -- active | withdrawn | closed, for filtering
        status_detail TEXT NOT NULL,    -- WatchStatus, JSON
        created_at    INTEGER NOT NULL,
        created_by    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX watch_entries_by_status ON watch_entries (status, id);

    CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        watch_id        INTEGER NOT NULL REFERENCES watch_entries (id),
        kind            TEXT NOT NULL,
        status          TEXT NOT NULL,  -- open | confirmed | rejected
        region          TEXT NOT NULL,
        priority        TEXT NOT NULL,
        category        TEXT NOT NULL,
        missing_person  INTEGER NOT NULL,
        source          TEXT NOT NULL,
        matcher         TEXT NOT NULL,
        score           REAL NOT NULL,
        matched         TEXT NOT NULL,  -- [MatchedField], JSON
        first_seen      INTEGER NOT NULL,
        last_seen       INTEGER NOT NULL,
        count           INTEGER NOT NULL,
        last_event_id   TEXT NOT NULL,
        last_event_kind TEXT NOT NULL,
        last_place      TEXT,           -- Place, JSON
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        review          TEXT            -- Review, JSON
    ) STRICT;
    -- Finding the open alert a hit folds into.
    CREATE INDEX alerts_for_folding ON alerts (watch_id, source, status, last_seen);
    -- The operators' queue: open alerts of a region, newest first.
    CREATE INDEX alerts_for_queue ON alerts (status, region, id);

    -- One row per (source, event, entry): the key that makes redelivery harmless.
    CREATE TABLE hits (
        id          INTEGER PRIMARY KEY,
        alert_id    INTEGER NOT NULL REFERENCES alerts (id),
        watch_id    INTEGER NOT NULL REFERENCES watch_entries (id),
        source      TEXT NOT NULL,
        event_id    TEXT NOT NULL,
        event_kind  TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        event       TEXT NOT NULL,      -- Event, JSON
        hit         TEXT NOT NULL,      -- Hit, JSON
        UNIQUE (source, event_id, watch_id)
    ) STRICT;
    CREATE INDEX hits_by_alert ON hits (alert_id, occurred_at, id);

    CREATE TABLE event_counts (
        hour   INTEGER NOT NULL,        -- start of the hour, µs since the epoch
        source TEXT NOT NULL,
        kind   TEXT NOT NULL,
        events INTEGER NOT NULL,
        hits   INTEGER NOT NULL,
        PRIMARY KEY (hour, source, kind)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE tokens (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        secret_hash BLOB NOT NULL UNIQUE, -- SHA-256 of the secret; the secret is never stored
        role        TEXT NOT NULL,
        region      TEXT,
        label       TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        revoked     INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,     -- µs since the epoch, as hashed
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        target    TEXT NOT NULL,
        details   TEXT NOT NULL,        -- JSON
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    ) STRICT;

    -- The last record's number and hash, kept beside the log so that cutting records off its
    -- end shows. Exactly one row once the log has a record.
    CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT NOT NULL
    ) STRICT;
    "#,
    // Version 2: console users and their sessions.
    r#"
    CREATE TABLE users (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        name            TEXT NOT NULL UNIQUE,
        password_hash   TEXT NOT NULL,  -- PHC string (argon2id); the password is never stored
        role            TEXT NOT NULL,
        region          TEXT,
        created_at      INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0, -- failed sign-ins since the last good one
        locked_until    INTEGER         -- µs since the epoch, while locked
    ) STRICT;

    CREATE TABLE sessions (
        secret_hash BLOB PRIMARY KEY NOT NULL, -- SHA-256 of the cookie; the cookie is never stored
        user_id     INTEGER NOT NULL REFERENCES users (id),
        csrf_token  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sessions_by_user ON sessions (user_id);
    "#,
    // Version 3: what the console's figures, searches and oversight ask for.
    r#"
    ALTER TABLE alerts ADD COLUMN reviewed_at INTEGER; -- µs since the epoch, once reviewed
    -- A reviewed alert changes no more (hits fold into open alerts only), so its last update
    -- is its review.
    UPDATE alerts SET reviewed_at = updated_at WHERE review IS NOT NULL;
    -- Alerts created or reviewed per hour; overdue open alerts.
    CREATE INDEX alerts_by_created ON alerts (created_at);
    CREATE INDEX alerts_by_reviewed ON alerts (reviewed_at) WHERE reviewed_at IS NOT NULL;
    -- Entries expiring soon.
    CREATE INDEX watch_entries_by_expiry ON watch_entries (status, expires_at);
    -- Oversight's counts over a time range.
    CREATE INDEX audit_by_time ON audit (at);
    "#,
    // Version 4: vehicles sought, and face templates enrolled for wanted persons.
    r#"
    ALTER TABLE watch_entries ADD COLUMN vehicle TEXT; -- Vehicle, JSON (vehicle entries)
    ALTER TABLE watch_entries ADD COLUMN link TEXT;    -- WatchLink, JSON
    CREATE TABLE watch_faces (
        watch_id INTEGER NOT NULL REFERENCES watch_entries (id),
        n        INTEGER NOT NULL,
        template BLOB NOT NULL,    -- f32 components, little-endian
        PRIMARY KEY (watch_id, n)
    ) STRICT;
    "#,
    // Version 5: the two-person rule's first confirmation.
    r#"
    ALTER TABLE alerts ADD COLUMN first_confirmation TEXT; -- Review, JSON
    "#,
    // Version 6: probation supervision — persons under an order, the violations found, and
    // referrals to social help with their delivery.
    r#"
    CREATE TABLE supervised (
        id             INTEGER PRIMARY KEY,
        iin            TEXT,
        name           TEXT NOT NULL,
        officer        TEXT NOT NULL,
        region         TEXT NOT NULL,
        legal_basis    TEXT NOT NULL, -- LegalBasis, JSON
        term_from      INTEGER NOT NULL,
        term_until     INTEGER NOT NULL,
        devices        TEXT NOT NULL, -- JSON array
        restrictions   TEXT NOT NULL, -- RestrictionsInput, JSON
        needs          TEXT NOT NULL, -- JSON array
        created_at     INTEGER NOT NULL,
        created_by     TEXT NOT NULL,
        released_at    INTEGER,
        release_reason TEXT
    ) STRICT;
    CREATE INDEX supervised_by_officer ON supervised (officer, released_at);
    -- A device is worn by one person under supervision at a time.
    CREATE TABLE supervised_devices (
        device TEXT PRIMARY KEY,
        person INTEGER NOT NULL REFERENCES supervised (id)
    ) STRICT;
    CREATE TABLE violations (
        id           INTEGER PRIMARY KEY,
        person       INTEGER NOT NULL REFERENCES supervised (id),
        kind_key     TEXT NOT NULL,
        kind         TEXT NOT NULL, -- ViolationKind, JSON
        started_at   INTEGER NOT NULL,
        opened_at    INTEGER NOT NULL,
        ended_at     INTEGER,
        observations INTEGER NOT NULL,
        evidence     TEXT NOT NULL, -- Evidence, JSON
        status       TEXT NOT NULL,
        acknowledged TEXT,          -- Handled, JSON
        closed       TEXT,          -- Handled, JSON
        UNIQUE (person, kind_key, started_at)
    ) STRICT;
    CREATE INDEX violations_by_time ON violations (opened_at);
    CREATE INDEX violations_ongoing ON violations (person, kind_key) WHERE ended_at IS NULL;
    CREATE TABLE referrals (
        id                  INTEGER PRIMARY KEY,
        person              INTEGER NOT NULL REFERENCES supervised (id),
        rule_id             TEXT NOT NULL,
        rule                TEXT NOT NULL, -- ReferralRule, JSON (as it was when proposed)
        status              TEXT NOT NULL,
        history             TEXT NOT NULL, -- [StatusChange], JSON
        next_delivery_at    INTEGER,
        delivery_attempts   INTEGER NOT NULL DEFAULT 0,
        delivered_at        INTEGER,
        last_delivery_error TEXT
    ) STRICT;
    CREATE INDEX referrals_by_person ON referrals (person);
    CREATE INDEX referrals_due ON referrals (next_delivery_at) WHERE next_delivery_at IS NOT NULL;
    "#,
    // Version 7: drone watch — licence files (the latest is in force) and incidents.
    r#"
    CREATE TABLE licence_files (
        id        INTEGER PRIMARY KEY,
        geojson   TEXT NOT NULL,
        licences  INTEGER NOT NULL,
        loaded_at INTEGER NOT NULL,
        loaded_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE drone_incidents (
        id         INTEGER PRIMARY KEY, -- the incident's own number
        incident   TEXT NOT NULL,       -- Incident, JSON
        closed     INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    "#,
    // Version 8: the anti-fraud centre — the analysts' queue, block-lists and drug-shop
    // listings, configurations put in force. No transaction or call is kept.
    r#"
    CREATE TABLE fraud_cases (
        id        INTEGER PRIMARY KEY,
        kind      TEXT NOT NULL,        -- dropper | sim_box
        subject   TEXT NOT NULL,        -- bank/account, or a number
        opened_at INTEGER NOT NULL,
        detail    TEXT NOT NULL,        -- score and reasons, JSON
        status    TEXT NOT NULL,        -- open | confirmed | dismissed
        handled   TEXT                  -- CaseHandling, JSON
    ) STRICT;
    -- One open case per subject and kind.
    CREATE UNIQUE INDEX fraud_cases_open ON fraud_cases (kind, subject) WHERE status = 'open';
    CREATE TABLE fraud_listings (
        id        INTEGER PRIMARY KEY,
        body      TEXT NOT NULL,        -- ListingBody, JSON
        added_by  TEXT NOT NULL,
        added_at  INTEGER NOT NULL,
        withdrawn TEXT                  -- Withdrawal, JSON
    ) STRICT;
    CREATE TABLE fraud_configs (
        id         INTEGER PRIMARY KEY,
        version    INTEGER NOT NULL,
        text       TEXT NOT NULL,
        applied_at INTEGER NOT NULL,
        applied_by TEXT NOT NULL
    ) STRICT;
    "#,
];

/// Page sizes: 0 asks for the default, anything larger than the cap gets the cap.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 10_000;

fn page_limit(limit: usize) -> i64 {
    let limit = if limit == 0 {
        DEFAULT_LIMIT
    } else {
        limit.min(MAX_LIMIT)
    };
    // At most MAX_LIMIT, so always fits.
    i64::try_from(limit).unwrap_or(i64::MAX)
}

const HOUR_MICROS: i64 = 3_600_000_000;

/// The SQLite store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    /// Runs WAL checkpoints beside the writer (see [`Store::maintain`]).
    checkpointer: Mutex<Connection>,
}

/// Pages the WAL may grow to before a commit checkpoints it itself; normally `maintain` keeps it
/// far below (SQLite's own default is 1,000, which puts a checkpoint's fsync inside every
/// thousandth page of commits and stalls that batch).
const WAL_AUTOCHECKPOINT_PAGES: i64 = 50_000;

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if missing, with its folder) the database at `path` and brings its schema
    /// up to date. Opening a file another process has open is fine.
    pub fn open(path: &Path, options: SqliteOptions) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        let mut writer = Connection::open(path)?;
        writer.busy_timeout(options.busy_timeout)?;
        // WAL is a property of the file: set once, kept by every later opening.
        let mode: String =
            writer.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(format!(
                "{} cannot use WAL (journal mode is {mode})",
                path.display()
            )));
        }
        writer.pragma_update(
            None,
            "synchronous",
            if options.synchronous_full {
                "FULL"
            } else {
                "NORMAL"
            },
        )?;
        writer.pragma_update(None, "foreign_keys", "ON")?;
        writer.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        writer.set_prepared_statement_cache_capacity(64);
        migrate(&mut writer)?;

        // Opened after the migrations, so it never sees a half-made schema.
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(options.busy_timeout)?;
        reader.set_prepared_statement_cache_capacity(64);

        let checkpointer = Connection::open(path)?;
        checkpointer.busy_timeout(options.busy_timeout)?;

        tracing::debug!(path = %path.display(), "opened sqlite store");
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            checkpointer: Mutex::new(checkpointer),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction.
    ///
    /// `BEGIN IMMEDIATE` takes the database's write lock up front (waiting up to the busy
    /// timeout), so everything `f` reads — the audit head above all — stays true until commit,
    /// whichever process or connection wants to write next. An error rolls everything back.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction, so that several queries see one snapshot.
    fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.reader.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Applies the migrations the file lacks. In an immediate transaction, so two processes opening
/// a new file at once do not both create the tables.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = MIGRATIONS.len();
    let version = usize::try_from(version)
        .map_err(|_| StoreError::Corrupt(format!("schema version {version} is negative")))?;
    if version > known {
        return Err(StoreError::Corrupt(format!(
            "the schema is at version {version}, this Iz knows versions up to {known}; upgrade Iz"
        )));
    }
    for (i, script) in MIGRATIONS.iter().enumerate().skip(version) {
        tx.execute_batch(script)?;
        tracing::info!(version = i + 1, "applied store migration");
    }
    if version < known {
        // PRAGMA takes no parameters; `known` is a number of ours.
        tx.execute_batch(&format!("PRAGMA user_version = {known}"))?;
    }
    tx.commit()?;
    Ok(())
}

// --- conversions ---------------------------------------------------------------------------

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// `t` as it will come back from the database: to the microsecond. Times are cut at the door so
/// that what a method returns equals what a later read gives.
fn to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros(t)).unwrap_or(t)
}

fn time(us: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(us)
        .ok_or_else(|| StoreError::Corrupt(format!("{us} µs is not a time")))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("cannot write JSON: {e}")))
}

fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// A unit enum from its snake_case name, through its serde form.
fn from_name<T: DeserializeOwned>(name: String, what: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn region(code: &str) -> Result<Region> {
    Region::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn unsigned(n: i64, what: &str) -> Result<u64> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{what} is {n}")))
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn hour_start(t: DateTime<Utc>) -> i64 {
    let us = micros(t);
    us - us.rem_euclid(HOUR_MICROS)
}

// --- rows ----------------------------------------------------------------------------------

const WATCH_COLUMNS: &str = "id, kind, person, legal_basis, expires_at, region, priority, category, status_detail, created_at, created_by, vehicle, link";

fn watch_from_row(row: &Row<'_>) -> Result<WatchEntry> {
    Ok(WatchEntry {
        id: row.get(0)?,
        kind: from_name(row.get(1)?, "watch kind")?,
        person: from_json(&row.get::<_, String>(2)?, "watch person")?,
        legal_basis: from_json(&row.get::<_, String>(3)?, "legal basis")?,
        expires_at: time(row.get(4)?)?,
        region: region(&row.get::<_, String>(5)?)?,
        priority: from_name(row.get(6)?, "priority")?,
        category: from_name(row.get(7)?, "category")?,
        status: from_json(&row.get::<_, String>(8)?, "watch status")?,
        created_at: time(row.get(9)?)?,
        created_by: row.get(10)?,
        vehicle: optional_json(row.get(11)?, "vehicle")?,
        link: optional_json(row.get(12)?, "watch link")?,
        faces: Vec::new(),
    })
}

fn optional_json<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    what: &'static str,
) -> Result<Option<T>> {
    text.map(|t| from_json(&t, what)).transpose()
}

/// Fills in the enrolled face templates of `entries` (sorted by id or not).
fn load_faces(conn: &Connection, entries: &mut [WatchEntry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut by_id: HashMap<WatchId, usize> = HashMap::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        by_id.insert(e.id, i);
    }
    let (low, high) = entries.iter().fold((i64::MAX, i64::MIN), |(lo, hi), e| {
        (lo.min(e.id), hi.max(e.id))
    });
    let mut stmt = conn.prepare_cached(
        "SELECT watch_id, template FROM watch_faces WHERE watch_id BETWEEN ?1 AND ?2 ORDER BY watch_id, n",
    )?;
    let mut rows = stmt.query(params![low, high])?;
    while let Some(row) = rows.next()? {
        let id: WatchId = row.get(0)?;
        if let Some(&i) = by_id.get(&id) {
            let bytes: Vec<u8> = row.get(1)?;
            let template: Vec<f32> = bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            entries[i].faces.push(template.into());
        }
    }
    Ok(())
}

fn load_watch(conn: &Connection, id: WatchId) -> Result<Option<WatchEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {WATCH_COLUMNS} FROM watch_entries WHERE id = ?1"
    ))?;
    let mut rows = stmt.query([id])?;
    let Some(mut entry) = rows.next()?.map(watch_from_row).transpose()? else {
        return Ok(None);
    };
    load_faces(conn, std::slice::from_mut(&mut entry))?;
    Ok(Some(entry))
}

fn set_watch_status(conn: &Connection, id: WatchId, status: &WatchStatus) -> Result<()> {
    conn.prepare_cached("UPDATE watch_entries SET status = ?2, status_detail = ?3 WHERE id = ?1")?
        .execute(params![id, status.name(), to_json(status)?])?;
    bump_watch_version(conn)
}

fn bump_watch_version(conn: &Connection) -> Result<()> {
    conn.prepare_cached("UPDATE meta SET value = value + 1 WHERE key = 'watch_version'")?
        .execute([])?;
    Ok(())
}

const ALERT_COLUMNS: &str = "id, watch_id, kind, status, region, priority, category, missing_person, source, \
     matcher, score, matched, first_seen, last_seen, count, last_event_id, last_event_kind, last_place, \
     created_at, updated_at, review, first_confirmation";

fn alert_from_row(row: &Row<'_>) -> Result<Alert> {
    let status: String = row.get(3)?;
    let count: i64 = row.get(14)?;
    Ok(Alert {
        id: row.get(0)?,
        watch_id: row.get(1)?,
        kind: from_name(row.get(2)?, "alert kind")?,
        status: AlertStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("alert status {status:?}")))?,
        region: region(&row.get::<_, String>(4)?)?,
        priority: from_name(row.get(5)?, "priority")?,
        category: from_name(row.get(6)?, "category")?,
        missing_person: row.get(7)?,
        source: row.get(8)?,
        matcher: row.get(9)?,
        // Stored from an f32, so the narrowing gives back the same value.
        score: row.get::<_, f64>(10)? as f32,
        matched: from_json(&row.get::<_, String>(11)?, "matched fields")?,
        first_seen: time(row.get(12)?)?,
        last_seen: time(row.get(13)?)?,
        count: u32::try_from(count)
            .map_err(|_| StoreError::Corrupt(format!("alert count {count}")))?,
        last_event_id: row.get(15)?,
        last_event_kind: from_name(row.get(16)?, "event kind")?,
        last_place: row
            .get::<_, Option<String>>(17)?
            .map(|t| from_json(&t, "place"))
            .transpose()?,
        created_at: time(row.get(18)?)?,
        updated_at: time(row.get(19)?)?,
        review: row
            .get::<_, Option<String>>(20)?
            .map(|t| from_json(&t, "review"))
            .transpose()?,
        first_confirmation: optional_json(row.get(21)?, "first confirmation")?,
    })
}

/// The conditions of an [`AlertFilter`] but its page size, over parameters `?1` to `?6` as
/// [`alert_filter_params`] gives them. NULL parameters switch a condition off, so one cached
/// statement serves every filter.
const ALERT_FILTER: &str = "(?1 IS NULL OR status = ?1) \
     AND (?2 IS NULL OR region IN (SELECT value FROM json_each(?2))) \
     AND (?3 IS NULL OR source = ?3) \
     AND (?4 IS NULL OR watch_id = ?4) \
     AND (?5 IS NULL OR created_at < ?5) \
     AND (?6 IS NULL OR id < ?6)";

type AlertFilterParams<'a> = (
    Option<&'static str>,
    Option<String>,
    Option<&'a str>,
    Option<WatchId>,
    Option<i64>,
    Option<AlertId>,
);

fn alert_filter_params(filter: &AlertFilter) -> Result<AlertFilterParams<'_>> {
    Ok((
        filter.status.map(AlertStatus::as_str),
        regions_param(filter.regions.as_deref())?,
        filter.source.as_deref(),
        filter.watch_id,
        filter.created_before.map(micros),
        filter.before_id,
    ))
}

/// Regions travel as one JSON array parameter, so that the statement text (and its cache
/// entry) does not depend on how many there are.
fn regions_param(regions: Option<&[Region]>) -> Result<Option<String>> {
    regions
        .map(|rs| to_json(&rs.iter().map(|r| r.code()).collect::<Vec<_>>()))
        .transpose()
}

fn load_alert(conn: &Connection, id: AlertId) -> Result<Option<Alert>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    rows.next()?.map(alert_from_row).transpose()
}

fn collect<T>(mut rows: rusqlite::Rows<'_>, map: impl Fn(&Row<'_>) -> Result<T>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(row)?);
    }
    Ok(out)
}

fn token_from_row(row: &Row<'_>) -> Result<TokenInfo> {
    let role: String = row.get(1)?;
    Ok(TokenInfo {
        id: row.get(0)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("token role {role:?}")))?,
        region: row
            .get::<_, Option<String>>(2)?
            .as_deref()
            .map(region)
            .transpose()?,
        label: row.get(3)?,
        created_at: time(row.get(4)?)?,
        revoked: row.get(5)?,
    })
}

/// The columns of a [`UserInfo`], qualified so that they read the same in a join.
const USER_COLUMNS: &str = "users.id, users.name, users.role, users.region, users.created_at, \
     users.failed_attempts, users.locked_until";

/// A user from [`USER_COLUMNS`] at the start of `row`.
fn user_from_row(row: &Row<'_>) -> Result<UserInfo> {
    let role: String = row.get(2)?;
    let failed: i64 = row.get(5)?;
    Ok(UserInfo {
        id: row.get(0)?,
        name: row.get(1)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("user role {role:?}")))?,
        region: row
            .get::<_, Option<String>>(3)?
            .as_deref()
            .map(region)
            .transpose()?,
        created_at: time(row.get(4)?)?,
        failed_attempts: u32::try_from(failed)
            .map_err(|_| StoreError::Corrupt(format!("failed sign-ins {failed}")))?,
        locked_until: row.get::<_, Option<i64>>(6)?.map(time).transpose()?,
    })
}

fn load_user(conn: &Connection, id: i64) -> Result<Option<UserInfo>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    rows.next()?.map(user_from_row).transpose()
}

/// How lock times are written in audit details: RFC 3339 in UTC, as precise as needed.
fn audit_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

// --- audit ---------------------------------------------------------------------------------

fn read_audit_head(conn: &Connection) -> Result<Option<(u64, String)>> {
    let head = conn
        .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
        .query_row([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })
        .optional()?;
    head.map(|(seq, hash)| Ok((unsigned(seq, "audit head")?, hash)))
        .transpose()
}

/// Seals and appends `drafts` after the chain's current head and moves the head, inside the
/// caller's write transaction. The head comes from the database, never from memory: another
/// process may have appended since this one last looked.
fn append_audit(
    conn: &Connection,
    drafts: impl IntoIterator<Item = AuditDraft>,
    at: DateTime<Utc>,
) -> Result<()> {
    let mut head = read_audit_head(conn)?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO audit (seq, at, actor, action, target, details, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut appended = false;
    for draft in drafts {
        let record = draft.seal(head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())), at);
        // A record already at this number means the head fell behind the log: the insert fails
        // (primary key) and the whole transaction with it, rather than forking the chain.
        insert.execute(params![
            signed(record.seq),
            micros(record.at),
            record.actor,
            record.action,
            record.target,
            record.details.to_string(),
            record.prev_hash,
            record.hash,
        ])?;
        head = Some((record.seq, record.hash));
        appended = true;
    }
    if let (true, Some((seq, hash))) = (appended, head) {
        conn.prepare_cached(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) \
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )?
        .execute(params![signed(seq), hash])?;
    }
    Ok(())
}

fn audit_from_row(row: &Row<'_>) -> Result<AuditRecord> {
    Ok(AuditRecord {
        seq: unsigned(row.get(0)?, "audit seq")?,
        at: time(row.get(1)?)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        target: row.get(4)?,
        details: from_json(&row.get::<_, String>(5)?, "audit details")?,
        prev_hash: row.get(6)?,
        hash: row.get(7)?,
    })
}

// --- writes --------------------------------------------------------------------------------

/// Inserts one entry and returns it with its id, with the `watch.add` draft for it. The draft
/// names the legal basis and the entry's scope, not the person: the entry itself holds those.
fn insert_watch(
    conn: &Connection,
    mut entry: NewWatchEntry,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<(WatchEntry, AuditDraft)> {
    entry.expires_at = to_micros(entry.expires_at);
    let status = WatchStatus::Active;
    conn.prepare_cached(
        "INSERT INTO watch_entries (kind, person, legal_basis, expires_at, region, priority, category, \
         status, status_detail, created_at, created_by, vehicle, link) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        entry.kind.as_str(),
        to_json(&entry.person)?,
        to_json(&entry.legal_basis)?,
        micros(entry.expires_at),
        entry.region.code(),
        entry.priority.as_str(),
        entry.category.as_str(),
        status.name(),
        to_json(&status)?,
        micros(at),
        actor.id,
        entry.vehicle.as_ref().map(to_json).transpose()?,
        entry.link.as_ref().map(to_json).transpose()?,
    ])?;
    let id = conn.last_insert_rowid();
    for (n, template) in entry.faces.iter().enumerate() {
        let bytes: Vec<u8> = template.iter().flat_map(|x| x.to_le_bytes()).collect();
        conn.prepare_cached("INSERT INTO watch_faces (watch_id, n, template) VALUES (?1, ?2, ?3)")?
            .execute(params![id, n as i64, bytes])?;
    }
    let draft = AuditDraft::new(
        actor.id.clone(),
        "watch.add",
        format!("watch:{id}"),
        json!({
            "legal_basis": {
                "kind": entry.legal_basis.kind,
                "reference": entry.legal_basis.reference,
                "authority": entry.legal_basis.authority,
            },
            "kind": entry.kind.as_str(),
            "region": entry.region.code(),
            "category": entry.category.as_str(),
            "priority": entry.priority.as_str(),
            "expires_at": entry.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            "face_templates": entry.faces.len(),
            "linked_to": entry.link.as_ref().and_then(|l| l.watch_id),
        }),
    );
    Ok((entry.into_entry(id, at, actor.id.clone()), draft))
}

fn insert_alert(conn: &Connection, alert: &Alert) -> Result<AlertId> {
    conn.prepare_cached(
        "INSERT INTO alerts (watch_id, kind, status, region, priority, category, missing_person, source, matcher, \
         score, matched, first_seen, last_seen, count, last_event_id, last_event_kind, last_place, created_at, \
         updated_at, review) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, NULL)",
    )?
    .execute(params![
        alert.watch_id,
        alert.kind.as_str(),
        alert.status.as_str(),
        alert.region.code(),
        alert.priority.as_str(),
        alert.category.as_str(),
        alert.missing_person,
        alert.source,
        alert.matcher,
        f64::from(alert.score),
        to_json(&alert.matched)?,
        micros(alert.first_seen),
        micros(alert.last_seen),
        alert.count,
        alert.last_event_id,
        alert.last_event_kind.as_str(),
        alert.last_place.as_ref().map(to_json).transpose()?,
        micros(alert.created_at),
        micros(alert.updated_at),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Writes back what folding a hit changes.
fn update_folded_alert(conn: &Connection, alert: &Alert) -> Result<()> {
    conn.prepare_cached(
        "UPDATE alerts SET first_seen = ?2, last_seen = ?3, count = ?4, last_event_id = ?5, last_event_kind = ?6, \
         last_place = ?7, updated_at = ?8 WHERE id = ?1",
    )?
    .execute(params![
        alert.id,
        micros(alert.first_seen),
        micros(alert.last_seen),
        alert.count,
        alert.last_event_id,
        alert.last_event_kind.as_str(),
        alert.last_place.as_ref().map(to_json).transpose()?,
        micros(alert.updated_at),
    ])?;
    Ok(())
}

/// The open alert a hit on `watch_id` from `source` at `at` folds into: the one whose latest hit
/// is nearest before or after within the window, preferring the latest.
fn find_fold_target(
    conn: &Connection,
    watch_id: WatchId,
    source: &str,
    at: DateTime<Utc>,
    batch: &BatchCommit,
) -> Result<Option<Alert>> {
    let window = batch
        .fold
        .window
        .num_microseconds()
        .unwrap_or(i64::MAX)
        .max(0);
    let at_us = micros(at);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ALERT_COLUMNS} FROM alerts \
         WHERE watch_id = ?1 AND source = ?2 AND status = 'open' AND last_seen BETWEEN ?3 AND ?4 \
         ORDER BY last_seen DESC, id DESC"
    ))?;
    let rows = stmt.query(params![
        watch_id,
        source,
        at_us.saturating_sub(window),
        at_us.saturating_add(window)
    ])?;
    // The SQL range is the policy's; checking `folds` as well keeps the policy the one authority.
    Ok(collect(rows, alert_from_row)?
        .into_iter()
        .find(|a| batch.fold.folds(a.last_seen, at)))
}

fn hit_exists(conn: &Connection, event: &Event, watch_id: WatchId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM hits WHERE source = ?1 AND event_id = ?2 AND watch_id = ?3")?
        .query_row(params![event.source, event.id, watch_id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn insert_hit(conn: &Connection, alert_id: AlertId, record: &crate::HitRecord) -> Result<()> {
    let event = &record.event;
    conn.prepare_cached(
        "INSERT INTO hits (alert_id, watch_id, source, event_id, event_kind, occurred_at, received_at, event, hit) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        alert_id,
        record.hit.watch_id,
        event.source,
        event.id,
        event.kind.as_str(),
        micros(event.occurred_at),
        micros(event.received_at),
        to_json(event)?,
        to_json(&record.hit)?,
    ])?;
    Ok(())
}

/// Records one hit: folds it into an open alert or opens a new one. `None` when the same
/// (source, event, entry) was recorded before, by an earlier delivery or earlier in this batch.
fn record_hit(
    conn: &Connection,
    record: &crate::HitRecord,
    batch: &BatchCommit,
) -> Result<Option<AlertChange>> {
    let (event, hit, entry) = (&record.event, &record.hit, &record.entry);
    let (occurred_at, received_at) = (to_micros(event.occurred_at), to_micros(event.received_at));
    if hit.watch_id != entry.id {
        return Err(StoreError::Conflict(format!(
            "a hit on watch entry {} came with entry {}",
            hit.watch_id, entry.id
        )));
    }
    // Idempotency: this runs inside the batch's immediate transaction, so no other writer can
    // record the same key between this check and the insert below; the UNIQUE constraint on
    // (source, event_id, watch_id) backs it up.
    if hit_exists(conn, event, hit.watch_id)? {
        return Ok(None);
    }
    let change = match find_fold_target(conn, hit.watch_id, &event.source, occurred_at, batch)? {
        Some(mut alert) => {
            alert.count = alert.count.saturating_add(1);
            // A late hit (out of order) counts, but the latest place stays the latest.
            if occurred_at >= alert.last_seen {
                alert.last_seen = occurred_at;
                alert.last_place = event.place.clone();
                alert.last_event_id = event.id.clone();
                alert.last_event_kind = event.kind;
            }
            alert.first_seen = alert.first_seen.min(occurred_at);
            alert.updated_at = received_at;
            update_folded_alert(conn, &alert)?;
            AlertChange::Folded(alert)
        }
        None => {
            let mut alert = Alert {
                id: 0,
                kind: entry.kind,
                watch_id: hit.watch_id,
                status: AlertStatus::Open,
                region: iz_model::alert::route(event.place.as_ref(), entry.region),
                priority: entry.priority,
                category: entry.category,
                missing_person: entry.category == Category::MissingPerson,
                source: event.source.clone(),
                matcher: hit.matcher.clone(),
                score: hit.score,
                matched: hit.matched.clone(),
                first_seen: occurred_at,
                last_seen: occurred_at,
                count: 1,
                last_event_id: event.id.clone(),
                last_event_kind: event.kind,
                last_place: event.place.clone(),
                created_at: received_at,
                updated_at: received_at,
                review: None,
                first_confirmation: None,
            };
            alert.id = insert_alert(conn, &alert)?;
            AlertChange::Created(alert)
        }
    };
    insert_hit(conn, change.alert().id, record)?;
    Ok(Some(change))
}

fn add_counts(conn: &Connection, counts: &[EventCount]) -> Result<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO event_counts (hour, source, kind, events, hits) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (hour, source, kind) DO UPDATE SET \
         events = events + excluded.events, hits = hits + excluded.hits",
    )?;
    for count in counts {
        upsert.execute(params![
            hour_start(count.hour),
            count.source,
            count.kind.as_str(),
            signed(count.events),
            signed(count.hits),
        ])?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn add_watch(
        &self,
        entry: NewWatchEntry,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<WatchEntry> {
        let mut added = self.add_watch_many(vec![entry], actor, at)?;
        added
            .pop()
            .ok_or_else(|| StoreError::Backend("an added entry went missing".into()))
    }

    fn add_watch_many(
        &self,
        entries: Vec<NewWatchEntry>,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Vec<WatchEntry>> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let at = to_micros(at);
        self.write(|tx| {
            let mut added = Vec::with_capacity(entries.len());
            let mut drafts = Vec::with_capacity(entries.len());
            for entry in entries {
                let (entry, draft) = insert_watch(tx, entry, actor, at)?;
                added.push(entry);
                drafts.push(draft);
            }
            bump_watch_version(tx)?;
            append_audit(tx, drafts, at)?;
            Ok(added)
        })
    }

    fn get_watch(&self, id: WatchId) -> Result<Option<WatchEntry>> {
        self.read(|tx| load_watch(tx, id))
    }

    fn withdraw_watch(
        &self,
        id: WatchId,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<WatchEntry> {
        let at = to_micros(at);
        self.write(|tx| {
            let mut entry = load_watch(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: "watch entry",
                id: id.to_string(),
            })?;
            if entry.status != WatchStatus::Active {
                return Err(StoreError::Conflict(format!(
                    "watch entry {id} is {}, only an active entry can be withdrawn",
                    entry.status.name()
                )));
            }
            entry.status = WatchStatus::Withdrawn {
                reason: reason.to_string(),
                by: actor.id.clone(),
                at,
            };
            set_watch_status(tx, id, &entry.status)?;
            let draft = AuditDraft::new(
                actor.id.clone(),
                "watch.withdraw",
                format!("watch:{id}"),
                json!({ "reason": reason }),
            );
            append_audit(tx, [draft], at)?;
            Ok(entry)
        })
    }

    fn active_watch_entries(&self) -> Result<Vec<WatchEntry>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {WATCH_COLUMNS} FROM watch_entries WHERE status = 'active' ORDER BY id"
            ))?;
            let mut entries = collect(stmt.query([])?, watch_from_row)?;
            load_faces(tx, &mut entries)?;
            Ok(entries)
        })
    }

    fn list_watch(&self, filter: &WatchFilter) -> Result<Vec<WatchEntry>> {
        // NULL parameters switch a condition off, so one cached statement per order serves
        // every filter. An unknown status name matches no entry.
        let order = if filter.by_expiry() {
            "expires_at, id"
        } else {
            "id"
        };
        let search = filter.text.as_deref().and_then(WatchSearch::new);
        let limit = page_limit(filter.limit);
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {WATCH_COLUMNS} FROM watch_entries \
                 WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR region = ?2) AND (?3 IS NULL OR id > ?3) \
                 AND (?4 IS NULL OR expires_at > ?4) AND (?5 IS NULL OR expires_at < ?5) \
                 ORDER BY {order} LIMIT ?6"
            ))?;
            let mut rows = stmt.query(params![
                filter.status,
                filter.region.map(Region::code),
                filter.after_id,
                filter.expires_after.map(micros),
                filter.expires_before.map(micros),
                // A search reads on until the page is full (SQLite: a negative limit is none).
                if search.is_some() { -1 } else { limit },
            ])?;
            let Some(search) = search else {
                let mut entries = collect(rows, watch_from_row)?;
                load_faces(tx, &mut entries)?;
                return Ok(entries);
            };
            // The search is WatchSearch's, in Rust: SQLite folds the case of ASCII letters only,
            // and names are Cyrillic.
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                let entry = watch_from_row(row)?;
                if search.matches(&entry) {
                    found.push(entry);
                    if found.len() as i64 >= limit {
                        break;
                    }
                }
            }
            drop(rows);
            load_faces(tx, &mut found)?;
            Ok(found)
        })
    }

    fn watch_version(&self) -> Result<i64> {
        self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT value FROM meta WHERE key = 'watch_version'")?
                .query_row([], |row| row.get(0))?)
        })
    }

    fn maintain(&self) -> Result<()> {
        // A passive checkpoint copies committed WAL pages into the database on its own
        // connection, without taking the write lock, so commits go on meanwhile.
        let conn = self.checkpointer.lock();
        let (busy, wal_pages, copied): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
        tracing::debug!(busy, wal_pages, copied, "wal checkpoint");
        Ok(())
    }

    fn commit_batch(&self, batch: BatchCommit) -> Result<BatchOutcome> {
        // One transaction for the whole batch: the intake acknowledges the batch only after this
        // returns, so a crash before commit means redelivery, and redelivery is harmless.
        self.write(|tx| {
            let mut outcome = BatchOutcome::default();
            for record in &batch.hits {
                match record_hit(tx, record, &batch)? {
                    Some(change) => outcome.changes.push(change),
                    None => outcome.repeated_hits += 1,
                }
            }
            add_counts(tx, &batch.counts)?;
            if let Some(draft) = batch.audit.clone() {
                append_audit(tx, [draft], batch.at)?;
            }
            Ok(outcome)
        })
    }

    fn list_alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>> {
        if filter.regions.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let (p1, p2, p3, p4, p5, p6) = alert_filter_params(filter)?;
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE {ALERT_FILTER} ORDER BY id DESC LIMIT ?7"
            ))?;
            let rows = stmt.query(params![p1, p2, p3, p4, p5, p6, page_limit(filter.limit)])?;
            collect(rows, alert_from_row)
        })
    }

    fn count_alerts(&self, filter: &AlertFilter) -> Result<u64> {
        if filter.regions.as_ref().is_some_and(Vec::is_empty) {
            return Ok(0);
        }
        let (p1, p2, p3, p4, p5, p6) = alert_filter_params(filter)?;
        self.read(|tx| {
            let n: i64 = tx
                .prepare_cached(&format!("SELECT COUNT(*) FROM alerts WHERE {ALERT_FILTER}"))?
                .query_row(params![p1, p2, p3, p4, p5, p6], |row| row.get(0))?;
            unsigned(n, "alert count")
        })
    }

    fn get_alert(&self, id: AlertId) -> Result<Option<Alert>> {
        self.read(|tx| load_alert(tx, id))
    }

    fn alert_hits(&self, id: AlertId) -> Result<Vec<StoredHit>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT alert_id, watch_id, source, event_id, event_kind, occurred_at, received_at, event, hit \
                 FROM hits WHERE alert_id = ?1 ORDER BY occurred_at, id",
            )?;
            collect(stmt.query([id])?, |row| {
                Ok(StoredHit {
                    alert_id: row.get(0)?,
                    watch_id: row.get(1)?,
                    source: row.get(2)?,
                    event_id: row.get(3)?,
                    event_kind: from_name::<EventKind>(row.get(4)?, "event kind")?,
                    occurred_at: time(row.get(5)?)?,
                    received_at: time(row.get(6)?)?,
                    event: from_json(&row.get::<_, String>(7)?, "hit event")?,
                    hit: from_json(&row.get::<_, String>(8)?, "hit")?,
                })
            })
        })
    }

    fn decide_alert(
        &self,
        id: AlertId,
        mut review: Review,
        actor: &Actor,
        rule: Confirmation,
    ) -> Result<Alert> {
        review.at = to_micros(review.at);
        self.write(|tx| {
            let mut alert = load_alert(tx, id)?.ok_or_else(|| StoreError::NotFound { what: "alert", id: id.to_string() })?;
            if alert.status != AlertStatus::Open {
                return Err(StoreError::Conflict(format!(
                    "alert {id} was already reviewed ({}); a decision is not changed by a second review",
                    alert.status.as_str()
                )));
            }
            if rule == Confirmation::TwoPerson && review.decision == Decision::Confirm {
                match &alert.first_confirmation {
                    None => {
                        tx.prepare_cached("UPDATE alerts SET first_confirmation = ?2, updated_at = ?3 WHERE id = ?1")?
                            .execute(params![id, to_json(&review)?, micros(review.at)])?;
                        append_audit(
                            tx,
                            [AuditDraft::new(
                                actor.id.clone(),
                                "alert.confirm_first",
                                format!("alert:{id}"),
                                json!({ "reason": review.reason, "watch_id": alert.watch_id }),
                            )],
                            review.at,
                        )?;
                        alert.updated_at = review.at;
                        alert.first_confirmation = Some(review);
                        return Ok(alert);
                    }
                    Some(first) if first.by == review.by => {
                        return Err(StoreError::Conflict(format!(
                            "alert {id} was first confirmed by {}; the second confirmation must come from another person",
                            first.by
                        )));
                    }
                    Some(_) => {}
                }
            }
            alert.status = match review.decision {
                Decision::Confirm => AlertStatus::Confirmed,
                Decision::Reject => AlertStatus::Rejected,
            };
            alert.updated_at = review.at;
            tx.prepare_cached("UPDATE alerts SET status = ?2, review = ?3, updated_at = ?4, reviewed_at = ?4 WHERE id = ?1")?.execute(
                params![id, alert.status.as_str(), to_json(&review)?, micros(review.at)],
            )?;
            let mut drafts = vec![AuditDraft::new(
                actor.id.clone(),
                "alert.review",
                format!("alert:{id}"),
                json!({ "decision": review.decision, "reason": review.reason, "watch_id": alert.watch_id }),
            )];
            // Confirming means the person was located: the search ends. An entry already closed
            // (another alert confirmed first) or withdrawn keeps its status.
            if review.decision == Decision::Confirm {
                let watch_id = alert.watch_id;
                let entry = load_watch(tx, watch_id)?
                    .ok_or_else(|| StoreError::Corrupt(format!("alert {id} points at missing watch entry {watch_id}")))?;
                if entry.status == WatchStatus::Active {
                    let closed = WatchStatus::Closed {
                        outcome: "located".into(),
                        alert_id: id,
                        by: review.by.clone(),
                        at: review.at,
                    };
                    set_watch_status(tx, watch_id, &closed)?;
                    drafts.push(AuditDraft::new(
                        actor.id.clone(),
                        "watch.close",
                        format!("watch:{watch_id}"),
                        json!({ "outcome": "located", "alert_id": id }),
                    ));
                }
            }
            append_audit(tx, drafts, review.at)?;
            alert.review = Some(review);
            Ok(alert)
        })
    }

    fn add_token(
        &self,
        secret_hash: [u8; 32],
        role: Role,
        region: Option<Region>,
        label: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<TokenInfo> {
        let at = to_micros(at);
        self.write(|tx| {
            let taken = tx
                .prepare_cached("SELECT 1 FROM tokens WHERE secret_hash = ?1")?
                .query_row([&secret_hash[..]], |_| Ok(()))
                .optional()?
                .is_some();
            if taken {
                return Err(StoreError::Conflict("a token with this secret already exists".into()));
            }
            tx.prepare_cached(
                "INSERT INTO tokens (secret_hash, role, region, label, created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            )?
            .execute(params![&secret_hash[..], role.as_str(), region.map(Region::code), label, micros(at)])?;
            let id = tx.last_insert_rowid();
            let draft = AuditDraft::new(
                actor.id.clone(),
                "token.issue",
                format!("token:{id}"),
                json!({ "role": role.as_str(), "region": region.map(Region::code), "label": label }),
            );
            append_audit(tx, [draft], at)?;
            Ok(TokenInfo { id, role, region, label: label.to_string(), created_at: at, revoked: false })
        })
    }

    fn find_token(&self, secret_hash: &[u8; 32]) -> Result<Option<TokenInfo>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT id, role, region, label, created_at, revoked FROM tokens WHERE secret_hash = ?1",
            )?;
            let mut rows = stmt.query([&secret_hash[..]])?;
            rows.next()?.map(token_from_row).transpose()
        })
    }

    fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        role: Role,
        region: Option<Region>,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<UserInfo> {
        let at = to_micros(at);
        self.write(|tx| {
            // Checked inside the immediate transaction, so no other writer takes the name between
            // this check and the insert; the UNIQUE constraint backs it up.
            let taken = tx
                .prepare_cached("SELECT 1 FROM users WHERE name = ?1")?
                .query_row([name], |_| Ok(()))
                .optional()?
                .is_some();
            if taken {
                return Err(StoreError::Conflict(format!(
                    "a user named {name:?} already exists; choose another name"
                )));
            }
            tx.prepare_cached(
                "INSERT INTO users (name, password_hash, role, region, created_at, failed_attempts, locked_until) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL)",
            )?
            .execute(params![name, password_hash, role.as_str(), region.map(Region::code), micros(at)])?;
            let id = tx.last_insert_rowid();
            // The hash stays out of the log: it is as good as the password to an offline guesser.
            let draft = AuditDraft::new(
                actor.id.clone(),
                "user.add",
                format!("user:{name}"),
                json!({ "role": role.as_str(), "region": region.map(Region::code) }),
            );
            append_audit(tx, [draft], at)?;
            Ok(UserInfo {
                id,
                name: name.to_string(),
                role,
                region,
                created_at: at,
                failed_attempts: 0,
                locked_until: None,
            })
        })
    }

    fn find_user(&self, name: &str) -> Result<Option<(UserInfo, String)>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {USER_COLUMNS}, users.password_hash FROM users WHERE name = ?1"
            ))?;
            let mut rows = stmt.query([name])?;
            rows.next()?
                .map(|row| Ok((user_from_row(row)?, row.get::<_, String>(7)?)))
                .transpose()
        })
    }

    fn record_sign_in(
        &self,
        user_id: i64,
        success: bool,
        policy: LockoutPolicy,
        at: DateTime<Utc>,
    ) -> Result<UserInfo> {
        let at = to_micros(at);
        self.write(|tx| {
            let mut user = load_user(tx, user_id)?.ok_or_else(|| StoreError::NotFound {
                what: "user",
                id: user_id.to_string(),
            })?;
            let who = format!("user:{}", user.name);
            let mut drafts = Vec::with_capacity(2);
            if success {
                user.failed_attempts = 0;
                user.locked_until = None;
                drafts.push(AuditDraft::new(who.clone(), "user.sign_in", who, json!({})));
            } else {
                user.failed_attempts = user.failed_attempts.saturating_add(1);
                drafts.push(AuditDraft::new(
                    who.clone(),
                    "user.sign_in_failed",
                    who.clone(),
                    json!({ "failed_attempts": user.failed_attempts }),
                ));
                // The failure that reaches the limit locks. Failures while locked only count (a
                // lock is not stretched by whoever keeps guessing); once the lock has run out,
                // the count is still past the limit, so the next failure locks again at once.
                let locked = user.locked_until.is_some_and(|until| until > at);
                if user.failed_attempts >= policy.after_failures && !locked {
                    let until = to_micros(
                        at.checked_add_signed(policy.lock_for)
                            .unwrap_or(DateTime::<Utc>::MAX_UTC),
                    );
                    user.locked_until = Some(until);
                    drafts.push(AuditDraft::new(
                        who.clone(),
                        "user.locked",
                        who,
                        json!({ "until": audit_time(until) }),
                    ));
                }
            }
            tx.prepare_cached(
                "UPDATE users SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
            )?
            .execute(params![
                user.id,
                user.failed_attempts,
                user.locked_until.map(micros)
            ])?;
            append_audit(tx, drafts, at)?;
            Ok(user)
        })
    }

    fn create_session(
        &self,
        secret_hash: [u8; 32],
        csrf_token: &str,
        user_id: i64,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            if load_user(tx, user_id)?.is_none() {
                return Err(StoreError::NotFound { what: "user", id: user_id.to_string() });
            }
            let taken = tx
                .prepare_cached("SELECT 1 FROM sessions WHERE secret_hash = ?1")?
                .query_row([&secret_hash[..]], |_| Ok(()))
                .optional()?
                .is_some();
            if taken {
                return Err(StoreError::Conflict("a session with this secret already exists".into()));
            }
            tx.prepare_cached(
                "INSERT INTO sessions (secret_hash, user_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![&secret_hash[..], user_id, csrf_token, micros(at), micros(expires_at)])?;
            Ok(())
        })
    }

    fn find_session(&self, secret_hash: &[u8; 32]) -> Result<Option<SessionInfo>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {USER_COLUMNS}, sessions.csrf_token, sessions.created_at, sessions.expires_at \
                 FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.secret_hash = ?1"
            ))?;
            let mut rows = stmt.query([&secret_hash[..]])?;
            rows.next()?
                .map(|row| {
                    Ok(SessionInfo {
                        user: user_from_row(row)?,
                        csrf_token: row.get(7)?,
                        created_at: time(row.get(8)?)?,
                        expires_at: time(row.get(9)?)?,
                    })
                })
                .transpose()
        })
    }

    fn end_session(&self, secret_hash: &[u8; 32], actor: &Actor, at: DateTime<Utc>) -> Result<()> {
        let at = to_micros(at);
        self.write(|tx| {
            let name: Option<String> = tx
                .prepare_cached(
                    "SELECT users.name FROM sessions JOIN users ON users.id = sessions.user_id \
                     WHERE sessions.secret_hash = ?1",
                )?
                .query_row([&secret_hash[..]], |row| row.get(0))
                .optional()?;
            // An unknown (or already ended) session: nothing changes, so nothing is recorded.
            let Some(name) = name else { return Ok(()) };
            tx.prepare_cached("DELETE FROM sessions WHERE secret_hash = ?1")?
                .execute([&secret_hash[..]])?;
            let draft = AuditDraft::new(
                actor.id.clone(),
                "user.sign_out",
                format!("user:{name}"),
                json!({}),
            );
            append_audit(tx, [draft], at)
        })
    }

    fn append_audit(&self, drafts: Vec<AuditDraft>, at: DateTime<Utc>) -> Result<()> {
        if drafts.is_empty() {
            return Ok(());
        }
        self.write(|tx| append_audit(tx, drafts, at))
    }

    fn audit_records(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit \
                 WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            )?;
            collect(
                stmt.query(params![signed(from_seq), page_limit(limit)])?,
                audit_from_row,
            )
        })
    }

    fn search_audit(&self, filter: &crate::AuditFilter) -> Result<Vec<AuditRecord>> {
        // A trailing dot asks for every action of a noun: `alert.` matches `alert.view`, … The
        // prefix match uses the range [prefix, prefix + U+10FFFF) so that LIKE wildcards in
        // user input mean nothing.
        let (action_exact, action_from, action_to) = match filter.action.as_deref() {
            Some(a) if a.ends_with('.') => {
                (None, Some(a.to_string()), Some(format!("{a}\u{10FFFF}")))
            }
            Some(a) => (Some(a.to_string()), None, None),
            None => (None, None, None),
        };
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit \
                 WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2) \
                 AND (?3 IS NULL OR action >= ?3) AND (?4 IS NULL OR action < ?4) \
                 AND (?5 IS NULL OR target = ?5) AND (?6 IS NULL OR at >= ?6) \
                 AND (?7 IS NULL OR at < ?7) AND (?8 IS NULL OR seq < ?8) \
                 ORDER BY seq DESC LIMIT ?9",
            )?;
            let rows = stmt.query(params![
                filter.actor,
                action_exact,
                action_from,
                action_to,
                filter.target,
                filter.since.map(micros),
                filter.until.map(micros),
                filter.before_seq.map(signed),
                page_limit(filter.limit),
            ])?;
            collect(rows, audit_from_row)
        })
    }

    fn audit_head(&self) -> Result<Option<(u64, String)>> {
        self.read(|tx| read_audit_head(tx))
    }

    fn audit_access(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<AccessCount>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT actor, action, COUNT(*), MAX(at) FROM audit \
                 WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) \
                 GROUP BY actor, action ORDER BY actor, action",
            )?;
            collect(
                stmt.query(params![since.map(micros), until.map(micros)])?,
                |row| {
                    Ok(AccessCount {
                        actor: row.get(0)?,
                        action: row.get(1)?,
                        count: unsigned(row.get(2)?, "audit count")?,
                        last_at: time(row.get(3)?)?,
                    })
                },
            )
        })
    }

    fn stats(&self, now: DateTime<Utc>) -> Result<Stats> {
        self.read(|tx| {
            let mut stats = Stats::default();

            let mut stmt = tx.prepare_cached(
                "SELECT source, kind, SUM(events), SUM(hits) FROM event_counts GROUP BY source, kind ORDER BY source, kind",
            )?;
            stats.events = collect(stmt.query([])?, |row| {
                Ok(SourceKindCount {
                    source: row.get(0)?,
                    kind: from_name(row.get(1)?, "event kind")?,
                    events: unsigned(row.get(2)?, "event count")?,
                    hits: unsigned(row.get(3)?, "hit count")?,
                })
            })?;
            stats.events_total = stats.events.iter().map(|c| c.events).sum();
            stats.hits_total = stats.events.iter().map(|c| c.hits).sum();

            let mut stmt = tx.prepare_cached("SELECT status, COUNT(*) FROM alerts GROUP BY status")?;
            for (status, n) in collect(stmt.query([])?, |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))? {
                let n = unsigned(n, "alert count")?;
                match AlertStatus::parse(&status) {
                    Some(AlertStatus::Open) => stats.alerts.open = n,
                    Some(AlertStatus::Confirmed) => stats.alerts.confirmed = n,
                    Some(AlertStatus::Rejected) => stats.alerts.rejected = n,
                    None => return Err(StoreError::Corrupt(format!("alert status {status:?}"))),
                }
            }

            let (live, expired, withdrawn, closed) = tx
                .prepare_cached(
                    "SELECT COALESCE(SUM(status = 'active' AND expires_at > ?1), 0), \
                            COALESCE(SUM(status = 'active' AND expires_at <= ?1), 0), \
                            COALESCE(SUM(status = 'withdrawn'), 0), \
                            COALESCE(SUM(status = 'closed'), 0) \
                     FROM watch_entries",
                )?
                .query_row([micros(now)], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?, row.get::<_, i64>(3)?))
                })?;
            stats.watch = WatchCounts {
                live: unsigned(live, "live entries")?,
                expired: unsigned(expired, "expired entries")?,
                withdrawn: unsigned(withdrawn, "withdrawn entries")?,
                closed: unsigned(closed, "closed entries")?,
            };

            // Every source with an alert is listed; its precision stays `None` until a review.
            let mut stmt = tx.prepare_cached(
                "SELECT source, SUM(status = 'confirmed'), SUM(status = 'rejected') FROM alerts \
                 GROUP BY source ORDER BY source",
            )?;
            stats.precision = collect(stmt.query([])?, |row| {
                let confirmed = unsigned(row.get(1)?, "confirmed alerts")?;
                let rejected = unsigned(row.get(2)?, "rejected alerts")?;
                let reviewed = confirmed + rejected;
                Ok(SourcePrecision {
                    source: row.get(0)?,
                    confirmed,
                    rejected,
                    precision: (reviewed > 0).then(|| confirmed as f64 / reviewed as f64),
                })
            })?;
            Ok(stats)
        })
    }

    fn event_counts(&self, since: DateTime<Utc>) -> Result<Vec<EventCount>> {
        // The hour that contains `since` is included.
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT hour, source, kind, events, hits FROM event_counts WHERE hour >= ?1 ORDER BY hour, source, kind",
            )?;
            collect(stmt.query([hour_start(since)])?, |row| {
                Ok(EventCount {
                    hour: time(row.get(0)?)?,
                    source: row.get(1)?,
                    kind: from_name(row.get(2)?, "event kind")?,
                    events: unsigned(row.get(3)?, "event count")?,
                    hits: unsigned(row.get(4)?, "hit count")?,
                })
            })
        })
    }

    fn alert_activity(
        &self,
        since: DateTime<Utc>,
        regions: Option<&[Region]>,
    ) -> Result<Vec<AlertActivity>> {
        if regions.is_some_and(<[Region]>::is_empty) {
            return Ok(Vec::new());
        }
        let regions = regions_param(regions)?;
        self.read(|tx| {
            // Creations by their hour, reviews by theirs; one alert created in one hour and
            // reviewed in another counts in both.
            let mut stmt = tx.prepare_cached(
                "SELECT hour, source, SUM(created), SUM(confirmed), SUM(rejected) FROM ( \
                   SELECT created_at - (created_at % ?3) AS hour, source, 1 AS created, 0 AS confirmed, 0 AS rejected \
                   FROM alerts WHERE created_at >= ?1 AND (?2 IS NULL OR region IN (SELECT value FROM json_each(?2))) \
                   UNION ALL \
                   SELECT reviewed_at - (reviewed_at % ?3), source, 0, status = 'confirmed', status = 'rejected' \
                   FROM alerts WHERE reviewed_at >= ?1 AND (?2 IS NULL OR region IN (SELECT value FROM json_each(?2))) \
                 ) GROUP BY hour, source ORDER BY hour, source",
            )?;
            collect(stmt.query(params![hour_start(since), regions, HOUR_MICROS])?, |row| {
                Ok(AlertActivity {
                    hour: time(row.get(0)?)?,
                    source: row.get(1)?,
                    created: unsigned(row.get(2)?, "alerts created")?,
                    confirmed: unsigned(row.get(3)?, "alerts confirmed")?,
                    rejected: unsigned(row.get(4)?, "alerts rejected")?,
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_limits_default_and_cap() {
        assert_eq!(page_limit(0), 100);
        assert_eq!(page_limit(7), 7);
        assert_eq!(page_limit(1_000_000), 10_000);
    }

    #[test]
    fn counts_are_filed_under_the_start_of_their_hour() {
        let t = DateTime::parse_from_rfc3339("2026-11-25T10:59:59.999999Z")
            .expect("time")
            .with_timezone(&Utc);
        let hour = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(hour_start(t), micros(hour));
        assert_eq!(hour_start(hour), micros(hour));
    }

    #[test]
    fn times_round_trip_to_the_microsecond() {
        let t = DateTime::from_timestamp(1_800_000_000, 123_456_000).expect("time");
        assert_eq!(time(micros(t)).expect("time"), t);
    }
}
