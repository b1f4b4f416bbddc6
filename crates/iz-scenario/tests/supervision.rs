//! The generated caseload as the monitor sees it: every order valid, compliant pings silent,
//! and each walk into a victim's street one violation, opened and ended.

use chrono::{DateTime, Duration, Utc};
use iz_scenario::supervision::{Caseload, CaseloadConfig};
use iz_supervision::{Monitor, PingInput, Places, Policy, RestrictionsInput, Signal, Supervision};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

fn replay(breach_share: f64) -> (Caseload, Vec<Signal>, u64) {
    let caseload = Caseload::generate(
        CaseloadConfig {
            seed: 7,
            persons: 300,
            breach_share,
        },
        now(),
    );
    let mut m = Monitor::new(
        Policy {
            reorder_hold_s: 0,
            ..Policy::default()
        },
        Places::default(),
    );
    for p in &caseload.persons {
        let input: RestrictionsInput =
            serde_json::from_value(p.order["restrictions"].clone()).expect("the API's shape");
        let restrictions = m.compile(input).expect("a valid order");
        let term = serde_json::from_value(p.order["term"].clone()).expect("a term");
        // Enrolled as the stream starts, so no bracelet is silent for long.
        m.enrol(
            Supervision {
                person: p.index as i64,
                term,
                devices: vec![p.device.clone()],
                restrictions,
            },
            now() - Duration::hours(2),
        )
        .expect("enrolled");
    }
    // 300 persons × 96 pings, 5 minutes apart: eight hours that cross the curfew's start.
    let count = 300 * 96;
    let end = now() + Duration::hours(6);
    let mut signals = Vec::new();
    for n in 0..count {
        let ping: PingInput =
            serde_json::from_value(caseload.ping(n, count, Duration::minutes(5), end))
                .expect("the API's shape");
        m.ping(&ping, ping.at).expect("a good ping");
        signals.extend(m.advance(ping.at));
    }
    let late = m.stats().late;
    (caseload, signals, late)
}

#[test]
fn a_compliant_caseload_raises_nothing() {
    let (_, signals, late) = replay(0.0);
    assert!(signals.is_empty(), "{:?}", &signals[..signals.len().min(5)]);
    assert_eq!(late, 0, "the stream is in time order");
}

#[test]
fn each_walk_into_the_victims_street_is_one_violation_opened_and_ended() {
    let (_, signals, _) = replay(0.05);
    let opened: Vec<_> = signals
        .iter()
        .filter_map(|s| match s {
            Signal::Opened(v) => Some(v),
            _ => None,
        })
        .collect();
    let ended = signals
        .iter()
        .filter(|s| matches!(s, Signal::Ended { .. }))
        .count();
    assert!(
        opened.len() > 50,
        "about 5 % of 3,600 episodes: {}",
        opened.len()
    );
    let kinds: std::collections::BTreeSet<String> = opened.iter().map(|v| v.kind.key()).collect();
    assert!(
        kinds
            .iter()
            .all(|k| k == "exclusion:victim" || k == "curfew:0"),
        "{kinds:?}"
    );
    // At night the walk breaks the curfew too (10 pm to 6 am on the Almaty clock).
    for v in opened.iter().filter(|v| v.kind.key() == "curfew:0") {
        let hour: u32 = v.evidence.local_time[11..13].parse().expect("an hour");
        assert!(!(6..22).contains(&hour), "{}", v.evidence.local_time);
    }
    assert!(
        opened.iter().all(|v| v.observations == 2),
        "opened at the second fix inside"
    );
    // An episode at the end of the stream may still be open.
    assert!(
        ended + 300 >= opened.len() && ended <= opened.len(),
        "{ended} ended of {}",
        opened.len()
    );
}
