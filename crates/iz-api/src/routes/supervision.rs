//! `/v1/supervision`: persons on probation, their restrictions, the observations that place
//! them (pings, camera sightings, check-ins), the violations found, and referrals to social
//! help. A probation officer sees and handles their own caseload; admins and supervising
//! prosecutors see everyone; integrators' tokens post observations and the social-services
//! platform's updates. Every change and every read of a person is audited.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use iz_audit::AuditDraft;
use iz_model::{Actor, Rejection, Role, codes};
use iz_store::Store;
use iz_store::supervision::{
    NewSupervised, Supervised, SupervisedFilter, SupervisedId, ViolationFilter, ViolationRecord,
    ViolationStatus,
};
use iz_supervision::referral::{Referral, ReferralStatus};
use iz_supervision::{CheckInInput, Monitor, PingInput, SightingInput, Status};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{blocking, json_problem};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::supervision::{SupervisionService, persist};

/// Who reads supervision: officers (their caseload), admins and prosecutors (everyone).
const READERS: &[Role] = &[Role::ProbationOfficer, Role::Admin, Role::Prosecutor];
/// Who posts observations: integrators' tokens and admins.
const FEEDERS: &[Role] = &[Role::Ingest, Role::Admin];

fn service(state: &AppState) -> ApiResult<Arc<SupervisionService>> {
    state.supervision.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "supervision_off",
            "supervision is not running in this server",
        )
    })
}

/// The officer's user name, for a probation officer; `None` for roles that see everyone.
fn own_caseload(actor: &Actor) -> Option<String> {
    (actor.role == Role::ProbationOfficer).then(|| {
        actor
            .id
            .strip_prefix("user:")
            .unwrap_or(&actor.id)
            .to_string()
    })
}

/// The person, if the caller may see them.
fn visible(store: &dyn Store, actor: &Actor, id: SupervisedId) -> ApiResult<Supervised> {
    let person = store
        .get_supervised(id)?
        .ok_or_else(|| ApiError::not_found("supervised person"))?;
    if let Some(officer) = own_caseload(actor)
        && person.order.officer != officer
    {
        return Err(ApiError::forbidden(
            "an officer sees their own caseload only",
        ));
    }
    Ok(person)
}

#[derive(Debug, Serialize)]
pub struct Enrolled {
    pub person: Supervised,
    /// Iz's proposals from the needs profile, for the officer to accept or decline.
    pub referrals: Vec<Referral>,
}

