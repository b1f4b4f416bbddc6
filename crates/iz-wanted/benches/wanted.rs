//! The wanted matcher alone: parsed events against 10,000 live entries, one core.
//! `cargo bench -p iz-wanted` — figures go to BENCHMARKS.md.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_match::{CountingSink, Engine, Matcher};
use iz_model::{
    Category, Document, DocumentType, Event, EventKind, Iin, LegalBasis, LegalBasisKind, Person,
    Priority, Region, Sex, WatchEntry, WatchKind, WatchStatus,
};
use iz_wanted::WantedMatcher;

fn iin(n: u32) -> Iin {
    let date = NaiveDate::from_ymd_opt(1960, 1, 1).expect("date")
        + chrono::Duration::days(i64::from(n % 20_000));
    (0..10_000u16)
        .find_map(|s| {
            Iin::compose(
                date,
                if n.is_multiple_of(2) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                (s + (n / 20_000) as u16 * 97) % 10_000,
            )
        })
        .expect("some serial works")
}

fn entries(n: u32, now: DateTime<Utc>) -> Vec<WatchEntry> {
    (0..n)
        .map(|i| WatchEntry {
            id: i64::from(i),
            kind: WatchKind::Wanted,
            person: Person {
                iin: Some(iin(i)),
                documents: vec![Document {
                    doc_type: DocumentType::IdCard,
                    number: format!("0{:08}", i),
                    country: None,
                }],
                ..Person::default()
            },
            legal_basis: LegalBasis {
                kind: LegalBasisKind::Warrant,
                reference: format!("W-{i}"),
                authority: "court".into(),
                issued_on: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            },
            expires_at: now + chrono::Duration::days(365),
            region: Region::parse("KZ-75").expect("region"),
            priority: Priority::Normal,
            category: Category::EvadingCourt,
            status: WatchStatus::Active,
            created_at: now,
            created_by: "bench".into(),
            vehicle: None,
            link: None,
            faces: Vec::new(),
        })
        .collect()
}

fn events(n: u32, now: DateTime<Utc>) -> Vec<Event> {
    // One event in a thousand is a wanted person (ids below 10,000 are on the list).
    (0..n)
        .map(|i| {
            let who = if i % 1000 == 0 {
                i % 10_000
            } else {
                10_000 + i
            };
            Event {
                id: format!("e-{i}"),
                kind: EventKind::ALL[(i % 5) as usize], // the five kinds that carry papers
                source: "bench".into(),
                occurred_at: now,
                received_at: now,
                place: None,
                subject: Person {
                    iin: Some(iin(who)),
                    documents: if i % 4 == 0 {
                        vec![Document {
                            doc_type: DocumentType::IdCard,
                            number: format!("0{:08}", who),
                            country: None,
                        }]
                    } else {
                        vec![]
                    },
                    ..Person::default()
                },
                plate: None,
                face: None,
                payload: None,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let now = Utc::now();
    let list = entries(10_000, now);
    let stream = events(100_000, now);
    let engine = Engine::new(vec![
        Box::new(WantedMatcher::build(&list)) as Box<dyn Matcher>
    ]);
    let mut group = c.benchmark_group("wanted");
    group.throughput(Throughput::Elements(stream.len() as u64));
    group.bench_function("engine_100k_events_10k_entries", |b| {
        b.iter(|| {
            let mut sink = CountingSink::default();
            for e in &stream {
                engine.observe(black_box(e), &mut sink);
            }
            assert_eq!(sink.0, 100);
            sink.0
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
