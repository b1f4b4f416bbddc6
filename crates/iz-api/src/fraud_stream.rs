//! Banks' and operators' events through NATS JetStream, for traffic at a bank's scale: each
//! message on the subject is a chunk of NDJSON events (as `POST /v1/fraud/events` takes),
//! applied in the order the stream holds them, its proposals stored as cases, then
//! acknowledged. A message is acknowledged only after its cases are committed, so a crash
//! redelivers it (a repeated transaction id changes nothing). Refused lines are not lost: each
//! is published, with the message's stream sequence and its line, on the refusals subject.

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, consumer::pull, stream};
use futures::StreamExt;
use iz_fraud::Event;
use iz_store::Store;
use serde_json::json;
use tokio::sync::watch;

use crate::fraud::FraudService;

/// Where the events come from.
#[derive(Debug, Clone)]
pub struct FraudStreamConfig {
    pub url: String,
    /// The JetStream stream (created when missing, holding `subject`).
    pub stream: String,
    pub subject: String,
    /// Refused lines go here, one JSON object each.
    pub refusals: String,
    /// The durable consumer's name: several servers sharing it share the work.
    pub consumer: String,
}

impl FraudStreamConfig {
    pub fn new(url: impl Into<String>) -> Self {
        FraudStreamConfig {
            url: url.into(),
            stream: "IZ_FRAUD".into(),
            subject: "iz.fraud.events".into(),
            refusals: "iz.fraud.refused".into(),
            consumer: "iz-fraud".into(),
        }
    }
}

/// Messages fetched at a time; their events are applied together.
const BATCH: usize = 64;

/// Consumes until shutdown; reconnects after a failure, with a pause.
pub async fn run(
    config: FraudStreamConfig,
    service: Arc<FraudService>,
    store: Arc<dyn Store>,
    clock: Arc<dyn iz_model::Clock>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let session = consume(&config, &service, &store, &clock, shutdown.clone());
        tokio::select! {
            result = session => match result {
                Ok(()) => return,
                Err(e) => tracing::error!(error = %e, url = %config.url, "the fraud event stream failed; retrying in 2 s"),
            },
            _ = shutdown.changed() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

async fn consume(
    config: &FraudStreamConfig,
    service: &Arc<FraudService>,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn iz_model::Clock>,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let client = async_nats::connect(&config.url).await?;
    let js = jetstream::new(client.clone());
    let stream = js
        .get_or_create_stream(stream::Config {
            name: config.stream.clone(),
            subjects: vec![config.subject.clone()],
            ..Default::default()
        })
        .await?;
    let consumer = stream
        .get_or_create_consumer(
            &config.consumer,
            pull::Config {
                durable_name: Some(config.consumer.clone()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await?;
    tracing::info!(stream = %config.stream, subject = %config.subject, "consuming fraud events from JetStream");
    loop {
        let batch = consumer
            .fetch()
            .max_messages(BATCH)
            .expires(Duration::from_millis(500))
            .messages();
        let mut messages = tokio::select! {
            b = batch => b?,
            _ = shutdown.changed() => return Ok(()),
        };
        let mut taken = Vec::new();
        while let Some(m) = messages.next().await {
            taken.push(m.map_err(|e| anyhow::anyhow!("{e}"))?);
        }
        if taken.is_empty() {
            continue;
        }
        // Every line of every message, numbered by (message sequence, line).
        let mut lines: Vec<(u64, usize, Result<Event, String>)> = Vec::new();
        for m in &taken {
            let seq = m.info().map(|i| i.stream_sequence).unwrap_or(0);
            for (i, line) in m.payload.split(|b| *b == b'\n').enumerate() {
                if line.trim_ascii().is_empty() {
                    continue;
                }
                lines.push((
                    seq,
                    i + 1,
                    serde_json::from_slice(line).map_err(|e| e.to_string()),
                ));
            }
        }
        let service = Arc::clone(service);
        let store = Arc::clone(store);
        let now = clock.now();
        let where_from: Vec<(u64, usize)> = lines.iter().map(|(s, l, _)| (*s, *l)).collect();
        let applied = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let numbered = lines
                .into_iter()
                .enumerate()
                .map(|(n, (_, _, e))| (n, e))
                .collect();
            let applied = service.observe(numbered);
            store.open_fraud_cases(FraudService::proposals(&applied.hits), now)?;
            Ok(applied)
        })
        .await??;
        for refused in &applied.rejected {
            let (seq, line) = where_from.get(refused.line).copied().unwrap_or((0, 0));
            let body = json!({ "stream_sequence": seq, "line": line, "code": refused.problem.code, "message": refused.problem.message });
            client
                .publish(config.refusals.clone(), body.to_string().into())
                .await?;
        }
        for m in &taken {
            m.ack().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        metrics::counter!("iz_fraud_stream_events_total").increment(applied.accepted as u64);
    }
}