/// Puts a person under supervision. The order's restrictions are checked whole: every problem
/// comes back at once with where it is (`exclusions[1]`) and a stable code.
#[utoipa::path(post, path = "/v1/supervision/persons",
    request_body(content = String, description = "NewSupervised: iin?, name, officer, region, legal_basis, term {from, until}, devices, restrictions (GeoJSON zones, curfews, exclusions, banned_places, banned_events, region), needs", content_type = "application/json"),
    responses((status = 201, description = "Enrolled, with the referrals proposed from the needs"), (status = 422, description = "Every problem of the order, each with where it is", body = crate::error::ErrorBody), (status = 409, description = "A device already worn by someone else", body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn enrol_person(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewSupervised>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Enrolled>)> {
    let actor = caller
        .require(&[Role::ProbationOfficer, Role::Admin])?
        .clone();
    let Json(order) = body.map_err(json_problem)?;
    if let Some(officer) = own_caseload(&actor) {
        if order.officer != officer {
            return Err(ApiError::forbidden(
                "an officer enrols people into their own caseload",
            ));
        }
        if Some(order.region) != actor.region {
            return Err(ApiError::forbidden(
                "an officer enrols people in their own region",
            ));
        }
    }
    let service = service(&state)?;
    let now = state.clock.now();
    // Checked before anything is stored.
    let restrictions = service.compile(order.restrictions.clone()).map_err(|e| {
        ApiError::unprocessable(
            e.0.into_iter()
                .map(|p| Rejection::new(p.code, format!("{}: {}", p.at, p.message)))
                .collect(),
        )
    })?;
    let store = state.store.clone();
    let enrolled = blocking(move || {
        let person = store.add_supervised(order, &actor, now)?;
        service
            .enrol_compiled(&person, restrictions, now)
            .map_err(|e| {
                tracing::error!(error = %e, "a stored order could not be monitored");
                ApiError::internal()
            })?;
        let rules: Vec<_> = service
            .rules
            .propose(&person.order.needs)
            .into_iter()
            .cloned()
            .collect();
        let referrals = store.propose_referrals(person.id, &rules, now)?;
        Ok(Enrolled { person, referrals })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(enrolled)))
}

#[derive(Debug, Deserialize)]
pub struct CaseloadQuery {
    pub officer: Option<String>,
    pub region: Option<String>,
}

/// A person on the caseload with where they stand today.
#[derive(Debug, Serialize)]
pub struct CaseloadRow {
    pub person: Supervised,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Violations not yet acknowledged or closed.
    pub open_violations: usize,
}

/// The caseload: an officer's own people, or anyone's for admins and prosecutors.
#[utoipa::path(get, path = "/v1/supervision/persons",
    responses((status = 200, description = "The caseload, each person with where they stand now and their open violations"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn caseload(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<CaseloadQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<CaseloadRow>>> {
    let actor = caller.require(READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let region = match q.region.as_deref() {
        Some(code) => Some(
            iz_model::Region::parse(code)
                .map_err(|e| ApiError::bad_request(codes::INVALID_REGION, e.to_string()))?,
        ),
        None => None,
    };
    let officer = own_caseload(&actor).or(q.officer);
    let service = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let rows = blocking(move || {
        let persons = store.list_supervised(&SupervisedFilter {
            officer: officer.clone(),
            region,
            include_released: false,
        })?;
        let open = store.list_violations(&ViolationFilter {
            officer,
            region,
            status: Some(ViolationStatus::Open),
            limit: 10_000,
            ..Default::default()
        })?;
        let mut per_person: HashMap<SupervisedId, usize> = HashMap::new();
        for v in &open {
            *per_person.entry(v.person).or_default() += 1;
        }
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "supervision.list",
                "supervision",
                json!({ "persons": persons.len() }),
            )],
            now,
        )?;
        Ok(persons
            .into_iter()
            .map(|person| CaseloadRow {
                status: service.status(person.id),
                open_violations: per_person.get(&person.id).copied().unwrap_or(0),
                person,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(Json(rows))
}

#[derive(Debug, Serialize)]
pub struct PersonView {
    pub person: Supervised,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Newest first.
    pub violations: Vec<ViolationRecord>,
    pub referrals: Vec<Referral>,
}

/// One person: the order, where they stand, the violations timeline and the referrals.
#[utoipa::path(get, path = "/v1/supervision/persons/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "The order, the status now, the violations timeline and the referrals"), (status = 404, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<SupervisedId>,
) -> ApiResult<Json<PersonView>> {
    let actor = caller.require(READERS)?.clone();
    let service = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let view = blocking(move || {
        let person = visible(&*store, &actor, id)?;
        let violations = store.list_violations(&ViolationFilter {
            person: Some(id),
            limit: 500,
            ..Default::default()
        })?;
        let referrals = store.list_referrals(Some(id))?;
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "supervision.view",
                format!("supervised:{id}"),
                json!({}),
            )],
            now,
        )?;
        let status = service.status(id);
        Ok(PersonView {
            person,
            status,
            violations,
            referrals,
        })
    })
    .await?;
    Ok(Json(view))
}

/// The person's restrictions as a GeoJSON FeatureCollection, for the map.
#[utoipa::path(get, path = "/v1/supervision/persons/{id}/restrictions", params(("id" = i64, Path)),
    responses((status = 200, description = "GeoJSON FeatureCollection, one feature per zone with its restriction", content_type = "application/geo+json"), (status = 404, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn restrictions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<SupervisedId>,
) -> ApiResult<Json<Value>> {
    let actor = caller.require(READERS)?.clone();
    let store = state.store.clone();
    let now = state.clock.now();
    let geojson = blocking(move || {
        let person = visible(&*store, &actor, id)?;
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "supervision.view",
                format!("supervised:{id}"),
                json!({ "restrictions": true }),
            )],
            now,
        )?;
        Ok(person.order.restrictions.to_geojson())
    })
    .await?;
    Ok(Json(geojson))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    pub reason: String,
}

/// Ends supervision (term served, order lifted); the person's devices and state are forgotten.
#[utoipa::path(post, path = "/v1/supervision/persons/{id}/release", params(("id" = i64, Path)),
    request_body(content = String, description = "{\"reason\": …}", content_type = "application/json"),
    responses((status = 200, description = "Released"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<SupervisedId>,
    body: Result<Json<ReleaseRequest>, JsonRejection>,
) -> ApiResult<Json<Supervised>> {
    let actor = caller
        .require(&[Role::ProbationOfficer, Role::Admin])?
        .clone();
    let Json(request) = body.map_err(json_problem)?;
    if request.reason.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(codes::REASON_REQUIRED, "say why supervision ends").at("reason"),
        ]));
    }
    let service = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let released = blocking(move || {
        visible(&*store, &actor, id)?;
        let released = store.release_supervised(id, &request.reason, &actor, now)?;
        service.release(&released);
        Ok(released)
    })
    .await?;
    Ok(Json(released))
}

