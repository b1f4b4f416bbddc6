//! Supervision in the server: one [`Monitor`] in memory, fed by the pings endpoint, ticked
//! every second (reordering, signal loss), its signals written to the store; and the delivery
//! of sent referrals to the social-services platform, retried until it answers.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use iz_store::Store;
use iz_store::supervision::{Supervised, ViolationRecord};
use iz_supervision::referral::{ReferredPerson, RulesTable, retry_after};
use iz_supervision::{InvalidOrder, Monitor, Places, Policy, Signal, Supervision};
use parking_lot::Mutex;
use tokio::sync::watch;

/// The supervision side of the server.
pub struct SupervisionService {
    pub monitor: Mutex<Monitor>,
    pub rules: RulesTable,
    /// Where sent referrals are delivered (`POST`, JSON); none: they wait, queued.
    pub webhook: Option<String>,
}

impl SupervisionService {
    /// A monitor with every person still under supervision enrolled and their ongoing
    /// violations resumed, so a restart neither forgets a breach nor opens it twice.
    pub fn load(
        store: &dyn Store,
        policy: Policy,
        places: Places,
        rules: RulesTable,
        webhook: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        let mut monitor = Monitor::new(policy, places);
        let persons = store
            .list_supervised(&Default::default())
            .map_err(|e| e.to_string())?;
        for person in persons {
            enrol(&mut monitor, &person, now)
                .map_err(|e| format!("supervised person {} cannot be monitored: {e}", person.id))?;
        }
        for v in store.ongoing_violations().map_err(|e| e.to_string())? {
            monitor.resume(v.person, &v.kind);
        }
        Ok(Self {
            monitor: Mutex::new(monitor),
            rules,
            webhook,
        })
    }
}

/// Puts a stored person into the monitor (their order compiled against its place catalogue).
pub fn enrol(monitor: &mut Monitor, person: &Supervised, now: DateTime<Utc>) -> Result<(), InvalidOrder> {
    let restrictions = monitor.compile(person.order.restrictions.clone())?;
    monitor.enrol(
        Supervision {
            person: person.id,
            term: person.order.term,
            devices: person.order.devices.clone(),
            restrictions,
        },
        now,
    )
}

/// Writes signals to the store; a failure is logged and the signals are lost only from this
/// write (the monitor's state already moved), so it says so loudly.
pub fn persist(store: &dyn Store, signals: &[Signal], now: DateTime<Utc>) -> Vec<ViolationRecord> {
    if signals.is_empty() {
        return Vec::new();
    }
    match store.record_signals(signals, now) {
        Ok(touched) => touched,
        Err(e) => {
            tracing::error!(error = %e, signals = signals.len(), "could not record supervision signals");
            Vec::new()
        }
    }
}

/// Ticks the monitor every second until shutdown.
pub async fn tick_loop(
    store: Arc<dyn Store>,
    service: Arc<SupervisionService>,
    clock: Arc<dyn iz_model::Clock>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        let now = clock.now();
        let signals = service.monitor.lock().advance(now);
        if !signals.is_empty() {
            let store = store.clone();
            let _ = tokio::task::spawn_blocking(move || persist(&*store, &signals, now)).await;
        }
    }
}

/// Delivers sent referrals to the webhook, each with its idempotency key, retrying with
/// back-off (see [`retry_after`]) until the platform answers 2xx.
pub async fn delivery_loop(
    store: Arc<dyn Store>,
    service: Arc<SupervisionService>,
    clock: Arc<dyn iz_model::Clock>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let Some(url) = service.webhook.clone() else {
        return;
    };
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the referral delivery client");
            return;
        }
    };
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        let now = clock.now();
        let s = store.clone();
        let due = match tokio::task::spawn_blocking(move || s.due_deliveries(now, 100)).await {
            Ok(Ok(due)) => due,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot read the referral deliveries due");
                continue;
            }
            Err(_) => continue,
        };
        for d in due {
            let person = ReferredPerson {
                iin: d.person.order.iin.clone(),
                name: d.person.order.name.clone(),
                region: d.person.order.region.code().to_string(),
                officer: d.person.order.officer.clone(),
            };
            let body = d.referral.delivery(&person);
            let sent = client
                .post(&url)
                .header("Idempotency-Key", d.referral.idempotency_key())
                .json(&body)
                .send()
                .await;
            let outcome = match sent {
                Ok(r) if r.status().is_success() => Ok(()),
                Ok(r) => Err(format!("the platform answered {}", r.status())),
                Err(e) => Err(format!("the platform could not be reached: {e}")),
            };
            if let Err(reason) = &outcome {
                tracing::warn!(referral = d.referral.id, attempts = d.attempts + 1, %reason, "referral delivery failed; will retry");
            }
            let at = clock.now();
            let retry_at = at + retry_after(d.attempts + 1);
            let s = store.clone();
            let id = d.referral.id;
            let _ = tokio::task::spawn_blocking(move || s.record_delivery(id, outcome, at, retry_at)).await;
        }
    }
}
