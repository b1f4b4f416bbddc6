//! Grace, hysteresis, accuracy and order: when a violation opens and ends.

use super::*;

#[test]
fn one_stray_fix_outside_opens_nothing_two_in_a_row_open_one_violation() {
    let mut m = monitor(order());
    let away = moved(HOME, 0.0, 5_000.0);
    let signals = feed(
        &mut m,
        &[
            ping(t(0), HOME, 10.0),
            ping(t(60), away, 10.0),
            ping(t(120), HOME, 10.0),
            ping(t(180), HOME, 10.0),
            ping(t(240), HOME, 10.0),
        ],
    );
    assert!(
        signals.is_empty(),
        "a single fix outside is within the grace: {signals:?}"
    );
    assert!(
        m.status(PERSON).expect("supervised").suspected.is_empty(),
        "three fixes at home cleared it"
    );

    let signals = feed(
        &mut m,
        &[
            ping(t(300), away, 10.0),
            ping(t(360), away, 10.0),
            ping(t(420), away, 10.0),
        ],
    );
    assert_eq!(lines(&signals), ["opened left_home@300/360"]);
    let Signal::Opened(v) = &signals[0] else {
        unreachable!()
    };
    assert_eq!(v.observations, 2);
    let finding = v.evidence.finding.as_ref().expect("why it broke the rule");
    assert_eq!(finding.subject, "home");
    assert!(
        (finding.distance_m - 1_000.0).abs() < 5.0,
        "5 km out of a 4 km circle: {finding:?}"
    );
    assert_eq!(
        m.status(PERSON).expect("supervised").violating,
        [ViolationKind::LeftHome]
    );
}

#[test]
fn the_grace_is_also_a_time_a_slow_device_reaches_it_with_fewer_pings() {
    let policy = Policy {
        open_after: Grace {
            pings: 5,
            seconds: 120,
        },
        ..immediate()
    };
    let mut m = monitor_with(order(), policy, Vec::new());
    let away = moved(HOME, 6_000.0, 0.0);
    let signals = feed(
        &mut m,
        &[
            ping(t(0), away, 20.0),
            ping(t(60), away, 20.0),
            ping(t(130), away, 20.0),
        ],
    );
    assert_eq!(lines(&signals), ["opened left_home@0/130"]);
}

#[test]
fn walking_along_the_fence_is_one_violation_and_it_ends_at_the_first_of_three_fixes_back() {
    let mut m = monitor(order());
    let inside = moved(VICTIM, 0.0, 0.0);
    let outside = moved(VICTIM, 400.0, 0.0);
    let mut pings = Vec::new();
    for i in 0..10 {
        pings.push(ping(
            t(i * 30),
            if i % 2 == 0 { inside } else { outside },
            5.0,
        ));
    }
    // Back home for good: the violation ends dated at the first complying fix of the three.
    pings.push(ping(t(300), outside, 5.0));
    pings.push(ping(t(330), outside, 5.0));
    pings.push(ping(t(360), outside, 5.0));
    let signals = feed(&mut m, &pings);
    assert_eq!(
        lines(&signals),
        [
            "opened exclusion:victim-home@0/60",
            "ended exclusion:victim-home@270"
        ],
        "in, out, in, out … opens once (the second fix inside), never flaps, and ends with the \
         first of three fixes outside in a row"
    );
}

#[test]
fn a_fix_whose_accuracy_disc_straddles_the_boundary_is_uncertain_not_a_violation() {
    let mut m = monitor(order());
    // 100 m inside the 150 m half-width square, but accurate to 80 m only: the disc crosses.
    let near_edge = moved(VICTIM, 100.0, 0.0);
    let signals = feed(
        &mut m,
        &[
            ping(t(0), near_edge, 80.0),
            ping(t(30), near_edge, 80.0),
            ping(t(60), near_edge, 80.0),
        ],
    );
    assert!(signals.is_empty(), "{signals:?}");
    let status = m.status(PERSON).expect("supervised");
    assert_eq!(
        status.uncertain,
        [ViolationKind::Exclusion {
            zone: "victim-home".into()
        }]
    );
    assert!(status.violating.is_empty() && status.suspected.is_empty());

    // The same place with a good fix is a violation.
    let signals = feed(
        &mut m,
        &[ping(t(90), near_edge, 20.0), ping(t(120), near_edge, 20.0)],
    );
    assert_eq!(lines(&signals), ["opened exclusion:victim-home@90/120"]);
}

#[test]
fn uncertain_fixes_neither_break_a_streak_nor_end_a_violation() {
    let mut m = monitor(order());
    let inside = VICTIM;
    let edge = moved(VICTIM, 150.0, 0.0);
    let outside = moved(VICTIM, 600.0, 0.0);
    let signals = feed(
        &mut m,
        &[
            ping(t(0), inside, 10.0),
            ping(t(30), edge, 50.0),
            ping(t(60), inside, 10.0),
            ping(t(90), edge, 50.0),
            ping(t(120), outside, 10.0),
            ping(t(150), edge, 50.0),
            ping(t(180), outside, 10.0),
            ping(t(210), outside, 10.0),
        ],
    );
    assert_eq!(
        lines(&signals),
        [
            "opened exclusion:victim-home@0/60",
            "ended exclusion:victim-home@120"
        ]
    );
}

