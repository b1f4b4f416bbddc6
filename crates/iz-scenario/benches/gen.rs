//! How fast the scenario writes events: `EventStream::write_ndjson`, one core.
//! `cargo bench -p iz-scenario --bench gen`.

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_scenario::{Scenario, ScenarioConfig, StreamConfig};

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let scenario = Scenario::new(ScenarioConfig::default());
    let now = time("2026-11-25T10:00:00Z");
    let config = StreamConfig::registry(1, now, 10_000.0, 0.001, now);
    const BATCH: usize = 100_000;
    let mut group = c.benchmark_group("scenario");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(20);
    let mut stream = scenario.events(config.clone());
    let mut out = Vec::with_capacity(BATCH * 400);
    group.bench_function("write_ndjson 100k events", |b| {
        b.iter(|| {
            out.clear();
            black_box(stream.write_ndjson(BATCH, &mut out));
            black_box(out.len())
        })
    });
    let mut stream = scenario.events(config.clone());
    group.bench_function("iterator 100k events", |b| {
        b.iter(|| {
            for _ in 0..BATCH {
                black_box(stream.next());
            }
        })
    });
    group.finish();
    c.bench_function("Scenario::new (10,000 wanted)", |b| {
        b.iter(|| black_box(Scenario::new(ScenarioConfig::default())))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
