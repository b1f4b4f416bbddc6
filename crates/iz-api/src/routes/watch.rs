//! `/v1/watchlist`: lawful watch entries, added and withdrawn by admins, read by the operators
//! of their region. Every change and every read of an entry is audited.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use iz_audit::AuditDraft;
use iz_model::{Rejection, Role, WatchEntry, WatchEntryInput, WatchId, codes};
use iz_store::WatchFilter;
use serde::Deserialize;

use super::blocking;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

fn json_problem(rejection: JsonRejection) -> ApiError {
    let text = rejection.body_text();
    // A missing legal basis is caught by validation, so serde only sees shape errors here.
    let code = if text.contains("missing field") {
        codes::MISSING_FIELD
    } else {
        codes::INVALID_WATCH_ENTRY
    };
    ApiError::unprocessable(vec![Rejection::new(code, text)])
}

/// Adds a watch entry. The legal basis and a future expiry are mandatory; the IIN is validated.
#[utoipa::path(
    post, path = "/v1/watchlist", request_body = WatchEntryInput,
    responses(
        (status = 201, description = "Entry added", body = WatchEntry),
        (status = 422, description = "Legal basis missing, IIN invalid, expiry past, …", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])), tag = "watchlist"
)]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    input: Result<Json<WatchEntryInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<WatchEntry>)> {
    let actor = caller.require(&[Role::Admin])?.clone();
    let Json(input) = input.map_err(json_problem)?;
    let now = state.clock.now();
    let entry = input
        .validate(now, state.pipeline.config().time.face_dimension)
        .map_err(ApiError::unprocessable)?;
    let store = state.store.clone();
    let pipeline = state.pipeline.clone();
    let stored = blocking(move || {
        let stored = store.add_watch(entry, &actor, now)?;
        pipeline.apply_watch_change(stored.clone());
        Ok(stored)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// active, withdrawn or closed
    pub status: Option<String>,
    pub region: Option<String>,
    /// A search, ignoring case: a part of one of the person's names, the start of the IIN, a
    /// part of a document number (both compared normalised: `Н 1234-5678` finds `N12345678`)
    /// or a part of the legal basis reference.
    pub q: Option<String>,
    /// Only active entries expiring between now and this many days from now (1 to 365),
    /// soonest first; `after` does not apply to this order.
    pub expiring_within_days: Option<u32>,
    /// Entries with a larger id (paging).
    pub after: Option<WatchId>,
    /// At most this many (default 100, at most 10,000).
    pub limit: Option<usize>,
}

/// The longest look ahead for expiring entries.
const MAX_EXPIRING_DAYS: u32 = 365;

/// Lists watch entries, oldest first (expiring ones soonest first). Operators see their
/// region's only. The search text, if any, is recorded with the read.
#[utoipa::path(
    get, path = "/v1/watchlist", params(ListQuery),
    responses(
        (status = 200, body = Vec<WatchEntry>),
        (status = 400, description = "A malformed or out-of-range parameter", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])), tag = "watchlist"
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<WatchEntry>>> {
    let actor = caller.require(super::READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let mut region = match q.region.as_deref() {
        Some(code) => Some(
            iz_model::Region::parse(code)
                .map_err(|e| ApiError::bad_request(codes::INVALID_REGION, e.to_string()))?,
        ),
        None => None,
    };
    if actor.role == Role::Operator {
        if region.is_some_and(|r| Some(r) != actor.region) {
            return Err(ApiError::forbidden("operators see their own region only"));
        }
        region = actor.region;
    }
    if let Some(status) = q.status.as_deref()
        && !matches!(status, "active" | "withdrawn" | "closed")
    {
        return Err(ApiError::bad_request(
            "invalid_status",
            format!("status {status:?} is not active, withdrawn or closed"),
        ));
    }
    let now = state.clock.now();
    let mut filter = WatchFilter {
        status: q.status,
        region,
        text: q.q.clone(),
        after_id: q.after,
        limit: q.limit.unwrap_or(100),
        ..WatchFilter::default()
    };
    if let Some(days) = q.expiring_within_days {
        if !(1..=MAX_EXPIRING_DAYS).contains(&days) {
            return Err(ApiError::bad_request(
                codes::INVALID_QUERY,
                format!("expiring_within_days is {days}; it must be 1 to {MAX_EXPIRING_DAYS}"),
            ));
        }
        if filter.status.as_deref().is_some_and(|s| s != "active") {
            return Err(ApiError::bad_request(
                codes::INVALID_QUERY,
                "only active entries expire; leave status out or ask for active",
            ));
        }
        if filter.after_id.is_some() {
            return Err(ApiError::bad_request(
                codes::INVALID_QUERY,
                "expiring entries come soonest first, so `after` (an id) cannot page them; use limit",
            ));
        }
        filter.status = Some("active".into());
        filter.expires_after = Some(now);
        filter.expires_before = Some(now + chrono::Duration::days(i64::from(days)));
    }
    let store = state.store.clone();
    let entries = blocking(move || {
        let entries = store.list_watch(&filter)?;
        // What was looked for is part of the read: a search by name is a search for a person.
        let mut details = serde_json::json!({"count": entries.len()});
        if let Some(text) = &q.q {
            details["q"] = text.as_str().into();
        }
        if let Some(days) = q.expiring_within_days {
            details["expiring_within_days"] = days.into();
        }
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "watch.list",
                "watchlist",
                details,
            )],
            now,
        )?;
        Ok(entries)
    })
    .await?;
    Ok(Json(entries))
}