#[test]
fn a_burst_out_of_order_within_the_hold_is_judged_in_event_time_order() {
    let policy = Policy {
        reorder_hold_s: 30,
        ..Policy::default()
    };
    let away = moved(HOME, 5_000.0, 0.0);
    let in_order = [
        ping(t(0), HOME, 10.0),
        ping(t(10), away, 10.0),
        ping(t(20), HOME, 10.0),
        ping(t(30), away, 10.0),
        ping(t(40), away, 10.0),
    ];
    // A bracelet back in coverage uploads the five at once, shuffled.
    let mut m = monitor_with(order(), policy.clone(), Vec::new());
    for i in [3, 0, 4, 2, 1] {
        m.ping(&in_order[i], t(50)).expect("a good ping");
    }
    assert!(
        m.advance(t(25)).is_empty(),
        "nothing is applied before the hold is over"
    );
    let shuffled = m.advance(t(80));

    let mut reference = monitor_with(order(), policy, Vec::new());
    for p in &in_order {
        reference.ping(p, t(50)).expect("a good ping");
    }
    let expected = reference.advance(t(80));
    assert_eq!(lines(&shuffled), lines(&expected));
    assert_eq!(
        lines(&shuffled),
        ["opened left_home@10/30"],
        "one fix at home between does not clear the first"
    );
    assert_eq!(m.stats().late, 0);
}

#[test]
fn a_fix_that_arrives_after_later_ones_were_applied_is_counted_late_and_not_applied() {
    let mut m = monitor(order());
    let away = moved(HOME, 5_000.0, 0.0);
    feed(&mut m, &[ping(t(100), HOME, 10.0)]);
    m.ping(&ping(t(50), away, 10.0), t(200)).expect("accepted");
    assert!(m.advance(t(200)).is_empty());
    assert_eq!(m.stats().late, 1);
    assert_eq!(m.stats().applied, 1);
}

#[test]
fn the_same_fix_twice_counts_once() {
    let mut m = monitor(order());
    let away = moved(HOME, 5_000.0, 0.0);
    let signals = feed(&mut m, &[ping(t(0), away, 10.0), ping(t(0), away, 10.0)]);
    assert!(
        signals.is_empty(),
        "a resent fix is not a second one: {signals:?}"
    );
    assert_eq!(m.stats().duplicates, 1);
}

#[test]
fn an_amended_order_keeps_a_violation_in_progress_of_a_restriction_it_keeps() {
    let mut m = monitor(order());
    let away = moved(HOME, 5_000.0, 0.0);
    feed(&mut m, &[ping(t(0), away, 10.0), ping(t(30), away, 10.0)]);
    let mut amended = order();
    amended
        .exclusions
        .push(square("school-12", moved(HOME, -1_000.0, 0.0), 100.0));
    let restrictions = m.compile(amended).expect("valid");
    m.enrol(
        Supervision {
            person: PERSON,
            term: term(),
            devices: vec![BRACELET.into()],
            restrictions,
        },
        t(40),
    )
    .expect("amended");
    assert_eq!(
        m.status(PERSON).expect("supervised").violating,
        [ViolationKind::LeftHome]
    );
    let signals = feed(
        &mut m,
        &[
            ping(t(60), away, 10.0),
            ping(t(90), HOME, 10.0),
            ping(t(120), HOME, 10.0),
            ping(t(150), HOME, 10.0),
        ],
    );
    assert_eq!(lines(&signals), ["ended left_home@90"], "no second opening");
}

#[test]
fn a_camera_sighting_places_the_person_at_the_camera() {
    let mut m = monitor(order());
    let camera = moved(VICTIM, 10.0, 10.0);
    for (i, at) in [t(0), t(40)].into_iter().enumerate() {
        m.sighting(
            &SightingInput {
                person: PERSON,
                camera: format!("CAM-{i}"),
                lat: camera.0,
                lon: camera.1,
                at,
            },
            at,
        )
        .expect("a good sighting");
    }
    let signals = m.advance(t(40));
    assert_eq!(lines(&signals), ["opened exclusion:victim-home@0/40"]);
    let Signal::Opened(v) = &signals[0] else {
        unreachable!()
    };
    let seen = v.evidence.observation.as_ref().expect("the sighting");
    assert_eq!(seen.accuracy_m, 30.0);
    assert!(matches!(&seen.source, Source::Camera { camera } if camera == "CAM-0"));
}

#[test]
fn signals_serialise_with_their_kind_and_evidence_for_the_store() {
    let mut m = monitor(order());
    let signals = feed(
        &mut m,
        &[ping(t(0), VICTIM, 10.0), ping(t(30), VICTIM, 10.0)],
    );
    let json = serde_json::to_value(&signals[0]).expect("serialisable");
    assert_eq!(json["signal"], "opened");
    assert_eq!(json["kind"], "exclusion");
    assert_eq!(json["zone"], "victim-home");
    assert_eq!(json["evidence"]["observation"]["source"], "device");
    assert_eq!(json["evidence"]["finding"]["label"], "victim-home (square)");
    assert_eq!(json["evidence"]["local_time"], "2026-12-02 15:00", "UTC+5");
    let back: Signal = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, signals[0]);
}

#[test]
fn a_violation_resumed_after_a_restart_is_ended_not_opened_again() {
    let mut m = monitor(order());
    assert!(m.resume(PERSON, &ViolationKind::LeftHome));
    assert!(m.resume(
        PERSON,
        &ViolationKind::Tamper {
            device: BRACELET.into()
        }
    ));
    assert!(!m.resume(
        PERSON,
        &ViolationKind::Exclusion {
            zone: "gone".into()
        }
    ));
    let away = moved(HOME, 5_000.0, 0.0);
    let mut pings = vec![ping(t(0), away, 10.0), ping(t(30), away, 10.0)];
    pings.extend((0..3).map(|i| ping(t(60 + i * 30), HOME, 10.0)));
    assert_eq!(
        lines(&feed(&mut m, &pings)),
        ["ended tamper:BR-1001@0", "ended left_home@60"]
    );
}
