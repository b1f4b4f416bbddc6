//! `iz ingest`: posts an NDJSON file to `POST /v1/events` in batches, several in flight, with a
//! progress bar. A batch that fails to arrive (connection refused, 503 while the server
//! restarts) is sent again: event ids make that safe. Rejected lines are reported with their
//! line numbers in the file.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;
use tokio::sync::Semaphore;

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// An NDJSON file of events, or - for standard input.
    pub file: PathBuf,
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "IZ_URL")]
    pub url: String,
    /// An ingest (or admin) token.
    #[arg(long, env = "IZ_TOKEN")]
    pub token: String,
    /// The route that takes the lines: `/v1/events`, or `/v1/supervision/pings` (also
    /// `/v1/supervision/sightings`, `/v1/supervision/check-ins`).
    #[arg(long, default_value = "/v1/events")]
    pub endpoint: String,
    /// Lines per batch.
    #[arg(long, default_value_t = 10_000)]
    pub batch: usize,
    /// Batches in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Give up on a batch after this many failed tries.
    #[arg(long, default_value_t = 30)]
    pub retries: u32,
    /// Write one line per batch (first line, lines, sent and answered times in ns since the
    /// Unix epoch) to this file, for latency measurements.
    #[arg(long)]
    pub batch_log: Option<PathBuf>,
    /// Send at most this many lines per second (default: as fast as the server takes them).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Exit non-zero when any line was rejected.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Deserialize, Default)]
struct Report {
    accepted: u64,
    #[serde(default)]
    duplicates: u64,
    rejected: Vec<Rejected>,
    /// A count (`/v1/events`) or the hits themselves (`/v1/fraud/events`).
    #[serde(default, deserialize_with = "count")]
    hits: u64,
}

fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(items) => items.len() as u64,
        other => other.as_u64().unwrap_or(0),
    })
}

#[derive(Debug, Deserialize)]
struct Rejected {
    line: usize,
    code: String,
    message: String,
}

#[derive(Default)]
struct Totals {
    lines: u64,
    accepted: u64,
    duplicates: u64,
    hits: u64,
    rejected: Vec<(usize, String, String)>,
    failed_batches: Vec<(usize, String)>,
    batch_log: Vec<String>,
}

/// Reads batches of whole lines: (number of the first line, lines, bytes).
fn read_batches(
    input: Box<dyn Read + Send>,
    batch: usize,
    tx: tokio::sync::mpsc::Sender<(usize, usize, Bytes)>,
) -> anyhow::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut first_line = 1;
    loop {
        let mut buf = Vec::with_capacity(batch * 256);
        let mut lines = 0;
        while lines < batch {
            let n = reader.read_until(b'\n', &mut buf)?;
            if n == 0 {
                break;
            }
            lines += 1;
        }
        if lines == 0 {
            return Ok(());
        }
        if tx
            .blocking_send((first_line, lines, Bytes::from(buf)))
            .is_err()
        {
            return Ok(());
        }
        first_line += lines;
    }
}

fn now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

async fn send_batch(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: Bytes,
    retries: u32,
) -> Result<Report, String> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let sent = client
            .post(url)
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
            .body(body.clone())
            .send()
            .await;
        let retryable = match sent {
            Ok(response) if response.status().is_success() => {
                return response
                    .json::<Report>()
                    .await
                    .map_err(|e| format!("the answer is not a report: {e}"));
            }
            Ok(response) => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                if status.is_server_error() {
                    format!("{status}: {text}")
                } else {
                    return Err(format!("{status}: {text}"));
                }
            }
            Err(e) => format!("{e}"),
        };
        if attempt > retries {
            return Err(format!("gave up after {attempt} tries: {retryable}"));
        }
        tokio::time::sleep(Duration::from_millis((100 * u64::from(attempt)).min(2000))).await;
    }
}