/// Reads one entry (an audited read of personal data).
#[utoipa::path(get, path = "/v1/watchlist/{id}", params(("id" = i64, Path)), responses((status = 200, body = WatchEntry), (status = 404, body = crate::error::ErrorBody)), security(("bearer" = [])), tag = "watchlist")]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<WatchId>,
) -> ApiResult<Json<WatchEntry>> {
    let actor = caller.require(super::READERS)?.clone();
    let store = state.store.clone();
    let now = state.clock.now();
    let entry = blocking(move || {
        let entry = store
            .get_watch(id)?
            .ok_or_else(|| ApiError::not_found(&format!("watch entry {id}")))?;
        if !actor.sees_region(entry.region) {
            return Err(ApiError::forbidden("this entry belongs to another region"));
        }
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "watch.view",
                format!("watch:{id}"),
                serde_json::json!({}),
            )],
            now,
        )?;
        Ok(entry)
    })
    .await?;
    Ok(Json(entry))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct WithdrawRequest {
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct WithdrawQuery {
    /// The reason, when not sent as a JSON body.
    pub reason: Option<String>,
}

/// Withdraws an entry with a reason (JSON body `{"reason": …}` or `?reason=`). It stops matching at once.
#[utoipa::path(
    delete, path = "/v1/watchlist/{id}", params(("id" = i64, Path), WithdrawQuery), request_body(content = WithdrawRequest, content_type = "application/json"),
    responses((status = 200, body = WatchEntry), (status = 404, body = crate::error::ErrorBody), (status = 409, description = "Not active", body = crate::error::ErrorBody), (status = 422, description = "No reason", body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "watchlist"
)]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<WatchId>,
    Query(q): Query<WithdrawQuery>,
    body: Option<Json<WithdrawRequest>>,
) -> ApiResult<Json<WatchEntry>> {
    let actor = caller.require(&[Role::Admin])?.clone();
    let reason = body
        .and_then(|Json(b)| b.reason)
        .or(q.reason)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let reason = reason.ok_or_else(|| {
        ApiError::unprocessable(vec![
            Rejection::new(
                codes::REASON_REQUIRED,
                "withdrawing an entry needs a reason",
            )
            .at("reason"),
        ])
    })?;
    let store = state.store.clone();
    let pipeline = state.pipeline.clone();
    let now = state.clock.now();
    let entry = blocking(move || {
        let entry = store.withdraw_watch(id, &reason, &actor, now)?;
        pipeline.apply_watch_change(entry.clone());
        Ok(entry)
    })
    .await?;
    Ok(Json(entry))
}
