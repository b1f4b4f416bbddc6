//! Events with a name and a birth date against a 100,000-entry watch-list, through the index.
//!
//! `cargo bench -p iz-names --bench names -- --quick`; the throughput line is events per second
//! on one core (criterion runs single-threaded).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_names::synth::Synth;
use iz_names::{DEFAULT_THRESHOLD, NameIndex, Person};

fn names(c: &mut Criterion) {
    let mut synth = Synth::new(7);
    let (people, rows) = synth.watch_list(100_000);
    let index = NameIndex::build(
        rows.iter()
            .map(|(id, spellings, date, sex)| (*id, spellings.as_slice(), *date, *sex)),
    );
    // Half the events name someone on the list, in some other spelling; half name strangers.
    let events: Vec<Person> = (0..1_000)
        .map(|i| {
            let p = if i % 2 == 0 {
                people[synth.rng.below(people.len())].clone()
            } else {
                synth.person()
            };
            let name = synth.variant(&p);
            let date = synth.recorded_date(p.birth_date);
            Person::new(&name, date, None)
        })
        .collect();
    let mut group = c.benchmark_group("names");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("events_against_100k_watch_list", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for e in &events {
                hits += index.best_scores(e, DEFAULT_THRESHOLD).len();
            }
            hits
        })
    });
    group.bench_function("events_parsed_and_matched", |b| {
        let raw: Vec<(String, Option<chrono::NaiveDate>)> = (0..1_000)
            .map(|i| {
                let p = people[(i * 37) % people.len()].clone();
                (
                    synth.spelt(&p, iz_names::synth::Spelling::English),
                    Some(p.birth_date),
                )
            })
            .collect();
        b.iter(|| {
            let mut hits = 0usize;
            for (name, date) in &raw {
                let q = Person::new(name, *date, None);
                hits += index.best_scores(&q, DEFAULT_THRESHOLD).len();
            }
            hits
        })
    });
    group.finish();
}

criterion_group!(benches, names);
criterion_main!(benches);
