//! # iz-ingest: from a batch of bytes to durable alerts
//!
//! Whatever carries events into Iz — an HTTP request, a file, a message from a bus — ends in
//! [`Pipeline::ingest`]: one batch of NDJSON lines (or one JSON array), in, and a
//! [`IngestReport`] out. In between, each line is parsed and validated on its own, so a bad line
//! is rejected with its 1-based line number and a stable code while the rest goes on; each valid
//! event runs through the matchers of the current [`Snapshot`]; the hits, the per-source counts
//! of everything seen and one audit record of the batch are committed to the store in one
//! transaction; only then does the call return — so when the caller acknowledges the batch (the
//! HTTP 200, the bus ack), its alerts are already durable.
//!
//! Events that hit nothing are counted and dropped here: they are never written anywhere.
//!
//! The pipeline is synchronous and holds no runtime; callers run it on worker threads, several
//! batches in parallel. The only shared mutable parts are the snapshot (swapped atomically when a
//! watch-list changes) and the set of recently seen ids.

#![deny(clippy::unwrap_used)]

mod seen;

use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::DurationRound;
use hashbrown::HashMap;
use iz_audit::AuditDraft;
use iz_match::Engine;
use iz_model::{
    Actor, Clock, EventKind, EventPolicy, FoldPolicy, Rejection, WatchEntry, WatchId, codes,
    parse_event,
};
use iz_store::{AlertChange, BatchCommit, EventCount, HitRecord, Store};
use parking_lot::Mutex;
use rayon::prelude::*;
use serde::Serialize;

pub use iz_store::StoreError;
pub use seen::SeenIds;

/// Builds the engine for a set of live watch entries. The binary composes the capabilities;
/// the pipeline does not know which exist.
pub type EngineFactory = Box<dyn Fn(&[Arc<WatchEntry>]) -> Engine + Send + Sync>;

/// The matchers and the entries they were built from, swapped as a whole.
pub struct Snapshot {
    pub engine: Engine,
    pub entries: HashMap<WatchId, Arc<WatchEntry>>,
    /// The store's watch version this snapshot reflects.
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct IngestConfig {
    pub time: EventPolicy,
    pub fold: FoldPolicy,
    /// How many recent event ids to remember for accepting a resent event once.
    pub seen_ids: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            time: EventPolicy::default(),
            fold: FoldPolicy::default(),
            seen_ids: 4_000_000,
        }
    }
}

/// One line the batch could not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineRejection {
    /// 1-based line number (or element number in a JSON array).
    pub line: usize,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    pub message: String,
}

/// What a batch did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestReport {
    /// Valid events seen for the first time.
    pub accepted: u64,
    /// Valid events whose (source, id) was already accepted; they change nothing.
    pub duplicates: u64,
    pub rejected: Vec<LineRejection>,
    /// Hits recorded by this batch (a hit already recorded earlier is not counted again).
    pub hits: u64,
    /// Alerts created or updated by this batch.
    #[serde(skip)]
    pub alerts: Vec<AlertChange>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The body as a whole cannot be read (a JSON array that is not valid JSON).
    #[error("{0}")]
    Body(Rejection),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IngestError {
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::Body(r) => r.code,
            IngestError::Store(e) => e.code(),
        }
    }
}

/// Items parsed per task when a batch is spread over the cores.
const PARALLEL_CHUNK: usize = 512;

/// What one parallel task made of its share of a batch: valid events with their id key and
/// hits, and the rejected lines, both in batch order.
#[derive(Default)]
struct Chunk {
    events: Vec<(iz_model::Event, u64, Vec<iz_model::Hit>)>,
    rejected: Vec<LineRejection>,
}

pub struct Pipeline {
    store: Arc<dyn Store>,
    factory: EngineFactory,
    snapshot: ArcSwap<Snapshot>,
    seen: Mutex<SeenIds>,
    config: IngestConfig,
    clock: Arc<dyn Clock>,
    /// Serialises snapshot rebuilds, so two concurrent changes cannot lose one another.
    rebuild: Mutex<()>,
}

