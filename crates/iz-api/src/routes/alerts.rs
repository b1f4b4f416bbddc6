//! `/v1/alerts`: the operator's queue. Operators see and review their region's alerts only —
//! asking for another region's alert by id is 403, not a peek. Every read of an alert's details
//! is audited; a review needs a reason and is recorded with who and when.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use iz_audit::AuditDraft;
use iz_model::{
    Actor, Alert, AlertId, AlertStatus, Confirmation, Decision, Region, Rejection, Review, Role,
    WatchEntry, WatchId, codes,
};
use iz_store::{AlertChange, AlertFilter, StoredHit};
use serde::{Deserialize, Serialize};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::blocking;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// open, confirmed or rejected
    pub status: Option<String>,
    /// A region code (admins); operators always get their own.
    pub region: Option<String>,
    pub source: Option<String>,
    /// Every alert of one watch entry: its timeline (still only the caller's region).
    pub watch_id: Option<WatchId>,
    /// `true`: only open alerts created longer ago than the review deadline (24 hours unless
    /// configured). `false` or absent: no such filter.
    pub overdue: Option<bool>,
    /// Alerts with a smaller id (paging, newest first).
    pub before: Option<AlertId>,
    /// At most this many (default 100, at most 10,000).
    pub limit: Option<usize>,
}

/// The regions an actor may see, narrowed by a requested one.
fn visible_regions(actor: &Actor, requested: Option<&str>) -> ApiResult<Option<Vec<Region>>> {
    let requested = match requested {
        Some(code) => Some(
            Region::parse(code)
                .map_err(|e| ApiError::bad_request(codes::INVALID_REGION, e.to_string()))?,
        ),
        None => None,
    };
    match actor.role {
        Role::Admin | Role::Prosecutor => Ok(requested.map(|r| vec![r])),
        Role::Operator => {
            let own = actor
                .region
                .ok_or_else(|| ApiError::forbidden("this operator token has no region"))?;
            if requested.is_some_and(|r| r != own) {
                return Err(ApiError::forbidden(format!(
                    "operators of {own} see {own} only"
                )));
            }
            Ok(Some(vec![own]))
        }
        role => Err(ApiError::forbidden(format!(
            "role {role} cannot read wanted-person alerts"
        ))),
    }
}

/// Lists alerts, newest first, as a JSON array.
#[utoipa::path(
    get, path = "/v1/alerts", params(ListQuery),
    responses(
        (status = 200, body = Vec<Alert>),
        (status = 400, description = "A malformed parameter, or overdue with a status other than open", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])), tag = "alerts"
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<Alert>>> {
    let actor = caller.require(super::READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let regions = visible_regions(&actor, q.region.as_deref())?;
    let mut status = match q.status.as_deref() {
        Some(s) => Some(AlertStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_status",
                format!("status {s:?} is not open, confirmed or rejected"),
            )
        })?),
        None => None,
    };
    let now = state.clock.now();
    let overdue = q.overdue == Some(true);
    let mut created_before = None;
    if overdue {
        if status.is_some_and(|s| s != AlertStatus::Open) {
            return Err(ApiError::bad_request(
                codes::INVALID_QUERY,
                "only open alerts are overdue; leave status out or ask for open",
            ));
        }
        status = Some(AlertStatus::Open);
        created_before = Some(now - state.config.review_deadline);
    }
    let filter = AlertFilter {
        status,
        regions,
        source: q.source,
        watch_id: q.watch_id,
        created_before,
        before_id: q.before,
        limit: q.limit.unwrap_or(100),
    };
    let store = state.store.clone();
    let alerts = blocking(move || {
        let alerts = store.list_alerts(&filter)?;
        // An entry's timeline is a look at one person's movements: recorded as such.
        let mut details = serde_json::json!({"count": alerts.len()});
        if let Some(watch_id) = filter.watch_id {
            details["watch_id"] = watch_id.into();
        }
        if overdue {
            details["overdue"] = true.into();
        }
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "alert.list",
                "alerts",
                details,
            )],
            now,
        )?;
        Ok(alerts)
    })
    .await?;
    Ok(Json(alerts))
}

/// An alert with what an operator needs to decide: the entry (person, legal basis, expiry) and
/// every hit folded into it, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertDetail {
    pub alert: Alert,
    pub entry: WatchEntry,
    pub hits: Vec<StoredHit>,
}

