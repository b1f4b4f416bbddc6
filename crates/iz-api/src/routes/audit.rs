//! `/v1/audit`: oversight. Supervising prosecutors (and admins) read the audit log with filters
//! and check its chain. Reading the log is itself recorded: the overseers are overseen.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use iz_audit::{AuditDraft, AuditRecord};
use iz_model::Role;
use iz_store::AuditFilter;
use serde::{Deserialize, Serialize};

use super::blocking;
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;

const OVERSIGHT: &[Role] = &[Role::Admin, Role::Prosecutor];

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Exactly this actor, e.g. `user:aigerim` or `token:7`.
    pub actor: Option<String>,
    /// An action (`alert.review`), or every action of a noun with a trailing dot (`alert.`).
    pub action: Option<String>,
    /// Exactly this target, e.g. `alert:40`.
    pub target: Option<String>,
    /// From this time (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Before this time (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Records numbered below this (paging, newest first).
    pub before: Option<u64>,
    /// At most this many (default 100, at most 10,000).
    pub limit: Option<usize>,
}

/// One audit record as oversight sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditRecordView {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub hash: String,
}

impl From<AuditRecord> for AuditRecordView {
    fn from(r: AuditRecord) -> Self {
        AuditRecordView {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            target: r.target,
            details: r.details,
            hash: r.hash,
        }
    }
}

/// Searches the audit log, newest first.
#[utoipa::path(get, path = "/v1/audit", params(AuditQuery), responses((status = 200, body = Vec<AuditRecordView>), (status = 403, body = crate::error::ErrorBody)), security(("bearer" = [])), tag = "oversight")]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditRecordView>>> {
    let actor = caller.require(OVERSIGHT)?.clone();
    let filter = AuditFilter {
        actor: q.actor,
        action: q.action,
        target: q.target,
        since: q.since,
        until: q.until,
        before_seq: q.before,
        limit: q.limit.unwrap_or(100),
    };
    let store = state.store.clone();
    let now = state.clock.now();
    let records = blocking(move || {
        let records = store.search_audit(&filter)?;
        let details = serde_json::json!({"count": records.len(), "actor": filter.actor, "action": filter.action, "target": filter.target});
        store.append_audit(vec![AuditDraft::new(actor.id, "audit.view", "audit", details)], now)?;
        Ok(records)
    })
    .await?;
    Ok(Json(
        records.into_iter().map(AuditRecordView::from).collect(),
    ))
}

/// Whether the chain holds, as `iz audit verify` says.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChainStatus {
    pub intact: bool,
    /// Records checked (all of them when intact).
    pub records: u64,
    /// The first bad record, when broken.
    pub first_bad: Option<u64>,
    pub message: String,
}

/// Verifies the whole chain.
#[utoipa::path(get, path = "/v1/audit/verify", responses((status = 200, body = ChainStatus), (status = 403, body = crate::error::ErrorBody)), security(("bearer" = [])), tag = "oversight")]
pub async fn verify(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<ChainStatus>> {
    let actor = caller.require(OVERSIGHT)?.clone();
    let store = state.store.clone();
    let now = state.clock.now();
    let status = blocking(move || {
        let status = match iz_store::verify_audit(store.as_ref())? {
            Ok(n) => ChainStatus {
                intact: true,
                records: n,
                first_bad: None,
                message: format!("{n} records, chain verified"),
            },
            Err(e) => ChainStatus {
                intact: false,
                records: e.seq().saturating_sub(1),
                first_bad: Some(e.seq()),
                message: e.to_string(),
            },
        };
        // Recorded after checking, so the check reads the log as it was asked about.
        store.append_audit(
            vec![AuditDraft::new(
                actor.id,
                "audit.verify",
                "audit",
                serde_json::json!({"intact": status.intact}),
            )],
            now,
        )?;
        Ok(status)
    })
    .await?;
    Ok(Json(status))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AccessQuery {
    /// From this time (RFC 3339); the whole log when absent.
    pub since: Option<DateTime<Utc>>,
    /// Before this time (RFC 3339); up to now when absent.
    pub until: Option<DateTime<Utc>>,
}

/// Who did what in the log, how often and when last: one count per actor and action (reads
/// such as `alert.view` and `watch.list`, and changes alike), sorted by actor then action.
#[utoipa::path(
    get, path = "/v1/audit/access", params(AccessQuery),
    responses(
        (status = 200, body = Vec<iz_store::AccessCount>),
        (status = 400, description = "A malformed time", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])), tag = "oversight"
)]
pub async fn access(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AccessQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<iz_store::AccessCount>>> {
    let actor = caller.require(OVERSIGHT)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let counts = blocking(move || {
        let counts = store.audit_access(q.since, q.until)?;
        // Recorded after counting, so the answer is the log as it was asked about.
        store.append_audit(
            vec![AuditDraft::new(
                actor.id,
                "audit.access",
                "audit",
                serde_json::json!({"since": q.since, "until": q.until, "count": counts.len()}),
            )],
            now,
        )?;
        Ok(counts)
    })
    .await?;
    Ok(Json(counts))
}
