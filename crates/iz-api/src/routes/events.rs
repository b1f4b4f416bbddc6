//! `POST /v1/events`: a batch in, a report out, after the batch's alerts are durable.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use bytes::Bytes;
use iz_ingest::IngestReport;
use iz_model::Role;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Posts a batch of events as NDJSON (one JSON object a line) or as a JSON array.
///
/// Each line is validated on its own: a bad line is listed in `rejected` with its 1-based line
/// number, a stable code and a message, and never fails the batch. An event whose (source, id)
/// was already accepted is counted in `duplicates` and changes nothing. The answer comes after
/// the batch's hits are committed.
#[utoipa::path(
    post, path = "/v1/events",
    request_body(content = Vec<iz_model::EventInput>, description = "NDJSON lines or a JSON array of events", content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "Batch processed", body = IngestReport),
        (status = 400, description = "The body is a broken JSON array", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 413, description = "Body over the configured limit", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])), tag = "events"
)]
pub async fn post_events(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<IngestReport>> {
    let actor = caller.require(&[Role::Ingest, Role::Admin])?.clone();
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the body is over the limit of {} bytes; send smaller batches",
                    state.config.body_limit
                ),
            )
        } else {
            ApiError::bad_request("unreadable_body", rejection.body_text())
        }
    })?;
    let started = Instant::now();
    let outcome = state.bus.submit(body, actor).await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "Iz is shutting down; send the batch again",
        )
    })?;
    metrics::histogram!("iz_batch_seconds").record(started.elapsed().as_secs_f64());
    Ok(Json(outcome?))
}
