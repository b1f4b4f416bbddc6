//! `/v1/fraud`: banks and operators stream their events in and ask about transfers before
//! they execute them (`decide`: allow, hold or block, with every reason); analysts work the
//! queue of cases the detectors propose, confirming one onto the shared block-list (with a
//! legal basis and an expiry) or dismissing it; block-list entries and drug-shop details are
//! listed and withdrawn by people; the detectors' configuration is versioned, audited, and
//! can be tried beside the live one first (a dry run).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bytes::Bytes;
use iz_audit::AuditDraft;
use iz_fraud::{
    AccountRef, BlockEntry, BlockReason, BlockTarget, Decision, DrugShopDetails, Event, Transaction,
};
use iz_model::{LegalBasis, Rejection, Role, codes};
use iz_store::fraud::{CaseKind, CaseStatus, FraudCase, Listing, ListingBody};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{blocking, json_problem};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::fraud::{Applied, DryRunReport, FraudService, HeldTransfer, LiveConfig};

/// Banks and operators, and admins.
const FEEDERS: &[Role] = &[Role::Ingest, Role::Admin];
/// Who reads the queue, the listings and the configuration.
const READERS: &[Role] = &[Role::Analyst, Role::Admin, Role::Prosecutor];
/// Who handles cases and listings.
const ANALYSTS: &[Role] = &[Role::Analyst, Role::Admin];

fn service(state: &AppState) -> ApiResult<Arc<FraudService>> {
    state.fraud.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "fraud_off",
            "the anti-fraud centre is not running in this server",
        )
    })
}

fn refused(r: iz_fraud::Refused) -> ApiError {
    ApiError::unprocessable(vec![Rejection::new(r.code, r.message)])
}

fn audit(state: &AppState, draft: AuditDraft) -> ApiResult<()> {
    state
        .store
        .append_audit(vec![draft], state.clock.now())
        .map(|_| ())
        .map_err(ApiError::from)
}

#[derive(Debug, Serialize)]
pub struct EventsReport {
    #[serde(flatten)]
    pub applied: Applied,
    /// Cases opened for the analysts by this batch.
    pub cases_opened: usize,
}

/// Events from banks and operators, NDJSON, one per line, tagged by `kind`:
/// `account_opened`, `transaction`, `call`, `fraud_report`. Each line is applied on its own;
/// a bad one is named by its line with the reason (a zero amount, a currency other than KZT,
/// an empty account …). Proposals (a dropper suspected, a SIM box) open cases for analysts.
#[utoipa::path(post, path = "/v1/fraud/events",
    request_body(content = String, description = "NDJSON events", content_type = "application/x-ndjson"),
    responses((status = 200, description = "Accepted, duplicates, refused lines, hits"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<EventsReport>> {
    caller.require(FEEDERS)?;
    let body = body.map_err(|r| ApiError::bad_request("unreadable_body", r.body_text()))?;
    let fraud = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let report = blocking(move || {
        let events: Vec<(usize, Result<Event, String>)> = body
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.trim_ascii().is_empty())
            .map(|(i, line)| {
                (
                    i + 1,
                    serde_json::from_slice::<Event>(line).map_err(|e| e.to_string()),
                )
            })
            .collect();
        let applied = fraud.observe(events);
        let opened = store.open_fraud_cases(FraudService::proposals(&applied.hits), now)?;
        Ok(EventsReport {
            applied,
            cases_opened: opened.len(),
        })
    })
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Serialize)]
pub struct DecideAnswer {
    #[serde(flatten)]
    pub decision: Decision,
    /// The configuration it was decided under (absent: the built-in defaults).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_revision: Option<i64>,
}

