use crate::common::*;

#[test]
fn the_same_seed_gives_the_same_entries_and_events() {
    let (a, b) = (scenario(11), scenario(11));
    assert_eq!(a.watch_entries(now()), b.watch_entries(now()));
    assert_eq!(a.places(), b.places());
    assert_eq!(
        lines(&a, stream_config(3, 0.01), 20_000),
        lines(&b, stream_config(3, 0.01), 20_000)
    );
}

#[test]
fn a_different_seed_gives_a_different_world() {
    let (a, b) = (scenario(11), scenario(12));
    let (ea, eb) = (a.watch_entries(now()), b.watch_entries(now()));
    assert_eq!(ea.len(), eb.len());
    let same = ea
        .iter()
        .zip(&eb)
        .filter(|(x, y)| x.person.iin == y.person.iin)
        .count();
    assert_eq!(
        same, 0,
        "entries of different seeds share IINs at the same position"
    );
    let (la, lb) = (
        lines(&a, stream_config(3, 0.01), 1_000),
        lines(&b, stream_config(3, 0.01), 1_000),
    );
    let same = la.iter().zip(&lb).filter(|(x, y)| x == y).count();
    assert_eq!(same, 0);
}

#[test]
fn the_run_goes_into_every_id() {
    let s = scenario(11);
    let ids = |run| -> Vec<String> {
        lines(&s, stream_config(run, 0.0), 5_000)
            .iter()
            .map(|l| parse(l).id)
            .collect()
    };
    let (one, two) = (ids(1), ids(2));
    let all: std::collections::HashSet<_> = one.iter().chain(&two).collect();
    assert_eq!(all.len(), 10_000, "ids repeat within or across runs");
    assert!(
        one[0].ends_with("-1-0") && two[7].ends_with("-2-7"),
        "{} {}",
        one[0],
        two[7]
    );
}

#[test]
fn building_the_default_scenario_is_fast() {
    let started = std::time::Instant::now();
    let s = scenario(5);
    let entries = s.watch_entries(now());
    assert_eq!(entries.len(), 10_000);
    // Under a second in a release build; allow for unoptimised test builds.
    let limit = if cfg!(debug_assertions) { 10.0 } else { 1.0 };
    assert!(
        started.elapsed().as_secs_f64() < limit,
        "{:?}",
        started.elapsed()
    );
}
