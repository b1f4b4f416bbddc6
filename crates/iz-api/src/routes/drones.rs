//! `/v1/drones`: licensed areas (a GeoJSON file, replaced whole), drone detections in, and the
//! incidents found — activity outside every valid licence, or inside an expired one — for an
//! operator to look at and close with a reason.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bytes::Bytes;
use iz_drones::{DetectionInput, Incident, Licences, Outcome, Watch};
use iz_model::{Rejection, Role, codes};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::blocking;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

const READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Prosecutor, Role::Analyst];

/// The drone watch of the server: the licences in force and the incidents found.
pub type DroneWatch = Arc<Mutex<Watch>>;

/// The watch as the store left it: the latest licence file and every incident.
pub fn load(store: &dyn iz_store::Store) -> Result<Watch, String> {
    let licences = match store.licences().map_err(|e| e.to_string())? {
        Some(text) => Licences::from_geojson(&text).map_err(|e| e.to_string())?,
        None => Licences::none(),
    };
    let incidents = store.incidents().map_err(|e| e.to_string())?;
    Ok(Watch::new(iz_drones::Policy::default(), licences).with_incidents(incidents))
}

fn watch(state: &AppState) -> ApiResult<DroneWatch> {
    state.drones.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "drones_off",
            "drone watch is not running in this server",
        )
    })
}

#[derive(Debug, Serialize)]
pub struct LicencesLoaded {
    pub version: i64,
    pub licences: usize,
}

/// Replaces the licensed areas: a FeatureCollection of Polygons / MultiPolygons with `id` (the
/// licence number), `holder`, `valid_from`, `valid_until`. Every problem of the file comes back
/// at once, with its feature's index; nothing changes then.
#[utoipa::path(put, path = "/v1/drones/licences",
    request_body(content = String, description = "GeoJSON FeatureCollection of licence areas", content_type = "application/geo+json"),
    responses((status = 200, description = "Loaded: version and count"), (status = 422, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "drones")]
pub async fn put_licences(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<LicencesLoaded>> {
    let actor = caller.require(&[Role::Admin])?.clone();
    let body = body.map_err(|r| ApiError::bad_request("unreadable_body", r.body_text()))?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("unreadable_body", "the file is not UTF-8"))?;
    let licences = Licences::from_geojson(&text).map_err(|e| {
        ApiError::unprocessable(
            e.0.into_iter()
                .map(|p| {
                    let at = p
                        .feature
                        .map_or("the file".to_string(), |i| format!("feature {i}"));
                    Rejection::new(p.code, format!("{at}: {}", p.message))
                })
                .collect(),
        )
    })?;
    let watch = watch(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let loaded = blocking(move || {
        let count = licences.len();
        let version = store.put_licences(&text, count, &actor, now)?;
        watch.lock().replace_licences(licences);
        Ok(LicencesLoaded {
            version,
            licences: count,
        })
    })
    .await?;
    Ok(Json(loaded))
}

/// The licence file in force, as loaded.
#[utoipa::path(get, path = "/v1/drones/licences",
    responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "drones")]
pub async fn get_licences(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require(READERS)?;
    let store = state.store.clone();
    let text = blocking(move || Ok(store.licences()?)).await?;
    let empty = serde_json::json!({ "type": "FeatureCollection", "features": [] });
    Ok(Json(
        text.and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(empty),
    ))
}

#[derive(Debug, Serialize)]
pub struct DetectionLine {
    pub line: usize,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Serialize)]
pub struct DetectionReport {
    /// What became of each line that was judged.
    pub judged: Vec<DetectionLine>,
    pub rejected: Vec<super::supervision::RefusedLine>,
}

/// Drone detections, NDJSON: `{"flight", "at", "class", "footprint" (GeoJSON Point or Polygon),
/// "confidence", "image"?}`. Each line is judged on its own.
#[utoipa::path(post, path = "/v1/drones/detections",
    request_body(content = String, description = "NDJSON detections", content_type = "application/x-ndjson"),
    responses((status = 200, description = "Each line's outcome (noted, opened, folded) or why it was refused"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "drones")]
pub async fn detections(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<DetectionReport>> {
    caller.require(&[Role::Ingest, Role::Admin])?;
    let body = body.map_err(|r| ApiError::bad_request("unreadable_body", r.body_text()))?;
    let watch = watch(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let report = blocking(move || {
        let mut judged = Vec::new();
        let mut rejected = Vec::new();
        let mut touched: Vec<(Incident, bool)> = Vec::new();
        {
            let mut watch = watch.lock();
            for (i, line) in body.split(|b| *b == b'\n').enumerate() {
                let line = line.trim_ascii();
                if line.is_empty() {
                    continue;
                }
                let refuse = |problem| super::supervision::RefusedLine {
                    line: i + 1,
                    problem,
                };
                let detection: DetectionInput = match serde_json::from_slice(line) {
                    Ok(d) => d,
                    Err(e) => {
                        rejected.push(refuse(Rejection::new("invalid_detection", e.to_string())));
                        continue;
                    }
                };
                match watch.record(&detection, now) {
                    Ok(outcome) => {
                        let changed = match &outcome {
                            Outcome::Opened { incident, .. } => Some((*incident, true)),
                            Outcome::Folded { incident, .. } => Some((*incident, false)),
                            Outcome::Noted { .. } => None,
                        };
                        if let Some((id, opened)) = changed
                            && let Some(incident) = watch.incident(id)
                        {
                            touched.retain(|(t, _)| t.id != id);
                            touched.push((incident.clone(), opened));
                        }
                        judged.push(DetectionLine {
                            line: i + 1,
                            outcome,
                        });
                    }
                    Err(problem) => rejected.push(refuse(problem)),
                }
            }
        }
        for (incident, opened) in &touched {
            store.save_incident(incident, *opened, now)?;
        }
        Ok(DetectionReport { judged, rejected })
    })
    .await?;
    Ok(Json(report))
}

/// Every incident, newest first.
#[utoipa::path(get, path = "/v1/drones/incidents",
    responses((status = 200, description = "Incidents with their sightings"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "drones")]
pub async fn incidents(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Incident>>> {
    let actor = caller.require(READERS)?.clone();
    let store = state.store.clone();
    let now = state.clock.now();
    let mut found = blocking(move || {
        store.append_audit(
            vec![iz_audit::AuditDraft::new(
                actor.id,
                "incident.list",
                "incidents",
                serde_json::json!({}),
            )],
            now,
        )?;
        Ok(store.incidents()?)
    })
    .await?;
    found.reverse();
    Ok(Json(found))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    pub reason: String,
}

/// An operator closes an incident with a reason (inspected, licensed after all, …).
#[utoipa::path(post, path = "/v1/drones/incidents/{id}/close", params(("id" = u64, Path)),
    request_body(content = String, description = "{\"reason\": …}", content_type = "application/json"),
    responses((status = 200, description = "Closed"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "drones")]
pub async fn close_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<u64>,
    body: Result<Json<CloseRequest>, JsonRejection>,
) -> ApiResult<Json<Incident>> {
    let actor = caller.require(&[Role::Admin, Role::Operator])?.clone();
    let Json(request) = body.map_err(super::json_problem)?;
    if request.reason.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(codes::REASON_REQUIRED, "say why the incident is closed").at("reason"),
        ]));
    }
    let watch = watch(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let closed = blocking(move || {
        let closed = store.close_incident(id, &request.reason, &actor, now)?;
        watch.lock().close(id);
        Ok(closed)
    })
    .await?;
    Ok(Json(closed))
}
