//! Events with a name and a birth date against a 100,000-entry watch-list, through the index.
//!
//! `cargo bench -p iz-names --bench names -- --quick`; each throughput line is events per second
//! on one core (criterion runs single-threaded).
//!
//! - `names/issue_figure_dated_events_parsed` is the figure: every event carries a name
//!   as written and a birth date, and is parsed and matched the way the wanted-person matcher
//!   does it (only entries whose birth date agrees can be hits).
//! - `names/best_scores_any_date_preparsed` is the general search (any date evidence, a fifth
//!   of the events undated), over names parsed beforehand.
//! - `names/english_listed_parsed_best_scores`: listed people in English romanisation, parsed
//!   and searched with `best_scores`.

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_names::synth::{Spelling, Synth};
use iz_names::{BirthDates, DEFAULT_THRESHOLD, NameIndex, Person};

/// What the wanted-person matcher asks of the index for one written name: the entries whose
/// birth date agrees and whose score reaches the threshold, explained.
fn matcher_query(index: &NameIndex, q: &Person) -> usize {
    index
        .matches(q, DEFAULT_THRESHOLD, BirthDates::MustAgree)
        .len()
}

fn names(c: &mut Criterion) {
    let mut synth = Synth::new(7);
    let (people, rows) = synth.watch_list(100_000);
    let index = NameIndex::build(
        rows.iter()
            .map(|(id, spellings, date, sex)| (*id, spellings.as_slice(), *date, *sex)),
    );
    // Half the events name someone on the list, in some other spelling; half name strangers.
    // Each keeps the person's true birth date beside the date as recorded (a fifth: none).
    let mut raw: Vec<(String, Option<NaiveDate>, NaiveDate)> = Vec::new();
    for i in 0..1_000 {
        let p = if i % 2 == 0 {
            people[synth.rng.below(people.len())].clone()
        } else {
            synth.person()
        };
        let name = synth.variant(&p);
        let date = synth.recorded_date(p.birth_date);
        raw.push((name, date, p.birth_date));
    }
    // The events all carry a birth date: as recorded where there is one (equal, now and
    // then swapped or a year off), else the true one.
    let dated: Vec<(String, NaiveDate)> = raw
        .iter()
        .map(|(name, date, truth)| (name.clone(), date.unwrap_or(*truth)))
        .collect();
    let mut group = c.benchmark_group("names");
    group.throughput(Throughput::Elements(dated.len() as u64));
    group.bench_function("issue_figure_dated_events_parsed", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for (name, date) in &dated {
                let q = Person::new(name, Some(*date), None);
                hits += matcher_query(&index, &q);
            }
            hits
        })
    });
    let events: Vec<Person> = raw
        .iter()
        .map(|(name, date, _)| Person::new(name, *date, None))
        .collect();
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("best_scores_any_date_preparsed", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for e in &events {
                hits += index.best_scores(e, DEFAULT_THRESHOLD).len();
            }
            hits
        })
    });
    let english: Vec<(String, Option<NaiveDate>)> = (0..1_000)
        .map(|i| {
            let p = &people[(i * 37) % people.len()];
            (synth.spelt(p, Spelling::English), Some(p.birth_date))
        })
        .collect();
    group.throughput(Throughput::Elements(english.len() as u64));
    group.bench_function("english_listed_parsed_best_scores", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for (name, date) in &english {
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
