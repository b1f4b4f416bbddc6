//! Handlers, one module per resource.

pub mod alerts;
pub mod audit;
pub mod drones;
pub mod events;
pub mod fraud;
pub mod import;
pub mod series;
pub mod session;
pub mod supervision;
pub mod watch;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use iz_model::Role;
use serde::Serialize;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Who reads wanted-person alerts, watch entries and counts: admins, the operators of a region
/// (narrowed to it), and supervising prosecutors (everything, read-only).
pub(crate) const READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Prosecutor];

/// A query string that does not parse (a word where a number belongs, a malformed time): 400
/// with the parser's words, in the one error shape.
pub(crate) fn query_problem(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
    ApiError::bad_request(iz_model::codes::INVALID_QUERY, rejection.body_text())
}

/// A JSON body that does not read as the request: 422 `invalid_request` with serde's words.
pub(crate) fn json_problem(rejection: axum::extract::rejection::JsonRejection) -> ApiError {
    ApiError::unprocessable(vec![iz_model::Rejection::new(
        "invalid_request",
        rejection.body_text(),
    )])
}

/// Runs a store call on a blocking thread.
pub(crate) async fn blocking<T, F>(f: F) -> ApiResult<T>
where
    F: FnOnce() -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "a blocking task failed");
        ApiError::internal()
    })?
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)), tag = "operations")]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Prometheus text format.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus metrics", content_type = "text/plain")), tag = "operations")]
pub async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "metrics are not enabled in this process",
        )
            .into_response(),
    }
}

#[utoipa::path(get, path = "/v1/openapi.json", responses((status = 200, description = "This document")), security(("bearer" = [])), tag = "operations")]
pub async fn openapi_json(_caller: Caller) -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi())
}

/// Counts of events, hits, alerts, watch entries and precision per source.
#[utoipa::path(get, path = "/v1/stats", responses((status = 200, body = iz_store::Stats), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)), security(("bearer" = [])), tag = "stats")]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<iz_store::Stats>> {
    let actor = caller.require(READERS)?.clone();
    let store = state.store.clone();
    let now = state.clock.now();
    let stats = blocking(move || {
        // Counts hold no personal data, but a token's use is recorded all the same.
        store.append_audit(
            vec![iz_audit::AuditDraft::new(
                actor.id,
                "stats.read",
                "stats",
                serde_json::json!({}),
            )],
            now,
        )?;
        Ok(store.stats(now)?)
    })
    .await?;
    Ok(Json(stats))
}

pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route; see /v1/openapi.json",
    )
}