/// One refused line of a batch.
#[derive(Debug, Serialize)]
pub struct RefusedLine {
    /// 1-based.
    pub line: usize,
    #[serde(flatten)]
    pub problem: Rejection,
}

/// What became of a batch of observations.
#[derive(Debug, Serialize)]
pub struct ObservationReport {
    pub accepted: usize,
    pub rejected: Vec<RefusedLine>,
    /// Violations opened or ended by this batch and any observation that had been waiting.
    pub violations: Vec<ViolationRecord>,
}

fn read_body(body: Result<Bytes, BytesRejection>, limit: usize) -> ApiResult<Bytes> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the body is over the limit of {limit} bytes; send smaller batches"),
            )
        } else {
            ApiError::bad_request("unreadable_body", rejection.body_text())
        }
    })
}

/// Reads NDJSON lines of `T`, finds each one's shard with `route` and hands it to `take` under
/// that shard's lock; a line that cannot be read or is refused is listed with its number, the
/// rest go on. Each shard touched is then advanced.
async fn observe<T, R, F>(
    state: AppState,
    body: Bytes,
    route: R,
    take: F,
) -> ApiResult<Json<ObservationReport>>
where
    T: DeserializeOwned + Send + 'static,
    R: Fn(&SupervisionService, &T) -> Result<usize, Rejection> + Send + 'static,
    F: Fn(&mut Monitor, &T, DateTime<Utc>) -> Result<(), Rejection> + Send + 'static,
{
    let service = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let report = blocking(move || {
        let mut by_shard: Vec<Vec<(usize, T)>> =
            (0..service.shard_count()).map(|_| Vec::new()).collect();
        let mut rejected = Vec::new();
        for (i, line) in body.split(|b| *b == b'\n').enumerate() {
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            match serde_json::from_slice::<T>(line)
                .map_err(|e| Rejection::new("invalid_observation", e.to_string()))
                .and_then(|t| {
                    let shard = route(&service, &t)?;
                    Ok((shard, t))
                }) {
                Ok((shard, t)) => by_shard[shard].push((i + 1, t)),
                Err(problem) => rejected.push(RefusedLine {
                    line: i + 1,
                    problem,
                }),
            }
        }
        let mut accepted = 0;
        let mut signals = Vec::new();
        for (shard, lines) in by_shard.iter().enumerate() {
            if lines.is_empty() {
                continue;
            }
            let mut monitor = service.shard_at(shard).lock();
            for (line, t) in lines {
                match take(&mut monitor, t, now) {
                    Ok(()) => accepted += 1,
                    Err(problem) => rejected.push(RefusedLine {
                        line: *line,
                        problem,
                    }),
                }
            }
            signals.extend(monitor.advance(now));
        }
        rejected.sort_by_key(|r| r.line);
        let violations = persist(&*store, &signals, now);
        Ok(ObservationReport {
            accepted,
            rejected,
            violations,
        })
    })
    .await?;
    metrics::counter!("iz_supervision_observations_total").increment(report.accepted as u64);
    Ok(Json(report))
}

