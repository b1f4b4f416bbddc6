//! # iz-bus: how batches reach the pipeline
//!
//! Events come to Iz from many carriers. Each carrier is an [`Intake`]: something that hands
//! out [`Delivery`]s — a batch of raw bytes, who sent it, and how to settle it once processed.
//! [`run_workers`] drains any intake into the [`Pipeline`], a few batches in parallel, and
//! settles each delivery only after the pipeline has committed it. Settling means:
//!
//! - for the in-process bus behind `POST /v1/events`, answering the waiting HTTP request;
//! - for a NATS JetStream consumer (next), acknowledging the message — or not, so that the
//!   stream redelivers it; redelivery is safe because hits are idempotent in the store.
//!
//! So a carrier never sees matchers, and adding one touches nothing else.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use iz_ingest::{IngestError, IngestReport, Pipeline};
use iz_model::Actor;
use tokio::sync::oneshot;

/// The result of processing one delivery.
pub type Outcome = Result<IngestReport, IngestError>;

/// One batch to process.
pub struct Delivery {
    pub body: Bytes,
    pub actor: Actor,
    settle: Box<dyn FnOnce(Outcome) + Send>,
}

impl Delivery {
    pub fn new(body: Bytes, actor: Actor, settle: impl FnOnce(Outcome) + Send + 'static) -> Self {
        Delivery {
            body,
            actor,
            settle: Box::new(settle),
        }
    }

    /// Reports the outcome to the carrier (answer, ack or nak).
    pub fn settle(self, outcome: Outcome) {
        (self.settle)(outcome);
    }
}

/// A source of deliveries. `next` returns `None` when the carrier is closed.
pub trait Intake: Send + 'static {
    fn next(&mut self) -> impl Future<Output = Option<Delivery>> + Send;
}

/// The in-process bus: HTTP handlers submit, workers receive. Bounded, so a burst waits for
/// capacity instead of piling up in memory.
#[derive(Clone)]
pub struct InProcessBus {
    tx: async_channel::Sender<Delivery>,
}

/// The receiving side of the in-process bus; clone it for each worker.
#[derive(Clone)]
pub struct InProcessIntake {
    rx: async_channel::Receiver<Delivery>,
}

/// Why a submission got no outcome.
#[derive(Debug)]
pub enum SubmitError {
    /// The workers are gone (shutting down).
    Closed,
}

impl InProcessBus {
    pub fn new(capacity: usize) -> (InProcessBus, InProcessIntake) {
        let (tx, rx) = async_channel::bounded(capacity.max(1));
        (InProcessBus { tx }, InProcessIntake { rx })
    }

    /// Submits a batch and waits until it is committed.
    pub async fn submit(&self, body: Bytes, actor: Actor) -> Result<Outcome, SubmitError> {
        let (reply, answer) = oneshot::channel();
        let delivery = Delivery::new(body, actor, move |outcome| {
            // The submitter may have gone (client disconnected); the batch is committed anyway.
            let _ = reply.send(outcome);
        });
        self.tx
            .send(delivery)
            .await
            .map_err(|_| SubmitError::Closed)?;
        answer.await.map_err(|_| SubmitError::Closed)
    }

    /// Stops accepting; workers finish what is queued, then stop.
    pub fn close(&self) {
        self.tx.close();
    }
}

impl Intake for InProcessIntake {
    async fn next(&mut self) -> Option<Delivery> {
        self.rx.recv().await.ok()
    }
}

/// Runs `workers` loops, each taking a delivery, processing it on a blocking thread and
/// settling it. `on_outcome` sees every successful report first (to publish alerts). Returns
/// when the intake is closed and drained.
pub async fn run_workers<I>(
    intake: I,
    pipeline: Arc<Pipeline>,
    workers: usize,
    on_outcome: Arc<dyn Fn(&IngestReport) + Send + Sync>,
) where
    I: Intake + Clone,
{
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers.max(1) {
        let mut intake = intake.clone();
        let pipeline = Arc::clone(&pipeline);
        let on_outcome = Arc::clone(&on_outcome);
        tasks.spawn(async move {
            while let Some(delivery) = intake.next().await {
                let Delivery {
                    body,
                    actor,
                    settle,
                } = delivery;
                let p = Arc::clone(&pipeline);
                let outcome = tokio::task::spawn_blocking(move || p.ingest(&body, &actor)).await;
                let outcome = match outcome {
                    Ok(outcome) => outcome,
                    Err(join) => {
                        tracing::error!(error = %join, "the pipeline panicked on a batch");
                        Err(IngestError::Store(iz_ingest::StoreError::Backend(
                            "internal error while processing the batch".into(),
                        )))
                    }
                };
                match &outcome {
                    Ok(report) => {
                        metrics::counter!("iz_events_accepted_total").increment(report.accepted);
                        metrics::counter!("iz_events_duplicate_total").increment(report.duplicates);
                        metrics::counter!("iz_events_rejected_total")
                            .increment(report.rejected.len() as u64);
                        metrics::counter!("iz_hits_total").increment(report.hits);
                        on_outcome(report);
                    }
                    Err(e) => tracing::warn!(code = e.code(), error = %e, "a batch failed"),
                }
                settle(outcome);
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}
