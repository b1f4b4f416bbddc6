//! # iz-store: where Iz keeps what it must not forget
//!
//! Watch entries, alerts with the hits folded into them, reviews, tokens, the counts of events
//! that hit nothing, and the audit log — behind one synchronous [`Store`] trait. The embedded
//! default is SQLite ([`SqliteStore`], one file in the data folder); PostgreSQL, for scaled-out
//! deployments, implements the same trait, and the same contract suite (`testing::contract`,
//! behind the `testing` feature) runs against every backend.
//!
//! Three rules shape the trait:
//!
//! 1. **A change and its audit record are one transaction.** Every method that changes state
//!    takes the acting [`Actor`] and writes the audit record itself; there is no way to change a
//!    watch entry without leaving a trace.
//! 2. **Hits are idempotent.** A hit is keyed by (source, event id, watch entry); delivering the
//!    same event twice — a client retry, a bus redelivery after a crash — changes nothing the
//!    second time. This is what makes at-least-once intake give exactly one alert.
//! 3. **Events that hit nothing are counted, not kept.** [`BatchCommit::counts`] carries only
//!    numbers per hour, source and kind.
//!
//! The trait is synchronous on purpose: callers in async code run it on a blocking thread, and
//! the matchers and tests need no runtime.

#![deny(clippy::unwrap_used)]

pub mod fraud;
mod sqlite;
pub mod supervision;
#[cfg(feature = "testing")]
pub mod testing;

use chrono::{DateTime, Utc};
use iz_audit::{AuditDraft, AuditRecord};
use iz_model::{
    Actor, Alert, AlertId, AlertStatus, Confirmation, Event, EventKind, FoldPolicy, Hit,
    NewWatchEntry, Region, Review, Role, WatchEntry, WatchId,
};
use serde::Serialize;

pub use fraud::FraudStore;
pub use sqlite::{SqliteOptions, SqliteStore};
pub use supervision::{DroneStore, SupervisionStore};

/// Why a store operation failed. `code()` is stable and reaches API clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    /// The operation does not fit the current state (reviewing a reviewed alert, …).
    #[error("{0}")]
    Conflict(String),
    #[error("the stored data is not what this version of Iz expects: {0}")]
    Corrupt(String),
    #[error("storage backend failed: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::Conflict(_) => "conflict",
            StoreError::Corrupt(_) => "corrupt_store",
            StoreError::Backend(_) => "storage_failure",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One hit to record: the event (kept, because it hit), the hit itself and its entry.
#[derive(Debug, Clone)]
pub struct HitRecord {
    pub event: Event,
    pub hit: Hit,
    pub entry: std::sync::Arc<WatchEntry>,
}

/// Events counted for one hour, source and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventCount {
    /// The start of the hour (UTC) the events were received in.
    pub hour: DateTime<Utc>,
    pub source: String,
    pub kind: EventKind,
    pub events: u64,
    /// How many of them hit something.
    pub hits: u64,
}

/// Everything one intake batch changes, committed in one transaction before the batch is
/// acknowledged.
#[derive(Debug, Clone, Default)]
pub struct BatchCommit {
    pub hits: Vec<HitRecord>,
    pub counts: Vec<EventCount>,
    /// Who sent the batch, and what it held (token use).
    pub audit: Option<AuditDraft>,
    pub fold: FoldPolicy,
    /// When the batch was received (the audit record's time).
    pub at: DateTime<Utc>,
}

/// What a batch did to an alert.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertChange {
    /// A new alert.
    Created(Alert),
    /// A hit folded into an open alert (count and latest place updated).
    Folded(Alert),
}

impl AlertChange {
    pub fn alert(&self) -> &Alert {
        match self {
            AlertChange::Created(a) | AlertChange::Folded(a) => a,
        }
    }
}

/// What a committed batch changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchOutcome {
    pub changes: Vec<AlertChange>,
    /// Hits already recorded by an earlier delivery of the same event.
    pub repeated_hits: u64,
}

/// A filter over alerts. `regions: None` means every region.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub status: Option<AlertStatus>,
    pub regions: Option<Vec<Region>>,
    pub source: Option<String>,
    pub watch_id: Option<WatchId>,
    /// Only alerts created before this time (overdue ones: open and older than the deadline).
    pub created_before: Option<DateTime<Utc>>,
    /// Only alerts with id below this (for paging newest first).
    pub before_id: Option<AlertId>,
    pub limit: usize,
}