/// A transfer about to be executed: `{"decision": "allow" | "hold" | "block", "score", "reasons"}`,
/// from the state in memory. A hold asks the customer to confirm; a block is for block-listed
/// details only (a person listed them). Nothing about the customer changes.
#[utoipa::path(post, path = "/v1/fraud/decide",
    request_body(content = String, description = "A transaction: {id, at, from, to, amount_tiyn, currency, channel, device_id?, ip?, payer_phone?, qr_merchant?}", content_type = "application/json"),
    responses((status = 200, description = "The decision with its score and reasons"), (status = 422, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<Transaction>, JsonRejection>,
) -> ApiResult<Json<DecideAnswer>> {
    caller.require(FEEDERS)?;
    let Json(tx) = body.map_err(json_problem)?;
    let fraud = service(&state)?;
    // In memory and short: answered on the request's own thread.
    let decision = fraud.decide(&tx, state.clock.now()).map_err(refused)?;
    Ok(Json(DecideAnswer {
        decision,
        config_revision: fraud.revision(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct CasesQuery {
    pub status: Option<String>,
    pub limit: Option<usize>,
}

/// The analysts' queue: cases the detectors proposed, newest first, each with its score and
/// every reason.
#[utoipa::path(get, path = "/v1/fraud/cases",
    params(("status" = Option<String>, Query, description = "open, confirmed or dismissed"), ("limit" = Option<usize>, Query)),
    responses((status = 200, description = "Cases, newest first"), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn cases(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<CasesQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<FraudCase>>> {
    let actor = caller.require(READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some("open") => Some(CaseStatus::Open),
        Some("confirmed") => Some(CaseStatus::Confirmed),
        Some("dismissed") => Some(CaseStatus::Dismissed),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_status",
                format!("status {other:?} is not open, confirmed or dismissed"),
            ));
        }
    };
    let store = state.store.clone();
    let now = state.clock.now();
    let found = blocking(move || {
        let found = store.fraud_cases(status, q.limit.unwrap_or(500).min(5_000))?;
        store.append_audit(
            vec![AuditDraft::new(
                actor.id,
                "fraud.case.list",
                "fraud_cases",
                json!({ "cases": found.len() }),
            )],
            now,
        )?;
        Ok(found)
    })
    .await?;
    Ok(Json(found))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseDecision {
    Confirm,
    Dismiss,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandleCase {
    pub decision: CaseDecision,
    pub note: String,
    /// Confirming lists the subject: on what legal basis, until when.
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    #[serde(default)]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize)]
pub struct CaseHandled {
    pub case: FraudCase,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<Listing>,
}

/// An analyst's answer to a case: `confirm` (with a legal basis and an expiry: the account or
/// number goes onto the shared block-list) or `dismiss`, each with a note.
#[utoipa::path(post, path = "/v1/fraud/cases/{id}", params(("id" = i64, Path)),
    request_body(content = String, description = "{\"decision\": \"confirm\" | \"dismiss\", \"note\", \"legal_basis\"?, \"expires_at\"?}", content_type = "application/json"),
    responses((status = 200, description = "Handled"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn handle_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Result<Json<HandleCase>, JsonRejection>,
) -> ApiResult<Json<CaseHandled>> {
    let actor = caller.require(ANALYSTS)?.clone();
    let Json(request) = body.map_err(json_problem)?;
    if request.note.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(codes::REASON_REQUIRED, "say why").at("note"),
        ]));
    }
    let fraud = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let handled = blocking(move || {
        let case = store
            .fraud_case(id)?
            .ok_or_else(|| ApiError::not_found("fraud case"))?;
        let block = match request.decision {
            CaseDecision::Dismiss => None,
            CaseDecision::Confirm => {
                let (Some(legal_basis), Some(expires_at)) =
                    (request.legal_basis, request.expires_at)
                else {
                    return Err(ApiError::unprocessable(vec![
                        Rejection::new(
                            codes::LEGAL_BASIS_REQUIRED,
                            "a block-list entry needs a legal basis and an expiry",
                        )
                        .at("legal_basis"),
                    ]));
                };
                let (target, reason) = match case.kind {
                    CaseKind::Dropper => {
                        let account: AccountRef = serde_json::from_value(
                            case.detail["account"].clone(),
                        )
                        .map_err(|_| {
                            ApiError::new(
                                StatusCode::INTERNAL_SERVER_ERROR,
                                "internal",
                                "the case names no account",
                            )
                        })?;
                        (BlockTarget::Account(account), BlockReason::ConfirmedDropper)
                    }
                    CaseKind::SimBox => (
                        BlockTarget::Number(case.subject.clone()),
                        BlockReason::SimBox,
                    ),
                };
                let entry = BlockEntry {
                    target,
                    reason,
                    at: now,
                    legal_basis,
                    expires_at,
                };
                check_listing(&ListingBody::Block(entry.clone()), now)?;
                Some(entry)
            }
        };
        let (case, listing) = store.handle_fraud_case(id, block, &request.note, &actor, now)?;
        if let Some(l) = &listing {
            fraud.list(&l.body).map_err(refused)?;
        }
        Ok(CaseHandled { case, listing })
    })
    .await?;
    Ok(Json(handled))
}

/// A listing as a person enters it: a block-list entry or a drug shop's details; the server
/// dates it.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NewListing {
    Block {
        target: BlockTarget,
        reason: BlockReason,
        legal_basis: LegalBasis,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    DrugShop {
        shop: String,
        #[serde(default)]
        accounts: Vec<AccountRef>,
        #[serde(default)]
        numbers: Vec<String>,
        #[serde(default)]
        qr_merchants: Vec<String>,
        legal_basis: LegalBasis,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
}

fn check_listing(body: &ListingBody, now: chrono::DateTime<chrono::Utc>) -> ApiResult<()> {
    let basis = match body {
        ListingBody::Block(b) => &b.legal_basis,
        ListingBody::DrugShop(d) => &d.legal_basis,
    };
    if basis.reference.trim().is_empty() || basis.authority.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(
                codes::LEGAL_BASIS_REQUIRED,
                "the legal basis needs its reference and the authority that issued it",
            )
            .at("legal_basis"),
        ]));
    }
    if body.expires_at() <= now {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(codes::EXPIRY_REQUIRED, "the expiry must be in the future")
                .at("expires_at"),
        ]));
    }
    if let ListingBody::DrugShop(d) = body
        && d.accounts.is_empty()
        && d.numbers.is_empty()
        && d.qr_merchants.is_empty()
    {
        return Err(ApiError::unprocessable(vec![Rejection::new(
            codes::MISSING_FIELD,
            "a drug shop's listing names at least one account, number or QR merchant",
        )]));
    }
    FraudService::check_listing(body).map_err(refused)
}