/// Reads an alert's details: an audited read of personal data.
#[utoipa::path(get, path = "/v1/alerts/{id}", params(("id" = i64, Path)), responses((status = 200, body = AlertDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)), security(("bearer" = [])), tag = "alerts")]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<AlertId>,
) -> ApiResult<Json<AlertDetail>> {
    let actor = caller.require(super::READERS)?.clone();
    let store = state.store.clone();
    let now = state.clock.now();
    let detail = blocking(move || {
        let alert = store
            .get_alert(id)?
            .ok_or_else(|| ApiError::not_found(&format!("alert {id}")))?;
        if !actor.sees_region(alert.region) {
            return Err(ApiError::forbidden("this alert belongs to another region"));
        }
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "alert.view",
                format!("alert:{id}"),
                serde_json::json!({"watch_id": alert.watch_id}),
            )],
            now,
        )?;
        let entry = store
            .get_watch(alert.watch_id)?
            .ok_or_else(|| ApiError::not_found(&format!("watch entry {}", alert.watch_id)))?;
        let hits = store.alert_hits(id)?;
        Ok(AlertDetail { alert, entry, hits })
    })
    .await?;
    Ok(Json(detail))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub decision: Decision,
    pub reason: Option<String>,
}

/// The name of the matcher behind face alerts (the two-person rule applies to them alone).
pub const FACE_MATCHER: &str = "face";

/// Confirms (the person is located; the entry closes) or rejects (false positive) an open alert.
#[utoipa::path(
    post, path = "/v1/alerts/{id}/review", params(("id" = i64, Path)), request_body = ReviewRequest,
    responses((status = 200, body = Alert), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, description = "Already reviewed", body = crate::error::ErrorBody), (status = 422, description = "No reason", body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "alerts"
)]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<AlertId>,
    body: Result<Json<ReviewRequest>, JsonRejection>,
) -> ApiResult<Json<Alert>> {
    let actor = caller.require(&[Role::Admin, Role::Operator])?.clone();
    let Json(request) = body.map_err(|r| {
        ApiError::unprocessable(vec![Rejection::new("invalid_review", r.body_text())])
    })?;
    let reason = request
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let reason = reason.ok_or_else(|| {
        ApiError::unprocessable(vec![
            Rejection::new(codes::REASON_REQUIRED, "a review needs a reason").at("reason"),
        ])
    })?;
    let store = state.store.clone();
    let pipeline = state.pipeline.clone();
    let now = state.clock.now();
    let two_person_faces = state.config.two_person_faces;
    let alert = blocking(move || {
        let alert = store
            .get_alert(id)?
            .ok_or_else(|| ApiError::not_found(&format!("alert {id}")))?;
        if !actor.sees_region(alert.region) {
            return Err(ApiError::forbidden("this alert belongs to another region"));
        }
        let review = Review {
            decision: request.decision,
            reason,
            by: actor.id.clone(),
            at: now,
        };
        let rule = if two_person_faces && alert.matcher == FACE_MATCHER {
            Confirmation::TwoPerson
        } else {
            Confirmation::Single
        };
        let reviewed = store.decide_alert(id, review, &actor, rule)?;
        if reviewed.status == AlertStatus::Confirmed
            && let Some(entry) = store.get_watch(reviewed.watch_id)?
        {
            pipeline.apply_watch_change(entry);
        }
        Ok(reviewed)
    })
    .await?;
    Ok(Json(alert))
}

#[derive(Serialize)]
struct StreamItem<'a> {
    change: &'static str,
    alert: &'a Alert,
}

/// Server-sent events: one `alert` event per alert created or updated, as
/// `{"change": "created"|"folded", "alert": {…}}`; operators get their region's only.
#[utoipa::path(get, path = "/v1/alerts/stream", responses((status = 200, description = "text/event-stream of alert changes", content_type = "text/event-stream")), security(("bearer" = [])), tag = "alerts")]
pub async fn stream(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let actor = caller.require(super::READERS)?.clone();
    let regions = visible_regions(&actor, None)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let audit_actor = actor.id.clone();
    blocking(move || {
        Ok(store.append_audit(
            vec![AuditDraft::new(
                audit_actor,
                "alert.stream",
                "alerts",
                serde_json::json!({}),
            )],
            now,
        )?)
    })
    .await?;
    let mut shutdown = state.shutdown.clone();
    let ended = async move {
        let _ = shutdown.wait_for(|down| *down).await;
    };
    let events = BroadcastStream::new(state.alerts.subscribe())
        .filter_map(move |item| {
            let regions = regions.clone();
            async move {
                match item {
                    Ok(change) => to_sse(&change, regions.as_deref()),
                    Err(BroadcastStreamRecvError::Lagged(n)) => Some(
                        SseEvent::default()
                            .event("lagged")
                            .data(format!("{{\"missed\":{n}}}")),
                    ),
                }
            }
        })
        .map(Ok)
        .take_until(ended);
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

fn to_sse(change: &Arc<AlertChange>, regions: Option<&[Region]>) -> Option<SseEvent> {
    let (kind, alert) = match change.as_ref() {
        AlertChange::Created(a) => ("created", a),
        AlertChange::Folded(a) => ("folded", a),
    };
    if regions.is_some_and(|r| !r.contains(&alert.region)) {
        return None;
    }
    let data = serde_json::to_string(&StreamItem {
        change: kind,
        alert,
    })
    .ok()?;
    Some(
        SseEvent::default()
            .event("alert")
            .id(alert.id.to_string())
            .data(data),
    )
}
