//! Transactions per second through the detectors, in process, one thread; and memory per
//! account. `cargo bench -p iz-fraud --bench detectors`.
//!
//! The stream is synthetic and seeded: 100,000 accounts, each transfer from a random account
//! to one of its ~6 usual payees (a fixed, sparse graph like a bank's) or, one time in ten, to
//! anyone; amounts 1,000–50,000 KZT; one transfer per 50 ms of event time.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_fraud::*;

const ACCOUNTS: u64 = 100_000;
const BATCH: usize = 100_000;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn stream(n: usize, seed: u64) -> Vec<Event> {
    let mut r = Lcg(seed);
    let names: Vec<AccountRef> = (0..ACCOUNTS)
        .map(|i| AccountRef::new("BANK", format!("KZ{i:010}")))
        .collect();
    let origin = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH + chrono::Duration::days(20_000);
    (0..n)
        .map(|i| {
            let from = r.next() % ACCOUNTS;
            let to = if r.next().is_multiple_of(10) {
                r.next() % ACCOUNTS
            } else {
                (from * 7 + 1 + r.next() % 6) % ACCOUNTS
            };
            Event::Transaction(Transaction {
                id: format!("{seed}-{i}"),
                at: origin + chrono::Duration::milliseconds(50 * i as i64),
                from: names[from as usize].clone(),
                to: names[to as usize].clone(),
                amount_tiyn: (1_000 + (r.next() % 49_000) as i64) * 100,
                currency: "KZT".into(),
                channel: TransferChannel::PhoneTransfer,
                device_id: None,
                ip: None,
                payer_phone: None,
                qr_merchant: None,
            })
        })
        .collect()
}

fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn detectors(c: &mut Criterion) {
    // Warm state: a centre that has already seen a million transfers.
    let mut centre = FraudCentre::new(Rules::default());
    for e in stream(1_000_000, 1) {
        let _ = centre.observe(&e);
    }
    let batch = stream(BATCH, 2);
    let mut g = c.benchmark_group("fraud");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.sample_size(10);
    g.bench_function("observe_transactions", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                // The same batch again, its ids forgotten, so every transfer is applied.
                centre.forget_transaction_ids();
                let t0 = std::time::Instant::now();
                for e in &batch {
                    let _ = centre.observe(e);
                }
                total += t0.elapsed();
            }
            total
        })
    });
    let decide: Vec<Transaction> = batch
        .iter()
        .filter_map(|e| {
            if let Event::Transaction(t) = e {
                Some(t.clone())
            } else {
                None
            }
        })
        .collect();
    g.bench_function("decide", |b| {
        b.iter(|| {
            let mut held = 0u32;
            for t in &decide {
                if let Ok(d) = centre.decide(t)
                    && d.decision != Verdict::Allow
                {
                    held += 1;
                }
            }
            held
        })
    });
    g.finish();
    let mut g = c.benchmark_group("fraud_propagate");
    g.sample_size(10);
    g.bench_function("propagate_100k_accounts", |b| b.iter(|| centre.propagate()));
    g.finish();
}

fn memory(_: &mut Criterion) {
    // Memory per account: RSS grown by a centre of N accounts with ~10 transfers each.
    let before = rss_bytes();
    let mut centre = FraudCentre::new(Rules::default());
    let events = stream(1_000_000, 3);
    let after_events = rss_bytes();
    for e in &events {
        let _ = centre.observe(e);
    }
    let after = rss_bytes();
    drop(events);
    if let (Some(b), Some(ae), Some(a)) = (before, after_events, after) {
        let n = centre.account_count() as u64;
        let per = (a - ae) as f64 / n as f64;
        println!(
            "memory: {n} accounts, {} transfers, {} edges: {:.0} bytes per account (RSS {} MB; events held {} MB)",
            centre.stats().transactions,
            centre.edge_count(),
            per,
            (a - ae) / 1_000_000,
            (ae - b) / 1_000_000
        );
    }
}

criterion_group!(benches, detectors, memory);
criterion_main!(benches);
