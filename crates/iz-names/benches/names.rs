//! Events with a name and a birth date against a 100,000-entry watch-list, through the index.
//!
//! `cargo bench -p iz-names --bench names -- --quick`; each throughput line is events per second
//! on one core (criterion runs single-threaded), **by the CPU time of the bench's thread** (the
//! scheduler's count in `/proc/thread-self/schedstat`; wall time where that cannot be read). On a
//! shared machine wall time counts the time other processes hold the core: at load 7 on two
//! cores, criterion's wall-clock figure was half the CPU-time one, while the best of many rounds
//! (a quiet moment) agreed with CPU time. The two agree on an idle machine.
//!
//! - `names/issue_figure_dated_events_parsed` is the issue's figure: every event carries a name
//!   as written and a birth date, and is parsed and matched the way the wanted-person matcher
//!   does it (only entries whose birth date agrees can be hits).
//! - `names/best_scores_any_date_preparsed` is the general search (any date evidence, a fifth
//!   of the events undated), over names parsed beforehand.
//! - `names/english_listed_parsed_best_scores`: listed people in English romanisation, parsed
//!   and searched with `best_scores`.

use chrono::NaiveDate;
use std::time::Instant;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_names::synth::{Spelling, Synth};
use iz_names::{BirthDates, DEFAULT_THRESHOLD, NameIndex, Person};

/// Time on a CPU of the calling thread, in nanoseconds: what one core spends on the work, whatever
/// else the machine runs.
struct ThreadCpu;

/// The thread's time on a CPU so far, by the scheduler; `None` where it cannot be read.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

impl Measurement for ThreadCpu {
    type Intermediate = (Option<u64>, Instant);
    type Value = u64;

    fn start(&self) -> Self::Intermediate {
        (thread_cpu_ns(), Instant::now())
    }

    fn end(&self, (cpu, wall): Self::Intermediate) -> u64 {
        match (cpu, thread_cpu_ns()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall.elapsed().as_nanos() as u64,
        }
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanoseconds
    }
}

/// Nanoseconds as criterion shows them; throughputs in elements per second.
struct Nanoseconds;

impl ValueFormatter for Nanoseconds {
    fn scale_values(&self, ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = match ns {
            x if x < 1e3 => (1.0, "ns"),
            x if x < 1e6 => (1e-3, "µs"),
            x if x < 1e9 => (1e-6, "ms"),
            _ => (1e-9, "s"),
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(&self, ns: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        let n = match *t {
            Throughput::Elements(n)
            | Throughput::Bytes(n)
            | Throughput::BytesDecimal(n)
            | Throughput::Bits(n) => n,
        } as f64;
        let (denominator, unit) = match n * 1e9 / ns {
            x if x < 1e3 => (1.0, " elem/s"),
            x if x < 1e6 => (1e3, "Kelem/s"),
            _ => (1e6, "Melem/s"),
        };
        values
            .iter_mut()
            .for_each(|v| *v = n * 1e9 / *v / denominator);
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// Runs `work` for two seconds before it is measured. `--quick` measures from the first
/// iteration on, with no warm-up of its own: right after the index is built, the allocator's free
/// lists hold the build's leftovers and the caches are cold, and the first thousands of searches
/// ran markedly slower than the matcher's steady state (an index is built once and searched for
/// hours).
fn warm_up(mut work: impl FnMut() -> usize) {
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < 5 || start.elapsed().as_secs_f64() < 2.0 {
        std::hint::black_box(work());
        rounds += 1;
    }
}

/// What the wanted-person matcher asks of the index for one written name: the entries whose
/// birth date agrees and whose score reaches the threshold, explained.
fn matcher_query(index: &NameIndex, q: &Person) -> usize {
    index
        .matches(q, DEFAULT_THRESHOLD, BirthDates::MustAgree)
        .len()
}

fn names(c: &mut Criterion<ThreadCpu>) {
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
    // The issue's events all carry a birth date: as recorded where there is one (equal, now and
    // then swapped or a year off), else the true one.
    let dated: Vec<(String, NaiveDate)> = raw
        .iter()
        .map(|(name, date, truth)| (name.clone(), date.unwrap_or(*truth)))
        .collect();
    let mut group = c.benchmark_group("names");
    group.throughput(Throughput::Elements(dated.len() as u64));
    let issue = || {
        let mut hits = 0usize;
        for (name, date) in &dated {
            let q = Person::new(name, Some(*date), None);
            hits += matcher_query(&index, &q);
        }
        hits
    };
    warm_up(issue);
    group.bench_function("issue_figure_dated_events_parsed", |b| b.iter(issue));
    let events: Vec<Person> = raw
        .iter()
        .map(|(name, date, _)| Person::new(name, *date, None))
        .collect();
    group.throughput(Throughput::Elements(events.len() as u64));
    let preparsed = || {
        let mut hits = 0usize;
        for e in &events {
            hits += index.best_scores(e, DEFAULT_THRESHOLD).len();
        }
        hits
    };
    warm_up(preparsed);
    group.bench_function("best_scores_any_date_preparsed", |b| b.iter(preparsed));
    let english: Vec<(String, Option<NaiveDate>)> = (0..1_000)
        .map(|i| {
            let p = &people[(i * 37) % people.len()];
            (synth.spelt(p, Spelling::English), Some(p.birth_date))
        })
        .collect();
    group.throughput(Throughput::Elements(english.len() as u64));
    let english_listed = || {
        let mut hits = 0usize;
        for (name, date) in &english {
            let q = Person::new(name, *date, None);
            hits += index.best_scores(&q, DEFAULT_THRESHOLD).len();
        }
        hits
    };
    warm_up(english_listed);
    group.bench_function("english_listed_parsed_best_scores", |b| {
        b.iter(english_listed)
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = names
}
criterion_main!(benches);