/// A filter over watch entries. Entries come by id, oldest first; with an expiry bound set,
/// soonest expiry first (ties by id).
#[derive(Debug, Clone, Default)]
pub struct WatchFilter {
    /// `active`, `withdrawn` or `closed`.
    pub status: Option<String>,
    pub region: Option<Region>,
    /// A search, as [`WatchSearch`] reads it. Blank means no search.
    pub text: Option<String>,
    /// Only entries expiring strictly after this time.
    pub expires_after: Option<DateTime<Utc>>,
    /// Only entries expiring strictly before this time.
    pub expires_before: Option<DateTime<Utc>>,
    pub after_id: Option<WatchId>,
    pub limit: usize,
}

impl WatchFilter {
    /// Whether entries come soonest expiry first rather than by id.
    pub fn by_expiry(&self) -> bool {
        self.expires_after.is_some() || self.expires_before.is_some()
    }
}

/// What a watch-list search finds, the same in every backend: an entry matches when any of
///
/// - one of the person's names contains the text, ignoring case (any script);
/// - the IIN starts with it;
/// - a document's number contains it, both compared normalised
///   ([`iz_model::normalise_document_number`]: no spaces or dashes, look-alike letters folded);
/// - the legal basis reference contains it, ignoring case.
///
/// The text is trimmed first; a blank text is no search at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSearch {
    trimmed: String,
    folded: String,
    document: String,
}

impl WatchSearch {
    pub fn new(text: &str) -> Option<WatchSearch> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        Some(WatchSearch {
            trimmed: trimmed.to_string(),
            folded: trimmed.to_lowercase(),
            document: iz_model::normalise_document_number(trimmed),
        })
    }

    pub fn matches(&self, entry: &WatchEntry) -> bool {
        let person = &entry.person;
        person
            .names
            .iter()
            .any(|name| name.to_lowercase().contains(&self.folded))
            || person
                .iin
                .is_some_and(|iin| iin.to_string().starts_with(&self.trimmed))
            || (!self.document.is_empty()
                && person
                    .documents
                    .iter()
                    .any(|d| d.normalised_number().contains(&self.document)))
            || entry
                .legal_basis
                .reference
                .to_lowercase()
                .contains(&self.folded)
            || (!self.document.is_empty()
                && entry.vehicle.as_ref().is_some_and(|v| {
                    iz_model::normalise_document_number(&v.plate).contains(&self.document)
                }))
    }
}

/// One hit of an alert, for its timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredHit {
    pub alert_id: AlertId,
    pub watch_id: WatchId,
    pub source: String,
    pub event_id: String,
    pub event_kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// The event as received.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub event: serde_json::Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub hit: serde_json::Value,
}

/// What happened to alerts in one hour, from one source: alerts created then, and reviews
/// made then (confirmed: the person was located; rejected: a false positive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertActivity {
    /// The start of the hour (UTC).
    pub hour: DateTime<Utc>,
    pub source: String,
    pub created: u64,
    pub confirmed: u64,
    pub rejected: u64,
}

/// How often one actor did one thing in the audit log, and when last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessCount {
    /// `user:aigerim`, `token:7`, `system:demo`.
    pub actor: String,
    /// `alert.view`, `watch.list`, …
    pub action: String,
    pub count: u64,
    pub last_at: DateTime<Utc>,
}

/// An API token as stored: only the SHA-256 of its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: i64,
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region: Option<Region>,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
}

impl TokenInfo {
    pub fn actor(&self) -> Actor {
        Actor {
            id: format!("token:{}", self.id),
            role: self.role,
            region: self.region,
        }
    }
}

/// A console user. The password hash (a PHC string, argon2id) is kept apart, in
/// [`Store::find_user`]'s answer only.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region: Option<Region>,
    pub created_at: DateTime<Utc>,
    /// Failed sign-ins since the last good one.
    pub failed_attempts: u32,
    /// Set while the account is locked after too many failures.
    pub locked_until: Option<DateTime<Utc>>,
}

impl UserInfo {
    pub fn actor(&self) -> Actor {
        Actor {
            id: format!("user:{}", self.name),
            role: self.role,
            region: self.region,
        }
    }
}

