//! The anti-fraud centre in the server: one [`FraudCentre`] in memory behind a read-write
//! lock — decisions read it (many at once), streamed events write it — with its rules from
//! the configuration in force, hot-reloaded from a file, and an optional dry run that scores a
//! candidate configuration beside the live one on the same requests.
//!
//! What is kept: the analysts' cases, the listings (block-list entries and drug-shop details,
//! each with a legal basis and an expiry) and every configuration put in force, in the store;
//! the latest holds and blocks in memory for the console. Transactions and calls are not
//! kept: the detectors' state is all that remains of them, and a restart starts it afresh
//! (the listings are replayed into it).

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use iz_fraud::{
    Decision, Event, FraudCentre, FraudConfig, Hit, InvalidConfig, Refused, Rules, Transaction,
    Verdict,
};
use iz_model::Actor;
use iz_store::Store;
use iz_store::fraud::{CaseKind, Listing, ListingBody, StoredConfig};
use parking_lot::{Mutex, RwLock};
use serde::Serialize;
use serde_json::json;

/// How many of the latest holds and blocks the console can list.
const HELD_KEPT: usize = 1_000;

/// A transfer held or blocked, as the console's queue lists it.
#[derive(Debug, Clone, Serialize)]
pub struct HeldTransfer {
    pub at: DateTime<Utc>,
    pub transaction: Transaction,
    #[serde(flatten)]
    pub decision: Decision,
}

/// The configuration in force.
#[derive(Debug, Clone, Serialize)]
pub struct LiveConfig {
    /// The store's number for it (`None`: the built-in defaults, never stored).
    pub revision: Option<i64>,
    pub applied_at: Option<DateTime<Utc>>,
    pub applied_by: Option<String>,
    pub text: String,
}