fn unknown_device(device: &str) -> Rejection {
    Rejection::new(
        iz_supervision::codes::UNKNOWN_DEVICE,
        format!("no supervised person wears device {device:?}"),
    )
    .at("device")
}

/// Location pings from bracelets and phones, NDJSON: `{"device", "lat", "lon", "accuracy_m",
/// "battery"?, "tamper"?, "at"}`. Each line is judged on its own; refused lines are listed
/// with their number and a stable code (`unknown_device`, `invalid_accuracy`, …).
#[utoipa::path(post, path = "/v1/supervision/pings",
    request_body(content = String, description = "NDJSON pings", content_type = "application/x-ndjson"),
    responses((status = 200, description = "accepted, rejected lines (line, code, field, message), violations opened or ended"), (status = 413, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn pings(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ObservationReport>> {
    caller.require(FEEDERS)?;
    let body = read_body(body, state.config.body_limit)?;
    observe::<PingInput, _, _>(
        state,
        body,
        |s, p| {
            s.shard_of_device(&p.device)
                .ok_or_else(|| unknown_device(&p.device))
        },
        |m, p, now| m.ping(p, now).map(|_| ()),
    )
    .await
}

/// Camera sightings of supervised persons (a face hit places them at the camera), NDJSON.
#[utoipa::path(post, path = "/v1/supervision/sightings",
    request_body(content = String, description = "NDJSON: person, camera, lat, lon, at", content_type = "application/x-ndjson"),
    responses((status = 200, description = "As for pings"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn sightings(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ObservationReport>> {
    caller.require(FEEDERS)?;
    let body = read_body(body, state.config.body_limit)?;
    observe::<SightingInput, _, _>(
        state,
        body,
        |s, x| Ok(s.shard_of_person(x.person)),
        |m, s, now| m.sighting(s, now),
    )
    .await
}

/// Office check-ins, NDJSON.
#[utoipa::path(post, path = "/v1/supervision/check-ins",
    request_body(content = String, description = "NDJSON: person, office, lat, lon, at", content_type = "application/x-ndjson"),
    responses((status = 200, description = "As for pings"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn check_ins(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ObservationReport>> {
    caller.require(FEEDERS)?;
    let body = read_body(body, state.config.body_limit)?;
    observe::<CheckInInput, _, _>(
        state,
        body,
        |s, x| Ok(s.shard_of_person(x.person)),
        |m, c, now| m.check_in(c, now),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct ViolationsQuery {
    pub person: Option<SupervisedId>,
    /// open, acknowledged or closed
    pub status: Option<String>,
    pub limit: Option<usize>,
}

/// The violations timeline, newest first: an officer's caseload, or everyone's.
#[utoipa::path(get, path = "/v1/supervision/violations",
    responses((status = 200, description = "Violations, newest first"), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn violations(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ViolationsQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<ViolationRecord>>> {
    let actor = caller.require(READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            serde_json::from_value::<ViolationStatus>(json!(s)).map_err(|_| {
                ApiError::bad_request(
                    "invalid_status",
                    format!("status {s:?} is not open, acknowledged or closed"),
                )
            })?,
        ),
    };
    let store = state.store.clone();
    let now = state.clock.now();
    let found = blocking(move || {
        let filter = ViolationFilter {
            person: q.person,
            officer: own_caseload(&actor),
            status,
            limit: q.limit.unwrap_or(0),
            ..Default::default()
        };
        let found = store.list_violations(&filter)?;
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "violation.list",
                "violations",
                json!({ "person": q.person, "found": found.len() }),
            )],
            now,
        )?;
        Ok(found)
    })
    .await?;
    Ok(Json(found))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandleRequest {
    /// `acknowledged` or `closed` (closing needs a note).
    pub status: ViolationStatus,
    #[serde(default)]
    pub note: String,
}

/// The officer acknowledges or closes a violation (with a reason).
#[utoipa::path(post, path = "/v1/supervision/violations/{id}", params(("id" = i64, Path)),
    request_body(content = String, description = "{\"status\": \"acknowledged\" | \"closed\", \"note\": …}", content_type = "application/json"),
    responses((status = 200, description = "Handled"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn handle_violation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Result<Json<HandleRequest>, JsonRejection>,
) -> ApiResult<Json<ViolationRecord>> {
    let actor = caller
        .require(&[Role::ProbationOfficer, Role::Admin])?
        .clone();
    let Json(request) = body.map_err(json_problem)?;
    if request.status == ViolationStatus::Closed && request.note.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(codes::REASON_REQUIRED, "say why the violation is closed").at("note"),
        ]));
    }
    let store = state.store.clone();
    let now = state.clock.now();
    let handled = blocking(move || {
        let v = store
            .get_violation(id)?
            .ok_or_else(|| ApiError::not_found("violation"))?;
        visible(&*store, &actor, v.person)?;
        Ok(store.handle_violation(id, request.status, &request.note, &actor, now)?)
    })
    .await?;
    Ok(Json(handled))
}

#[derive(Debug, Deserialize)]
pub struct ReferralsQuery {
    pub person: Option<SupervisedId>,
}

/// The referrals of one person (`?person=ID`; admins and prosecutors may list all).
#[utoipa::path(get, path = "/v1/supervision/referrals",
    responses((status = 200, description = "Referrals with their history"), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn referrals(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ReferralsQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<Referral>>> {
    let actor = caller.require(READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let found = blocking(move || {
        if let Some(id) = q.person {
            visible(&*store, &actor, id)?;
        } else if own_caseload(&actor).is_some() {
            return Err(ApiError::bad_request(
                codes::INVALID_QUERY,
                "an officer lists the referrals of one person: ?person=ID",
            ));
        }
        let found = store.list_referrals(q.person)?;
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "referral.list",
                "referrals",
                json!({ "person": q.person, "found": found.len() }),
            )],
            now,
        )?;
        Ok(found)
    })
    .await?;
    Ok(Json(found))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub status: ReferralStatus,
    #[serde(default)]
    pub note: String,
}

/// Moves a referral on. The officer accepts (`sent`: delivered to the social-services
/// platform) or declines a proposal; the platform's token reports `in_progress`, `provided` or
/// `declined`.
#[utoipa::path(post, path = "/v1/supervision/referrals/{id}", params(("id" = i64, Path)),
    request_body(content = String, description = "{\"status\": …, \"note\": …}", content_type = "application/json"),
    responses((status = 200, description = "Moved"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "supervision")]
pub async fn move_referral(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Result<Json<MoveRequest>, JsonRejection>,
) -> ApiResult<Json<Referral>> {
    let actor = caller
        .require(&[Role::ProbationOfficer, Role::Admin, Role::Ingest])?
        .clone();
    let Json(request) = body.map_err(json_problem)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let moved = blocking(move || {
        let referral = store
            .get_referral(id)?
            .ok_or_else(|| ApiError::not_found("referral"))?;
        if actor.role == Role::Ingest {
            if referral.status == ReferralStatus::Proposed {
                return Err(ApiError::forbidden(
                    "only the officer accepts or declines a proposal",
                ));
            }
        } else {
            visible(&*store, &actor, referral.person)?;
        }
        Ok(store.move_referral(id, request.status, &request.note, &actor, now)?)
    })
    .await?;
    Ok(Json(moved))
}