/// When repeated failed sign-ins lock an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures in a row that lock the account.
    pub after_failures: u32,
    /// For how long.
    pub lock_for: chrono::Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            after_failures: 5,
            lock_for: chrono::Duration::minutes(15),
        }
    }
}

/// A signed-in session, found by the hash of its cookie.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub user: UserInfo,
    /// The token a state-changing request must echo in `X-CSRF-Token`.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A filter over the audit log, for oversight. Every part is optional; records come newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Exactly this actor (`user:aigerim`, `token:7`).
    pub actor: Option<String>,
    /// This action (`alert.review`), or every action of a noun when it ends in `.` (`alert.`).
    pub action: Option<String>,
    /// Exactly this target (`alert:40`).
    pub target: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Records numbered below this (paging backwards).
    pub before_seq: Option<u64>,
    pub limit: usize,
}

/// Counters for `GET /v1/stats` and `iz stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Events received per source and kind (all hours).
    pub events: Vec<SourceKindCount>,
    pub events_total: u64,
    pub hits_total: u64,
    pub alerts: AlertCounts,
    pub watch: WatchCounts,
    /// Precision of alerts per source, from reviews: confirmed / (confirmed + rejected).
    pub precision: Vec<SourcePrecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceKindCount {
    pub source: String,
    pub kind: EventKind,
    pub events: u64,
    pub hits: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertCounts {
    pub open: u64,
    pub confirmed: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchCounts {
    /// Active and not yet expired.
    pub live: u64,
    /// Active but past expiry.
    pub expired: u64,
    pub withdrawn: u64,
    pub closed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourcePrecision {
    pub source: String,
    pub confirmed: u64,
    pub rejected: u64,
    /// `None` until the first review.
    pub precision: Option<f64>,
}

/// The persistence of Iz. Every method is one transaction. Supervision's and drone watch's
/// parts, and the anti-fraud centre's, are traits of their own ([`SupervisionStore`],
/// [`DroneStore`], [`FraudStore`]) so that each reads on its own; every backend implements all.
pub trait Store: SupervisionStore + DroneStore + FraudStore + Send + Sync {
    // --- watch-list -----------------------------------------------------------------------
    /// Stores a validated entry, audited as `watch.add`.
    fn add_watch(
        &self,
        entry: NewWatchEntry,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<WatchEntry>;
    /// Stores many entries in one transaction (imports, the demo); one audit record per entry.
    fn add_watch_many(
        &self,
        entries: Vec<NewWatchEntry>,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Vec<WatchEntry>>;
    fn get_watch(&self, id: WatchId) -> Result<Option<WatchEntry>>;
    /// Withdraws an active entry with a reason, audited as `watch.withdraw`. Withdrawing an
    /// entry that is not active is a conflict.
    fn withdraw_watch(
        &self,
        id: WatchId,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<WatchEntry>;
    /// Every entry with status active (expired or not: matchers check expiry per event).
    fn active_watch_entries(&self) -> Result<Vec<WatchEntry>>;
    fn list_watch(&self, filter: &WatchFilter) -> Result<Vec<WatchEntry>>;
    /// A number that changes whenever any watch entry changes (for reloading matchers).
    fn watch_version(&self) -> Result<i64>;

    /// Housekeeping that a server runs every second or so, off the request path (SQLite: a WAL
    /// checkpoint on its own connection). The default does nothing.
    fn maintain(&self) -> Result<()> {
        Ok(())
    }

    // --- intake ---------------------------------------------------------------------------
    /// Records a batch's hits (creating or folding alerts), counts and audit record, durably.
    fn commit_batch(&self, batch: BatchCommit) -> Result<BatchOutcome>;

    // --- alerts ---------------------------------------------------------------------------
    fn list_alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>>;
    /// How many alerts match a filter, all of them (`limit` does not apply).
    fn count_alerts(&self, filter: &AlertFilter) -> Result<u64>;
    fn get_alert(&self, id: AlertId) -> Result<Option<Alert>>;
    /// The hits folded into an alert, oldest first.
    fn alert_hits(&self, id: AlertId) -> Result<Vec<StoredHit>>;
    /// Records a person's decision, audited as `alert.review`. Confirming closes the watch entry
    /// with the outcome `located` (and its other open alerts stay open for their own review).
    /// Reviewing an alert that is not open is a conflict.
    fn review_alert(&self, id: AlertId, review: Review, actor: &Actor) -> Result<Alert> {
        self.decide_alert(id, review, actor, Confirmation::Single)
    }
    /// As [`Store::review_alert`], under a confirmation rule. With [`Confirmation::TwoPerson`]
    /// a first confirmation is recorded (audited as `alert.confirm_first`) and the alert stays
    /// open; the same person confirming again is a conflict; another person's confirmation
    /// decides it.
    fn decide_alert(
        &self,
        id: AlertId,
        review: Review,
        actor: &Actor,
        rule: Confirmation,
    ) -> Result<Alert>;

    // --- tokens ---------------------------------------------------------------------------
    /// Stores a token's hash, audited as `token.issue`.
    fn add_token(
        &self,
        secret_hash: [u8; 32],
        role: Role,
        region: Option<Region>,
        label: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<TokenInfo>;
    fn find_token(&self, secret_hash: &[u8; 32]) -> Result<Option<TokenInfo>>;

    // --- users and sessions ---------------------------------------------------------------
    /// Adds a console user, audited as `user.add` (never with the hash). A taken name is a
    /// conflict.
    fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        role: Role,
        region: Option<Region>,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<UserInfo>;
    /// The user and their password hash.
    fn find_user(&self, name: &str) -> Result<Option<(UserInfo, String)>>;
    /// Records a sign-in attempt by a known user: success resets the failure count and is
    /// audited as `user.sign_in`; failure counts up, audited as `user.sign_in_failed`, and the
    /// failure that reaches `policy.after_failures` locks the account until `at + lock_for`
    /// (audited as `user.locked`). Returns the user as it now stands.
    fn record_sign_in(
        &self,
        user_id: i64,
        success: bool,
        policy: LockoutPolicy,
        at: DateTime<Utc>,
    ) -> Result<UserInfo>;
    /// Stores a new session (only the hash of its cookie).
    fn create_session(
        &self,
        secret_hash: [u8; 32],
        csrf_token: &str,
        user_id: i64,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// The session with this hash, if it exists (expired ones too; the caller checks).
    fn find_session(&self, secret_hash: &[u8; 32]) -> Result<Option<SessionInfo>>;
    /// Ends a session, audited as `user.sign_out`. Ending an unknown session does nothing.
    fn end_session(&self, secret_hash: &[u8; 32], actor: &Actor, at: DateTime<Utc>) -> Result<()>;

    // --- audit ----------------------------------------------------------------------------
    /// Appends records (views, token use) in order, in one transaction.
    fn append_audit(&self, drafts: Vec<AuditDraft>, at: DateTime<Utc>) -> Result<()>;
    /// Records from `from_seq` on, in order, at most `limit`.
    fn audit_records(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>>;
    /// Records matching a filter, newest first (oversight's view of the log).
    fn search_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>>;
    /// The last record's number and hash, as kept beside the log.
    fn audit_head(&self) -> Result<Option<(u64, String)>>;
    /// Who did what how often in `[since, until)` (either end open when `None`): one count per
    /// actor and action, sorted by actor then action.
    fn audit_access(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<AccessCount>>;

    // --- stats ----------------------------------------------------------------------------
    fn stats(&self, now: DateTime<Utc>) -> Result<Stats>;
    /// Event counts per hour, source and kind since `since`.
    fn event_counts(&self, since: DateTime<Utc>) -> Result<Vec<EventCount>>;
    /// Alerts created and reviewed per hour and source since `since` (the hour that contains it
    /// included), of the given regions only (`None`: every region). Hours with nothing are left
    /// out; the rest come by hour, then source.
    fn alert_activity(
        &self,
        since: DateTime<Utc>,
        regions: Option<&[Region]>,
    ) -> Result<Vec<AlertActivity>>;
}

/// Verifies the whole audit log of a store, page by page.
pub fn verify_audit(store: &dyn Store) -> Result<Result<u64, iz_audit::ChainBreak>> {
    let head = store.audit_head()?;
    let mut verifier = iz_audit::Verifier::default();
    let mut next = 1;
    loop {
        let page = store.audit_records(next, 10_000)?;
        let Some(last) = page.last() else { break };
        next = last.seq + 1;
        for record in &page {
            if let Err(e) = verifier.push(record) {
                return Ok(Err(e));
            }
        }
    }
    Ok(verifier.finish(head.as_ref().map(|(s, h)| (*s, h.as_str()))))
}
