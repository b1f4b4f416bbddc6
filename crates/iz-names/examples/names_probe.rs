//! The bench's events outside criterion, for comparing two builds of the crate in one sitting.
//!
//! - `cargo run --release -p iz-names --example names_probe -- 30`: the figure (events
//!   parsed and matched as the wanted-person matcher does), parsing alone, and matching names
//!   parsed beforehand, over 30 rounds of the 1,000 events: events per second by the thread's
//!   CPU time (the scheduler's count; other processes' time on the core left out) and by the
//!   best round's wall time.
//! - `PROBE_DUMP=file`: writes every hit of the bench's events with its score's bits and
//!   explanation (the matcher's path, and `best_scores` at 0.8 and 0.6), for `cmp` between builds.
//! - `PROBE_PAIRS=file`: tab-separated pairs of names (as `eval/names/pairs.csv`); prints each
//!   pair's `explain` and `score_value` bits, for `cmp` between builds.

use chrono::NaiveDate;
use iz_names::synth::Synth;
use iz_names::{BirthDates, DEFAULT_THRESHOLD, NameIndex, Person};
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU (the scheduler's own count): load-independent.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    if let Ok(path) = std::env::var("PROBE_PAIRS") {
        // Tab-separated pairs of names: each pair's score and explanation, for comparing builds.
        let text = std::fs::read_to_string(path).expect("pairs");
        for line in text.lines() {
            let (a, b) = line.split_once('\t').expect("a tab");
            let (a, b) = (Person::new(a, None, None), Person::new(b, None, None));
            let s = iz_names::explain(&a, &b);
            let v = iz_names::score_value(&a, &b);
            println!("{:x} {:x} {:?}", s.score.to_bits(), v.to_bits(), s.aligned);
        }
        return;
    }
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let mut synth = Synth::new(7);
    let (people, rows) = synth.watch_list(100_000);
    let index = NameIndex::build(
        rows.iter()
            .map(|(id, spellings, date, sex)| (*id, spellings.as_slice(), *date, *sex)),
    );
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
    let dated: Vec<(String, NaiveDate)> = raw
        .iter()
        .map(|(name, date, truth)| (name.clone(), date.unwrap_or(*truth)))
        .collect();
    if let Ok(path) = std::env::var("PROBE_DUMP") {
        use std::fmt::Write as _;
        let mut out = String::new();
        for (name, date) in &dated {
            let q = Person::new(name, Some(*date), None);
            for (id, s) in index.matches(&q, DEFAULT_THRESHOLD, BirthDates::MustAgree) {
                let _ = writeln!(out, "m {id} {:x} {:?}", s.score.to_bits(), s.aligned);
            }
        }
        for (name, date, _) in &raw {
            let q = Person::new(name, *date, None);
            for t in [DEFAULT_THRESHOLD, 0.6] {
                for (id, s) in index.best_scores(&q, t) {
                    let _ = writeln!(out, "b {t} {id} {:x}", s.to_bits());
                }
            }
        }
        std::fs::write(path, out).expect("dump");
        return;
    }
    let parsed: Vec<Person> = dated
        .iter()
        .map(|(n, d)| Person::new(n, Some(*d), None))
        .collect();
    let mut best = [f64::MAX; 3];
    let mut cpu = [0u64; 3];
    let mut checksum = 0usize;
    for _ in 0..rounds {
        let (t, c) = (Instant::now(), cpu_ns());
        for (name, date) in &dated {
            let q = Person::new(name, Some(*date), None);
            checksum += index
                .matches(&q, DEFAULT_THRESHOLD, BirthDates::MustAgree)
                .len();
        }
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        cpu[0] += cpu_ns() - c;
        let (t, c) = (Instant::now(), cpu_ns());
        for (name, date) in &dated {
            let q = Person::new(name, Some(*date), None);
            checksum += q.name.tokens.len();
        }
        best[1] = best[1].min(t.elapsed().as_secs_f64());
        cpu[1] += cpu_ns() - c;
        let (t, c) = (Instant::now(), cpu_ns());
        for q in &parsed {
            checksum += index
                .matches(q, DEFAULT_THRESHOLD, BirthDates::MustAgree)
                .len();
        }
        best[2] = best[2].min(t.elapsed().as_secs_f64());
        cpu[2] += cpu_ns() - c;
    }
    let n = dated.len() as f64;
    let per = |i: usize| n * rounds as f64 / (cpu[i] as f64 / 1e9) / 1e3;
    println!(
        "cpu-time: full {:.1} k/s  parse {:.1} k/s  search(preparsed) {:.1} k/s",
        per(0),
        per(1),
        per(2)
    );
    println!(
        "best wall: full {:.1} k/s  parse {:.1} k/s  search(preparsed) {:.1} k/s  [{checksum}]",
        n / best[0] / 1e3,
        n / best[1] / 1e3,
        n / best[2] / 1e3
    );
}
#[allow(dead_code)]
fn counters() {}
