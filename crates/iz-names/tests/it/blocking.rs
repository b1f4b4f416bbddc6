//! The blocking index against exhaustive comparison, over generated names.

use iz_names::synth::Synth;
use iz_names::{DEFAULT_THRESHOLD, NameIndex, Person};

/// Recall of `best_scores` (blocked) against `exhaustive`, over queries in many spellings: a
/// third name people on the list, a third their relatives (same surname, other given name),
/// a third strangers.
fn recall(seed: u64, entries: usize, queries: usize) -> (usize, usize, usize) {
    let mut synth = Synth::new(seed);
    let (people, rows) = synth.watch_list(entries);
    let index = NameIndex::build(rows.iter().map(|(id, s, d, x)| (*id, s.as_slice(), *d, *x)));
    let (mut found, mut total, mut compared) = (0, 0, 0);
    for i in 0..queries {
        let p = match i % 3 {
            0 => people[synth.rng.below(people.len())].clone(),
            1 => {
                let mut q = synth.person();
                q.surname = people[synth.rng.below(people.len())].surname.clone();
                q
            }
            _ => synth.person(),
        };
        let name = synth.variant(&p);
        let date = synth.recorded_date(p.birth_date);
        let q = Person::new(&name, date, None);
        let truth = index.exhaustive(&q, DEFAULT_THRESHOLD);
        let got = index.best_scores(&q, DEFAULT_THRESHOLD);
        compared += index.candidates(&q).len();
        total += truth.len();
        for t in &truth {
            if got.contains(t) {
                found += 1;
            } else if std::env::var_os("IZ_NAMES_MISSES").is_some() {
                eprintln!("missed: {name:?} {t:?} {:?}", index.entry_names(t.0));
            }
        }
    }
    (found, total, compared)
}

#[test]
fn blocking_finds_at_least_99_percent_of_what_exhaustive_comparison_finds() {
    let (entries, queries) = (2_000, 600);
    let (found, total, compared) = recall(11, entries, queries);
    let r = found as f64 / total.max(1) as f64;
    eprintln!(
        "blocking recall {found}/{total} = {r:.4}; {:.1} candidates per query of {entries} entries",
        compared as f64 / queries as f64
    );
    assert!(total > queries / 4, "the set has matches to find: {total}");
    assert!(r >= 0.99, "recall {r}");
}

#[test]
fn a_query_is_compared_with_a_handful_of_entries() {
    let mut synth = Synth::new(5);
    let (people, rows) = synth.watch_list(5_000);
    let index = NameIndex::build(rows.iter().map(|(id, s, d, x)| (*id, s.as_slice(), *d, *x)));
    let mut compared = 0;
    for p in people.iter().take(200) {
        let q = Person::new(&synth.variant(p), Some(p.birth_date), None);
        compared += index.candidates(&q).len();
    }
    assert!(compared / 200 < 50, "{} per query", compared / 200);
}

#[test]
fn best_matches_explain_the_hit() {
    let rows: Vec<(u32, Vec<String>)> = vec![
        (
            7,
            vec![
                "Тоқаев Қасым-Жомарт Кемелұлы".into(),
                "TOKAYEV KASSYM-ZHOMART".into(),
            ],
        ),
        (8, vec!["Назарбаев Нұрсұлтан Әбішұлы".into()]),
        (9, vec!["Тоқаева Айгүл".into()]),
    ];
    let index = NameIndex::build(rows.iter().map(|(id, s)| (*id, s.as_slice(), None, None)));
    let q = Person::new("Tokajew Kassym-Schomart", None, None);
    let hits = index.best_matches(&q, 0.75);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].0, 7);
    assert!(hits[0].1.score >= 0.75);
    assert_eq!(
        index.candidates(&Person::new("Е. Т.", None, None)),
        Vec::<u32>::new()
    );
}