/// Lists a block-list entry (an account or a number, confirmed by a person) or a drug shop's
/// payment details, each with a legal basis and an expiry. Decisions see it at once.
#[utoipa::path(post, path = "/v1/fraud/listings",
    request_body(content = String, description = "{\"kind\": \"block\", target, reason, legal_basis, expires_at} or {\"kind\": \"drug_shop\", shop, accounts, numbers, qr_merchants, legal_basis, expires_at}", content_type = "application/json"),
    responses((status = 201, description = "Listed"), (status = 422, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn add_listing(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewListing>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Listing>)> {
    let actor = caller.require(ANALYSTS)?.clone();
    let Json(request) = body.map_err(json_problem)?;
    let fraud = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let body = match request {
        NewListing::Block {
            target,
            reason,
            legal_basis,
            expires_at,
        } => ListingBody::Block(BlockEntry {
            target,
            reason,
            at: now,
            legal_basis,
            expires_at,
        }),
        NewListing::DrugShop {
            shop,
            accounts,
            numbers,
            qr_merchants,
            legal_basis,
            expires_at,
        } => ListingBody::DrugShop(DrugShopDetails {
            shop,
            at: now,
            accounts,
            numbers,
            qr_merchants,
            legal_basis,
            expires_at,
        }),
    };
    check_listing(&body, now)?;
    let listing = blocking(move || {
        let listing = store.add_listing(body, &actor, now)?;
        fraud.list(&listing.body).map_err(refused)?;
        Ok(listing)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(listing)))
}

#[derive(Debug, Deserialize)]
pub struct ListingsQuery {
    /// Withdrawn and expired ones too.
    pub all: Option<bool>,
}

/// The shared block-list and drug-shop listings: those in force (for banks and operators),
/// or every one with `?all=true`.
#[utoipa::path(get, path = "/v1/fraud/listings", params(("all" = Option<bool>, Query)),
    responses((status = 200, description = "Listings by id"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn listings(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListingsQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<Listing>>> {
    let actor = caller
        .require(&[Role::Analyst, Role::Admin, Role::Prosecutor, Role::Ingest])?
        .clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let found = blocking(move || {
        let mut found = store.listings()?;
        if !q.all.unwrap_or(false) {
            found.retain(|l| l.withdrawn.is_none() && l.body.expires_at() > now);
        }
        store.append_audit(
            vec![AuditDraft::new(
                actor.id,
                "fraud.listing.list",
                "fraud_listings",
                json!({ "listings": found.len() }),
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
pub struct Withdraw {
    pub reason: String,
}

/// Withdraws a listing with a reason (the order lifted, a mistake): from now on it counts for
/// nothing.
#[utoipa::path(post, path = "/v1/fraud/listings/{id}/withdraw", params(("id" = i64, Path)),
    request_body(content = String, description = "{\"reason\": …}", content_type = "application/json"),
    responses((status = 200, description = "Withdrawn"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn withdraw_listing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Result<Json<Withdraw>, JsonRejection>,
) -> ApiResult<Json<Listing>> {
    let actor = caller.require(ANALYSTS)?.clone();
    let Json(request) = body.map_err(json_problem)?;
    if request.reason.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![
            Rejection::new(codes::REASON_REQUIRED, "say why the listing is withdrawn").at("reason"),
        ]));
    }
    let fraud = service(&state)?;
    let store = state.store.clone();
    let now = state.clock.now();
    let listing = blocking(move || {
        let listing = store.withdraw_listing(id, &request.reason, &actor, now)?;
        fraud.unlist(&listing, now);
        Ok(listing)
    })
    .await?;
    Ok(Json(listing))
}

#[derive(Debug, Serialize)]
pub struct Overview {
    /// Decisions since the server started: allow, hold, block.
    pub decided: DecisionCounts,
    /// The latest holds and blocks, newest first.
    pub held: Vec<HeldTransfer>,
    pub shops: Vec<iz_fraud::ShopRevenue>,
    pub accounts: usize,
    pub stats: iz_fraud::Stats,
}

#[derive(Debug, Serialize)]
pub struct DecisionCounts {
    pub allow: u64,
    pub hold: u64,
    pub block: u64,
}

/// What the centre has done: decision counts, the latest holds and blocks with their reasons,
/// drug shops' revenue through their listed details.
#[utoipa::path(get, path = "/v1/fraud/overview",
    responses((status = 200, description = "Counts, holds and blocks, shop revenue"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn overview(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Overview>> {
    let actor = caller.require(READERS)?.clone();
    let fraud = service(&state)?;
    let [allow, hold, block] = fraud.decided();
    let (stats, accounts) = fraud.stats();
    let overview = Overview {
        decided: DecisionCounts { allow, hold, block },
        held: fraud.held(200),
        shops: fraud.shop_revenue(),
        accounts,
        stats,
    };
    let store_state = state.clone();
    blocking(move || {
        audit(
            &store_state,
            AuditDraft::new(actor.id, "fraud.overview", "fraud", json!({})),
        )
    })
    .await?;
    Ok(Json(overview))
}

#[derive(Debug, Serialize)]
pub struct ConfigView {
    #[serde(flatten)]
    pub live: LiveConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<DryRunReport>,
}

/// The configuration in force (TOML, with its revision) and the dry run, if one is going.
#[utoipa::path(get, path = "/v1/fraud/config",
    responses((status = 200, description = "The live configuration and the dry run"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn get_config(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ConfigView>> {
    caller.require(READERS)?;
    let fraud = service(&state)?;
    Ok(Json(ConfigView {
        live: fraud.live(),
        dry_run: fraud.dry_run(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct PutConfigQuery {
    /// Score it beside the live one instead of putting it in force.
    pub dry_run: Option<bool>,
}

fn invalid_config(e: iz_fraud::InvalidConfig) -> ApiError {
    ApiError::unprocessable(
        e.0.iter()
            .map(|p| Rejection::new(p.code, format!("{}: {}", p.at, p.message)))
            .collect(),
    )
}

/// A new configuration (TOML). Checked whole: one invalid rule refuses it all and the live one
/// stays. With `?dry_run=true` it is scored beside the live one on the decisions that follow
/// (`GET /v1/fraud/config` reports how often they differ) until it is put in force or the dry
/// run is ended (`DELETE /v1/fraud/config/dry-run`).
#[utoipa::path(put, path = "/v1/fraud/config", params(("dry_run" = Option<bool>, Query)),
    request_body(content = String, description = "TOML", content_type = "application/toml"),
    responses((status = 200, description = "In force (or in a dry run)"), (status = 422, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn put_config(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PutConfigQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ConfigView>> {
    let actor = caller.require(&[Role::Admin])?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let body = body.map_err(|r| ApiError::bad_request("unreadable_body", r.body_text()))?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("unreadable_body", "the configuration is not UTF-8"))?;
    let fraud = service(&state)?;
    let now = state.clock.now();
    let store = state.store.clone();
    let checked = FraudService::check(&text);
    let dry = q.dry_run.unwrap_or(false);
    let view = blocking(move || {
        let rules = match checked {
            Ok(r) => r,
            Err(e) => {
                store.append_audit(
                    vec![AuditDraft::new(
                        actor.id,
                        "fraud.config.refused",
                        "fraud_config",
                        json!({ "source": "api", "problems": e.codes() }),
                    )],
                    now,
                )?;
                return Err(invalid_config(e));
            }
        };
        if dry {
            store.append_audit(
                vec![AuditDraft::new(
                    actor.id,
                    "fraud.config.dry_run",
                    "fraud_config",
                    json!({ "version": rules.version() }),
                )],
                now,
            )?;
            fraud.start_dry_run(rules, &text, now);
        } else {
            fraud.apply(&*store, rules, &text, "api", &actor, now)?;
            fraud.stop_dry_run();
        }
        Ok(ConfigView {
            live: fraud.live(),
            dry_run: fraud.dry_run(),
        })
    })
    .await?;
    Ok(Json(view))
}

/// Ends the dry run, with what it found.
#[utoipa::path(delete, path = "/v1/fraud/config/dry-run",
    responses((status = 200, description = "What the dry run found"), (status = 404, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "fraud")]
pub async fn stop_dry_run(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let actor = caller.require(&[Role::Admin])?.clone();
    let fraud = service(&state)?;
    let report = fraud
        .stop_dry_run()
        .ok_or_else(|| ApiError::not_found("dry run"))?;
    let store_state = state.clone();
    let summary = json!({ "compared": report.compared, "same": report.same });
    blocking(move || {
        audit(
            &store_state,
            AuditDraft::new(
                actor.id,
                "fraud.config.dry_run_end",
                "fraud_config",
                summary,
            ),
        )
    })
    .await?;
    Ok(Json(serde_json::to_value(report).unwrap_or(Value::Null)))
}
