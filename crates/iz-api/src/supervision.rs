//! Supervision in the server: one [`Monitor`] in memory, fed by the pings endpoint, ticked
//! every second (reordering, signal loss), its signals written to the store; and the delivery
//! of sent referrals to the social-services platform, retried until it answers.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hashbrown::HashMap;
use iz_store::Store;
use iz_store::supervision::{Supervised, ViolationRecord};
use iz_supervision::referral::{ReferredPerson, RulesTable, retry_after};
use iz_supervision::{
    InvalidOrder, Monitor, PersonId, Places, Policy, Restrictions, RestrictionsInput, Signal,
    Status, Supervision,
};
use parking_lot::{Mutex, RwLock};
use tokio::sync::watch;

/// The supervision side of the server. The monitor is sharded by person, one lock per shard,
/// so that batches of pings are judged on every core; a device finds its shard through one
/// read-mostly map.
pub struct SupervisionService {
    shards: Vec<Mutex<Monitor>>,
    /// Which shard each worn device's person is in.
    devices: RwLock<HashMap<String, usize>>,
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
        let shards = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .max(1);
        let service = Self {
            shards: (0..shards)
                .map(|_| Mutex::new(Monitor::new(policy.clone(), places.clone())))
                .collect(),
            devices: RwLock::default(),
            rules,
            webhook,
        };
        let persons = store
            .list_supervised(&Default::default())
            .map_err(|e| e.to_string())?;
        for person in persons {
            service
                .enrol(&person, now)
                .map_err(|e| format!("supervised person {} cannot be monitored: {e}", person.id))?;
        }
        for v in store.ongoing_violations().map_err(|e| e.to_string())? {
            service.shard(v.person).lock().resume(v.person, &v.kind);
        }
        Ok(service)
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    fn shard_index(&self, person: PersonId) -> usize {
        person.rem_euclid(self.shards.len() as i64) as usize
    }

    /// The shard a person's state lives in.
    pub fn shard(&self, person: PersonId) -> &Mutex<Monitor> {
        &self.shards[self.shard_index(person)]
    }

    pub fn shard_at(&self, i: usize) -> &Mutex<Monitor> {
        &self.shards[i]
    }

    /// The shard of the person wearing a device.
    pub fn shard_of_device(&self, device: &str) -> Option<usize> {
        self.devices.read().get(device).copied()
    }

    /// The shard of a person under supervision.
    pub fn shard_of_person(&self, person: PersonId) -> usize {
        self.shard_index(person)
    }

    /// Checks an order against the place catalogue (every shard has the same one).
    pub fn compile(&self, input: RestrictionsInput) -> Result<Restrictions, InvalidOrder> {
        self.shards[0].lock().compile(input)
    }

    /// Puts a stored person into their shard.
    pub fn enrol(&self, person: &Supervised, now: DateTime<Utc>) -> Result<(), InvalidOrder> {
        let restrictions = self.compile(person.order.restrictions.clone())?;
        self.enrol_compiled(person, restrictions, now)
    }

    /// As [`SupervisionService::enrol`], with the order already compiled (by the request that
    /// checked it before storing it).
    pub fn enrol_compiled(
        &self,
        person: &Supervised,
        restrictions: Restrictions,
        now: DateTime<Utc>,
    ) -> Result<(), InvalidOrder> {
        let i = self.shard_index(person.id);
        let mut monitor = self.shards[i].lock();
        monitor.enrol(
            Supervision {
                person: person.id,
                term: person.order.term,
                devices: person.order.devices.clone(),
                restrictions,
            },
            now,
        )?;
        let mut devices = self.devices.write();
        for d in &person.order.devices {
            devices.insert(d.clone(), i);
        }
        Ok(())
    }

    /// Forgets a released person and their devices.
    pub fn release(&self, person: &Supervised) {
        self.shard(person.id).lock().release(person.id);
        let mut devices = self.devices.write();
        for d in &person.order.devices {
            devices.remove(d);
        }
    }

    pub fn status(&self, person: PersonId) -> Option<Status> {
        self.shard(person).lock().status(person)
    }

    /// Advances every shard.
    pub fn advance(&self, now: DateTime<Utc>) -> Vec<Signal> {
        self.shards
            .iter()
            .flat_map(|m| m.lock().advance(now))
            .collect()
    }
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
        let signals = service.advance(now);
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
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
    {
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
            let _ =
                tokio::task::spawn_blocking(move || s.record_delivery(id, outcome, at, retry_at))
                    .await;
        }
    }
}
