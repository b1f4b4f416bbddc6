//! `iz fraud publish`: an NDJSON file of anti-fraud events onto NATS JetStream, where
//! `iz serve` (with `[fraud] nats_url`) consumes them. Each message is a chunk of lines; each is
//! published with the stream's acknowledgement, so what the command reports as published is
//! stored in the stream.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use async_nats::jetstream;
use clap::Args;

#[derive(Args, Debug)]
pub struct PublishArgs {
    /// An NDJSON file of events (`account_opened`, `transaction`, `call`, `fraud_report`).
    pub file: PathBuf,
    /// The NATS server.
    #[arg(long, default_value = "nats://127.0.0.1:4222")]
    pub nats: String,
    #[arg(long, default_value = "iz.fraud.events")]
    pub subject: String,
    /// The stream holding the subject (created when missing).
    #[arg(long, default_value = "IZ_FRAUD")]
    pub stream: String,
    /// Lines per message.
    #[arg(long, default_value_t = 1_000)]
    pub batch: usize,
    /// Delete the stream first (a bench's clean start; what it held is lost).
    #[arg(long)]
    pub fresh: bool,
}

pub fn run(args: &PublishArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.batch > 0, "--batch must be at least 1");
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let client = async_nats::connect(&args.nats)
            .await
            .with_context(|| format!("cannot reach NATS at {}", args.nats))?;
        let js = jetstream::new(client);
        if args.fresh {
            // Missing is fine: there is nothing to delete.
            let _ = js.delete_stream(&args.stream).await;
        }
        js.get_or_create_stream(jetstream::stream::Config {
            name: args.stream.clone(),
            subjects: vec![args.subject.clone()],
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("stream {}: {e}", args.stream))?;
        let started = Instant::now();
        let (mut lines, mut messages) = (0usize, 0usize);
        let mut chunk = String::new();
        let mut in_chunk = 0;
        let mut acks = Vec::new();
        let mut reader = BufReader::with_capacity(1 << 20, file).lines();
        loop {
            let line = reader.next().transpose()?;
            if let Some(line) = &line
                && !line.trim().is_empty()
            {
                chunk.push_str(line);
                chunk.push('\n');
                in_chunk += 1;
                lines += 1;
            }
            if in_chunk == args.batch || (line.is_none() && in_chunk > 0) {
                let ack = js
                    .publish(args.subject.clone(), std::mem::take(&mut chunk).into())
                    .await
                    .map_err(|e| anyhow::anyhow!("publish: {e}"))?;
                acks.push(ack);
                messages += 1;
                in_chunk = 0;
                // A bounded window of unacknowledged messages.
                if acks.len() >= 64 {
                    for ack in acks.drain(..) {
                        ack.await.map_err(|e| anyhow::anyhow!("not stored: {e}"))?;
                    }
                }
            }
            if line.is_none() {
                break;
            }
        }
        for ack in acks {
            ack.await.map_err(|e| anyhow::anyhow!("not stored: {e}"))?;
        }
        println!(
            "published {lines} lines in {messages} messages to {} (stream {}) in {:.1} s",
            args.subject,
            args.stream,
            started.elapsed().as_secs_f64()
        );
        anyhow::Ok(ExitCode::SUCCESS)
    })
}
