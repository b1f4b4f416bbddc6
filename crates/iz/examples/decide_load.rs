//! An open-loop load generator for `POST /v1/fraud/decide`: requests leave at a fixed rate
//! whatever the answers' latency (a closed loop would slow down with the server and hide its
//! queueing), each a transfer from a random customer of the fraud wave to a random customer or
//! mule; reports the achieved rate, errors and the latency percentiles.
//!
//! Usage: cargo run --release --example decide_load -- URL TOKEN [RATE] [SECONDS] [CUSTOMERS]

use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    anyhow::ensure!(
        args.len() >= 3,
        "usage: decide_load URL TOKEN [RATE] [SECONDS] [CUSTOMERS]"
    );
    let url = format!("{}/v1/fraud/decide", args[1].trim_end_matches('/'));
    let token = args[2].clone();
    let rate: f64 = args.get(3).map_or(Ok(3_000.0), |s| s.parse())?;
    let seconds: f64 = args.get(4).map_or(Ok(20.0), |s| s.parse())?;
    let customers: u64 = args.get(5).map_or(Ok(20_000), |s| s.parse())?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .tcp_nodelay(true)
        .build()?;
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::with_capacity(
        (rate * seconds) as usize,
    )));
    let errors = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let verdicts = Arc::new(Mutex::new(std::collections::BTreeMap::<String, u64>::new()));
    let total = (rate * seconds) as u64;
    let started = Instant::now();
    let mut handles = Vec::with_capacity(total as usize);
    for n in 0..total {
        let due = started + Duration::from_secs_f64(n as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        let (latencies, errors, verdicts) = (latencies.clone(), errors.clone(), verdicts.clone());
        // Every 50th transfer goes to a mule of the wave (seed 42), the rest between customers.
        let banks = ["KASPI", "HALYK", "FORTE", "JUSAN", "BCC"];
        let payer = customer(n.wrapping_mul(2_654_435_761) % customers, &banks);
        let payee = if n % 50 == 0 {
            let m = (n / 50) % 20;
            (
                banks[(m % 5) as usize].to_string(),
                format!("KZ9{:015}", 500_000 + m),
            )
        } else {
            customer(n.wrapping_mul(40_503) % customers, &banks)
        };
        let body = serde_json::json!({ "id": format!("LOAD-{n}"), "at": chrono::Utc::now().to_rfc3339(),
            "from": { "bank": payer.0, "account": payer.1 }, "to": { "bank": payee.0, "account": payee.1 },
            "amount_tiyn": 5_000_000, "currency": "KZT", "channel": "phone_transfer" })
        .to_string();
        handles.push(tokio::spawn(async move {
            let sent = Instant::now();
            let answer = client
                .post(&url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await;
            match answer {
                Ok(r) if r.status().is_success() => {
                    let v: serde_json::Value = r.json().await.unwrap_or_default();
                    // The latency is up to the whole answer read.
                    latencies.lock().push(sent.elapsed());
                    *verdicts
                        .lock()
                        .entry(v["decision"].as_str().unwrap_or("?").to_string())
                        .or_default() += 1;
                }
                _ => {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }));
    }
    for h in handles {
        let _ = h.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().clone();
    l.sort();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "{} requests in {elapsed:.1} s ({:.0}/s offered {rate:.0}/s), {} errors; latency ms: p50 {:.2} p90 {:.2} p99 {:.2} p99.9 {:.2} max {:.2}; decisions {:?}",
        l.len(),
        l.len() as f64 / elapsed,
        errors.load(std::sync::atomic::Ordering::Relaxed),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(0.999),
        l.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        verdicts.lock()
    );
    Ok(())
}

/// A customer's account as `iz gen fraud` names it (bank by index, number from the index).
fn customer(i: u64, banks: &[&str]) -> (String, String) {
    (
        banks[(i % banks.len() as u64) as usize].to_string(),
        format!("KZ{:016}", 1_000_000 + i),
    )
}