/// A candidate configuration scored beside the live one.
#[derive(Debug, Clone, Serialize)]
pub struct DryRunReport {
    pub since: DateTime<Utc>,
    pub text: String,
    pub compared: u64,
    pub same: u64,
    /// `live→candidate` (`allow→hold`) with how often.
    pub changed: BTreeMap<String, u64>,
    /// The latest requests where the two disagreed.
    pub examples: VecDeque<DryRunExample>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DryRunExample {
    pub transaction: String,
    pub live: Verdict,
    pub live_score: f64,
    pub candidate: Verdict,
    pub candidate_score: f64,
}

struct DryRun {
    rules: Rules,
    report: DryRunReport,
}

/// What a batch of streamed events did.
#[derive(Debug, Default, Serialize)]
pub struct Applied {
    pub accepted: usize,
    pub duplicates: usize,
    pub rejected: Vec<crate::routes::supervision::RefusedLine>,
    pub hits: Vec<Hit>,
}

pub struct FraudService {
    centre: RwLock<FraudCentre>,
    live: RwLock<LiveConfig>,
    dry_run: Mutex<Option<DryRun>>,
    held: Mutex<VecDeque<HeldTransfer>>,
    decided: [AtomicU64; 3],
    /// The configuration file watched for changes, and what it last looked like.
    file: Option<PathBuf>,
    file_seen: Mutex<Option<(SystemTime, u64)>>,
}

fn verdict_index(v: Verdict) -> usize {
    match v {
        Verdict::Allow => 0,
        Verdict::Hold => 1,
        Verdict::Block => 2,
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    ["allow", "hold", "block"][verdict_index(v)]
}

impl FraudService {
    /// The centre with the configuration in force — the file's when it differs from the
    /// store's latest (put in force now, audited), else the store's latest, else the defaults —
    /// and every listing replayed into it (withdrawn ones ended when they were withdrawn).
    pub fn load(
        store: &dyn Store,
        file: Option<PathBuf>,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        let stored = store.fraud_config().map_err(|e| e.to_string())?;
        // A file, when there is one, is what the operators edit: a change made while the
        // server was down is put in force (and audited) at the start.
        let from_file = match &file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("fraud configuration {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let stored_rules = |c: &StoredConfig| {
            FraudConfig::from_toml(&c.text)
                .map_err(|e| format!("the stored fraud configuration {} does not read: {e}", c.id))
        };
        let (rules, live) = match (stored, from_file) {
            (Some(c), None) => (stored_rules(&c)?, live_of(&c)),
            (Some(c), Some(text)) if text == c.text => (stored_rules(&c)?, live_of(&c)),
            (_, Some(text)) => {
                let rules = FraudConfig::from_toml(&text).map_err(|e| {
                    let path = file.as_deref().map(|p| p.display().to_string());
                    format!("fraud configuration {}: {e}", path.unwrap_or_default())
                })?;
                let stored = store
                    .put_fraud_config(
                        rules.version(),
                        &text,
                        "file",
                        &Actor::system("config"),
                        now,
                    )
                    .map_err(|e| e.to_string())?;
                (rules, live_of(&stored))
            }
            (None, None) => (
                Rules::default(),
                LiveConfig {
                    revision: None,
                    applied_at: None,
                    applied_by: None,
                    text: toml::to_string(&FraudConfig::default()).unwrap_or_default(),
                },
            ),
        };
        let service = Self {
            centre: RwLock::new(FraudCentre::new(rules)),
            live: RwLock::new(live),
            dry_run: Mutex::new(None),
            held: Mutex::new(VecDeque::new()),
            decided: Default::default(),
            file_seen: Mutex::new(file.as_deref().and_then(file_state)),
            file,
        };
        for listing in store.listings().map_err(|e| e.to_string())? {
            if let Err(e) = service.list(&listing.body) {
                tracing::warn!(listing = listing.id, error = %e.message, "a stored listing is not applied");
                continue;
            }
            if let Some(w) = &listing.withdrawn {
                service.unlist(&listing, w.at);
            }
        }
        Ok(service)
    }

    /// Applies streamed events, in order, under one write lock. Listings are not taken from
    /// the stream: they carry a legal basis and come through `/v1/fraud/listings`.
    pub fn observe(&self, events: Vec<(usize, Result<Event, String>)>) -> Applied {
        let mut applied = Applied::default();
        let mut centre = self.centre.write();
        for (line, event) in events {
            let refuse = |code, message: String| crate::routes::supervision::RefusedLine {
                line,
                problem: iz_model::Rejection::new(code, message),
            };
            let event = match event {
                Ok(Event::BlockListed(_) | Event::DrugShop(_)) => {
                    applied.rejected.push(refuse(
                        "listing_not_streamed",
                        "block-list entries and drug-shop details carry a legal basis: add them through /v1/fraud/listings".into(),
                    ));
                    continue;
                }
                Ok(e) => e,
                Err(message) => {
                    applied.rejected.push(refuse("invalid_event", message));
                    continue;
                }
            };
            match centre.observe(&event) {
                Ok(o) if o.duplicate => applied.duplicates += 1,
                Ok(o) => {
                    applied.accepted += 1;
                    applied.hits.extend(o.hits);
                }
                Err(r) => applied.rejected.push(refuse(r.code, r.message)),
            }
        }
        applied
    }

    /// The cases the hits propose, for the store.
    pub fn proposals(hits: &[Hit]) -> Vec<(CaseKind, String, serde_json::Value)> {
        hits.iter()
            .filter_map(|h| match h {
                Hit::DropperSuspected {
                    account,
                    score,
                    reasons,
                } => Some((
                    CaseKind::Dropper,
                    account.to_string(),
                    json!({ "account": account, "score": score, "reasons": reasons }),
                )),
                Hit::SimBoxProposed {
                    number,
                    score,
                    reasons,
                } => Some((
                    CaseKind::SimBox,
                    number.clone(),
                    json!({ "number": number, "score": score, "reasons": reasons }),
                )),
                Hit::DrugShopPayment { .. } => None,
            })
            .collect()
    }

    /// A bank's question about a transfer, from the state as it is.
    pub fn decide(&self, tx: &Transaction, now: DateTime<Utc>) -> Result<Decision, Refused> {
        let mut dry = self.dry_run.lock();
        let decision = match dry.as_mut() {
            None => {
                drop(dry);
                // Past a writer that waits (a batch of events while a propagation pass reads):
                // a decision is short and a payment is waiting on it.
                self.centre.read_recursive().decide(tx)?
            }
            Some(run) => {
                // The candidate's rules are put in for one decision under the write lock: a
                // dry run costs the decisions' parallelism while it lasts, not their answers.
                let mut centre = self.centre.write();
                let live = centre.decide(tx)?;
                let candidate_rules = std::mem::take(&mut run.rules);
                let live_rules = centre.swap_rules(candidate_rules);
                let candidate = centre.decide(tx);
                run.rules = centre.swap_rules(live_rules);
                drop(centre);
                if let Ok(c) = candidate {
                    let r = &mut run.report;
                    r.compared += 1;
                    if c.decision == live.decision {
                        r.same += 1;
                    } else {
                        let key = format!(
                            "{}→{}",
                            verdict_name(live.decision),
                            verdict_name(c.decision)
                        );
                        *r.changed.entry(key).or_default() += 1;
                        r.examples.push_front(DryRunExample {
                            transaction: tx.id.clone(),
                            live: live.decision,
                            live_score: live.score,
                            candidate: c.decision,
                            candidate_score: c.score,
                        });
                        r.examples.truncate(50);
                    }
                }
                live
            }
        };
        self.decided[verdict_index(decision.decision)].fetch_add(1, Ordering::Relaxed);
        if decision.decision != Verdict::Allow {
            let mut held = self.held.lock();
            held.push_front(HeldTransfer {
                at: now,
                transaction: tx.clone(),
                decision: decision.clone(),
            });
            held.truncate(HELD_KEPT);
        }
        Ok(decision)
    }

    /// The latest holds and blocks, newest first.
    pub fn held(&self, limit: usize) -> Vec<HeldTransfer> {
        self.held.lock().iter().take(limit).cloned().collect()
    }

    /// Decisions so far: allow, hold, block.
    pub fn decided(&self) -> [u64; 3] {
        [0, 1, 2].map(|i| self.decided[i].load(Ordering::Relaxed))
    }

    pub fn live(&self) -> LiveConfig {
        self.live.read().clone()
    }

    /// The revision in force, for every decision's answer (without copying the text).
    pub fn revision(&self) -> Option<i64> {
        self.live.read().revision
    }

    /// Checks a configuration without applying it.
    pub fn check(text: &str) -> Result<Rules, InvalidConfig> {
        FraudConfig::from_toml(text)
    }

    /// Puts a checked configuration in force: stored (audited) first, then applied.
    pub fn apply(
        &self,
        store: &dyn Store,
        rules: Rules,
        text: &str,
        source: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> iz_store::Result<StoredConfig> {
        let stored = store.put_fraud_config(rules.version(), text, source, actor, now)?;
        self.centre.write().set_rules(rules);
        *self.live.write() = live_of(&stored);
        Ok(stored)
    }

    pub fn start_dry_run(&self, rules: Rules, text: &str, now: DateTime<Utc>) {
        *self.dry_run.lock() = Some(DryRun {
            rules,
            report: DryRunReport {
                since: now,
                text: text.to_string(),
                compared: 0,
                same: 0,
                changed: BTreeMap::new(),
                examples: VecDeque::new(),
            },
        });
    }

    /// Ends the dry run, with what it found.
    pub fn stop_dry_run(&self) -> Option<DryRunReport> {
        self.dry_run.lock().take().map(|d| d.report)
    }

    pub fn dry_run(&self) -> Option<DryRunReport> {
        self.dry_run.lock().as_ref().map(|d| d.report.clone())
    }

    /// Puts a listing into the centre (it was checked there before it was stored).
    pub fn list(&self, body: &ListingBody) -> Result<(), Refused> {
        let event = match body {
            ListingBody::Block(b) => Event::BlockListed(b.clone()),
            ListingBody::DrugShop(d) => Event::DrugShop(d.clone()),
        };
        self.centre.write().observe(&event).map(|_| ())
    }

    /// Checks a listing as the centre would take it, without taking it.
    pub fn check_listing(body: &ListingBody) -> Result<(), Refused> {
        let event = match body {
            ListingBody::Block(b) => Event::BlockListed(b.clone()),
            ListingBody::DrugShop(d) => Event::DrugShop(d.clone()),
        };
        FraudCentre::new(Rules::default())
            .observe(&event)
            .map(|_| ())
    }

    pub fn unlist(&self, listing: &Listing, at: DateTime<Utc>) {
        let mut centre = self.centre.write();
        match &listing.body {
            ListingBody::Block(b) => centre.end_block(b, at),
            ListingBody::DrugShop(d) => centre.end_shop(d, at),
        };
    }

    pub fn shop_revenue(&self) -> Vec<iz_fraud::ShopRevenue> {
        self.centre.read().shop_revenue()
    }

    pub fn stats(&self) -> (iz_fraud::Stats, usize) {
        let c = self.centre.read();
        (c.stats(), c.account_count())
    }

    /// One pass of propagation over the transaction graph: computed under the read lock, so
    /// decisions go on beside it (events wait), then applied in a moment under the write lock.
    pub fn propagate(&self) {
        let computed = self.centre.read().propagation();
        self.centre.write().apply_propagation(computed);
    }

    /// Re-reads the watched file when it changed: a valid one is put in force (audited, as
    /// from `file`); an invalid one is refused whole, the refusal audited, the live rules kept.
    pub fn reload_file(&self, store: &dyn Store, now: DateTime<Utc>) {
        let Some(path) = &self.file else { return };
        let state = file_state(path);
        {
            let mut seen = self.file_seen.lock();
            if state.is_none() || *seen == state {
                return;
            }
            *seen = state;
        }
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(file = %path.display(), error = %e, "the fraud configuration cannot be read");
                return;
            }
        };
        if text == self.live.read().text {
            return;
        }
        let actor = Actor::system("config");
        match FraudConfig::from_toml(&text) {
            Ok(rules) => match self.apply(store, rules, &text, "file", &actor, now) {
                Ok(c) => tracing::info!(
                    revision = c.id,
                    "fraud configuration reloaded from the file"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "the fraud configuration could not be stored")
                }
            },
            Err(e) => {
                tracing::error!(file = %path.display(), problems = %e, "the fraud configuration is refused; the live one stays");
                let draft = iz_audit::AuditDraft::new(
                    actor.id,
                    "fraud.config.refused",
                    "fraud_config",
                    json!({ "source": "file", "problems": e.codes() }),
                );
                if let Err(e) = store.append_audit(vec![draft], now) {
                    tracing::error!(error = %e, "the refusal could not be audited");
                }
            }
        }
    }
}

fn live_of(c: &StoredConfig) -> LiveConfig {
    LiveConfig {
        revision: Some(c.id),
        applied_at: Some(c.applied_at),
        applied_by: Some(c.applied_by.clone()),
        text: c.text.clone(),
    }
}

fn file_state(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}