pub fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.batch > 0, "--batch must be at least 1");
    let input: Box<dyn Read + Send> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(&args.file)
                .with_context(|| format!("cannot open {}", args.file.display()))?,
        )
    };
    let size = std::fs::metadata(&args.file)
        .map(|m| m.len())
        .ok()
        .filter(|_| args.file.as_os_str() != "-");
    let url = format!(
        "{}/{}",
        args.url.trim_end_matches('/'),
        args.endpoint.trim_start_matches('/')
    );
    let rt = crate::app::runtime()?;
    let started = Instant::now();
    let totals = rt.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(args.concurrency)
            .tcp_nodelay(true)
            .build()?;
        let (tx, mut rx) = tokio::sync::mpsc::channel(args.concurrency.max(1));
        let batch = args.batch;
        let reader = tokio::task::spawn_blocking(move || read_batches(input, batch, tx));
        let bar = if args.quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(size.unwrap_or(0))
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let totals = Arc::new(parking_lot::Mutex::new(Totals::default()));
        let permits = Arc::new(Semaphore::new(args.concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        while let Some((first_line, lines, body)) = rx.recv().await {
            if let Some(rate) = args.rate.filter(|r| *r > 0.0) {
                let due = started + Duration::from_secs_f64((first_line - 1) as f64 / rate);
                tokio::time::sleep_until(due.into()).await;
            }
            let permit = Arc::clone(&permits).acquire_owned().await?;
            let (client, url, token, totals, bar) = (
                client.clone(),
                url.clone(),
                args.token.clone(),
                Arc::clone(&totals),
                bar.clone(),
            );
            let (retries, log) = (args.retries, args.batch_log.is_some());
            tasks.spawn(async move {
                let bytes = body.len() as u64;
                let sent_at = now_ns();
                let result = send_batch(&client, &url, &token, body, retries).await;
                let answered_at = now_ns();
                let mut t = totals.lock();
                t.lines += lines as u64;
                match result {
                    Ok(report) => {
                        t.accepted += report.accepted;
                        t.duplicates += report.duplicates;
                        t.hits += report.hits;
                        for r in report.rejected {
                            t.rejected
                                .push((first_line + r.line - 1, r.code, r.message));
                        }
                    }
                    Err(e) => t.failed_batches.push((first_line, e)),
                }
                if log {
                    t.batch_log
                        .push(format!("{first_line} {lines} {sent_at} {answered_at}"));
                }
                let rate = t.accepted as f64 / started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!(
                    "{} accepted, {} rejected, {} hits, {:.0} events/s",
                    t.accepted,
                    t.rejected.len(),
                    t.hits,
                    rate
                ));
                bar.inc(bytes);
                drop(permit);
            });
            while let Some(done) = tasks.try_join_next() {
                done?;
            }
        }
        while let Some(done) = tasks.join_next().await {
            done?;
        }
        reader.await??;
        bar.finish_and_clear();
        let totals = std::mem::take(&mut *totals.lock());
        anyhow::Ok(totals)
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(path) = &args.batch_log {
        let mut f = std::fs::File::create(path)?;
        for line in &totals.batch_log {
            writeln!(f, "{line}")?;
        }
    }
    let mut rejected = totals.rejected;
    rejected.sort_by_key(|r| r.0);
    for (line, code, message) in rejected.iter().take(20) {
        eprintln!("line {line}: {code}: {message}");
    }
    if rejected.len() > 20 {
        eprintln!("… and {} more rejected lines", rejected.len() - 20);
    }
    for (line, error) in &totals.failed_batches {
        eprintln!("batch from line {line} NOT DELIVERED: {error}");
    }
    println!(
        "sent {} lines in {:.1} s: {} accepted, {} duplicates, {} rejected, {} hits; {:.0} events/s",
        totals.lines,
        elapsed,
        totals.accepted,
        totals.duplicates,
        rejected.len(),
        totals.hits,
        totals.accepted as f64 / elapsed.max(1e-3)
    );
    if !totals.failed_batches.is_empty() {
        return Ok(ExitCode::from(1));
    }
    if args.strict && !rejected.is_empty() {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