impl Pipeline {
    /// Loads the active watch entries from the store and builds the first snapshot.
    pub fn new(
        store: Arc<dyn Store>,
        factory: EngineFactory,
        config: IngestConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let snapshot = load_snapshot(store.as_ref(), &factory)?;
        Ok(Pipeline {
            seen: Mutex::new(SeenIds::new(config.seen_ids)),
            store,
            factory,
            snapshot: ArcSwap::from_pointee(snapshot),
            config,
            clock,
            rebuild: Mutex::new(()),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn config(&self) -> &IngestConfig {
        &self.config
    }

    /// Rebuilds the snapshot from the store when the store's watch version moved (a change made
    /// by another process). Returns whether it reloaded.
    pub fn refresh(&self) -> Result<bool, StoreError> {
        let _guard = self.rebuild.lock();
        let version = self.store.watch_version()?;
        if version == self.snapshot.load().version {
            return Ok(false);
        }
        let snapshot = load_snapshot(self.store.as_ref(), &self.factory)?;
        self.snapshot.store(Arc::new(snapshot));
        Ok(true)
    }

    /// Applies one watch entry's new state (added, withdrawn, closed) to the snapshot without
    /// reading the whole list back: a few milliseconds for ten thousand entries.
    pub fn apply_watch_change(&self, entry: WatchEntry) {
        let _guard = self.rebuild.lock();
        let current = self.snapshot.load();
        let mut entries = current.entries.clone();
        if entry.status == iz_model::WatchStatus::Active {
            entries.insert(entry.id, Arc::new(entry));
        } else {
            entries.remove(&entry.id);
        }
        let list: Vec<_> = entries.values().cloned().collect();
        let engine = (self.factory)(&list);
        // Keep the old version: the store's has moved past it, so the next `refresh` reloads
        // the whole list once and picks up anything another process changed meanwhile.
        self.snapshot.store(Arc::new(Snapshot {
            engine,
            entries,
            version: current.version,
        }));
    }

    /// Parses, validates, matches and commits one batch. Returns after the commit.
    pub fn ingest(&self, body: &[u8], actor: &Actor) -> Result<IngestReport, IngestError> {
        let received_at = self.clock.now();
        let snapshot = self.snapshot.load_full();
        let mut report = IngestReport::default();

        // Split the batch into items (cheap), then parse, validate and match chunks of it on
        // every core: a batch's latency is its work divided by the cores, not the whole of it.
        let mut items: Vec<(usize, Result<&str, Rejection>)> = Vec::new();
        for_each_item(body, |line, text| items.push((line, text)))?;
        let chunks: Vec<Chunk> = items
            .par_chunks(PARALLEL_CHUNK)
            .map(|chunk| {
                let mut out = Chunk::default();
                let mut hits = Vec::new();
                for (line, text) in chunk {
                    let parsed = match text {
                        Ok(text) => parse_event(text, received_at, &self.config.time),
                        Err(r) => Err(r.clone()),
                    };
                    match parsed {
                        Ok(event) => {
                            // Resent events are matched again: their hits are idempotent in the
                            // store, which keeps a hit safe if the first try failed or its id was
                            // forgotten here.
                            snapshot.engine.observe(&event, &mut hits);
                            let key = seen::event_key(&event.source, &event.id);
                            out.events.push((event, key, std::mem::take(&mut hits)));
                        }
                        Err(r) => out.rejected.push(LineRejection {
                            line: *line,
                            code: r.code,
                            field: r.field,
                            message: r.message,
                        }),
                    }
                }
                out
            })
            .collect();

        // Decide which ids are new under one short lock.
        let fresh: Vec<bool> = {
            let mut seen = self.seen.lock();
            chunks
                .iter()
                .flat_map(|c| c.events.iter())
                .map(|(_, key, _)| seen.insert(*key))
                .collect()
        };

        // Per source, per kind: (events, hits).
        let mut counts: HashMap<String, [(u64, u64); EventKind::ALL.len()]> = HashMap::new();
        let mut hits: Vec<HitRecord> = Vec::new();
        let mut fresh = fresh.into_iter();
        for chunk in chunks {
            report.rejected.extend(chunk.rejected);
            for (event, _, event_hits) in chunk.events {
                let hit_count = event_hits.len() as u64;
                if fresh.next().unwrap_or(false) {
                    report.accepted += 1;
                    let per_kind = match counts.get_mut(event.source.as_str()) {
                        Some(per_kind) => per_kind,
                        None => counts.entry(event.source.clone()).or_default(),
                    };
                    let slot = &mut per_kind[event.kind.index()];
                    slot.0 += 1;
                    slot.1 += hit_count;
                } else {
                    report.duplicates += 1;
                }
                // An event that hit nothing is counted above and dropped here.
                for hit in event_hits {
                    match snapshot.entries.get(&hit.watch_id) {
                        Some(entry) => hits.push(HitRecord {
                            event: event.clone(),
                            hit,
                            entry: Arc::clone(entry),
                        }),
                        None => tracing::warn!(
                            watch_id = hit.watch_id,
                            "a matcher hit an entry that is not in its snapshot"
                        ),
                    }
                }
            }
        }

        let hour = received_at
            .duration_trunc(chrono::Duration::hours(1))
            .unwrap_or(received_at);
        let counts = counts
            .into_iter()
            .flat_map(|(source, per_kind)| {
                EventKind::ALL
                    .into_iter()
                    .zip(per_kind)
                    .filter(|(_, (events, _))| *events > 0)
                    .map(move |(kind, (events, hits))| EventCount {
                        hour,
                        source: source.clone(),
                        kind,
                        events,
                        hits,
                    })
            })
            .collect();
        let audit = AuditDraft::new(
            actor.id.clone(),
            "events.ingest",
            "events",
            serde_json::json!({
                "accepted": report.accepted,
                "duplicates": report.duplicates,
                "rejected": report.rejected.len(),
                "hits": hits.len(),
            }),
        );
        let outcome = self.store.commit_batch(BatchCommit {
            hits,
            counts,
            audit: Some(audit),
            fold: self.config.fold,
            at: received_at,
        })?;
        report.hits = outcome.changes.len() as u64;
        report.alerts = outcome.changes;
        Ok(report)
    }
}

fn load_snapshot(store: &dyn Store, factory: &EngineFactory) -> Result<Snapshot, StoreError> {
    let version = store.watch_version()?;
    let list: Vec<Arc<WatchEntry>> = store
        .active_watch_entries()?
        .into_iter()
        .map(Arc::new)
        .collect();
    let engine = factory(&list);
    let entries = list.into_iter().map(|e| (e.id, e)).collect();
    Ok(Snapshot {
        engine,
        entries,
        version,
    })
}

/// Calls `f(line_number, text)` for each item of a batch: the lines of NDJSON (blank lines
/// skipped but counted), or the elements of a JSON array (numbered from 1). A line that is not
/// UTF-8 is passed as a rejection.
pub fn for_each_item<'a>(
    body: &'a [u8],
    mut f: impl FnMut(usize, Result<&'a str, Rejection>),
) -> Result<(), IngestError> {
    let first = body.iter().position(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|i| body[i] == b'[') {
        let items: Vec<&serde_json::value::RawValue> =
            serde_json::from_slice(body).map_err(|e| {
                IngestError::Body(Rejection::new(
                    codes::INVALID_JSON,
                    format!("the body starts like a JSON array but is not one: {e}"),
                ))
            })?;
        for (i, item) in items.iter().enumerate() {
            f(i + 1, Ok(item.get()));
        }
        return Ok(());
    }
    let mut line = 0;
    let mut start = 0;
    while start <= body.len() {
        let end = memchr::memchr(b'\n', &body[start..]).map_or(body.len(), |i| start + i);
        line += 1;
        let mut raw = &body[start..end];
        if raw.last() == Some(&b'\r') {
            raw = &raw[..raw.len() - 1];
        }
        if !raw.iter().all(u8::is_ascii_whitespace) {
            let text = std::str::from_utf8(raw).map_err(|e| {
                Rejection::new(
                    codes::INVALID_JSON,
                    format!("the line is not UTF-8 (bad byte at {})", e.valid_up_to()),
                )
            });
            f(line, text);
        }
        start = end + 1;
    }
    Ok(())
}
