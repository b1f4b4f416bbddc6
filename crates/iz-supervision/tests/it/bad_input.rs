//! Bad input, each refused with a stable code and nothing else lost.

use serde_json::json;

use super::*;

#[test]
fn observations_that_cannot_be_judged_are_refused_with_a_code() {
    let mut m = monitor(order());
    let now = t(0);
    let cases = [
        (
            PingInput {
                lat: 91.0,
                ..ping(now, HOME, 10.0)
            },
            codes::INVALID_POSITION,
        ),
        (
            PingInput {
                lon: f64::NAN,
                ..ping(now, HOME, 10.0)
            },
            codes::INVALID_POSITION,
        ),
        (ping(now, HOME, 0.0), codes::INVALID_ACCURACY),
        (ping(now, HOME, -5.0), codes::INVALID_ACCURACY),
        (
            PingInput {
                battery: Some(140.0),
                ..ping(now, HOME, 10.0)
            },
            codes::INVALID_BATTERY,
        ),
        (
            ping(now + chrono::Duration::minutes(10), HOME, 10.0),
            codes::TIME_IN_FUTURE,
        ),
        (
            PingInput {
                device: "BR-9999".into(),
                ..ping(now, HOME, 10.0)
            },
            codes::UNKNOWN_DEVICE,
        ),
        (
            ping(t(0) - chrono::Duration::days(3_650), HOME, 10.0),
            codes::OUTSIDE_TERM,
        ),
    ];
    for (bad, code) in cases {
        let refused = m.ping(&bad, now).expect_err("refused");
        assert_eq!(refused.code, code, "{bad:?}: {refused}");
    }
    // A clock a little ahead is tolerated.
    m.ping(&ping(now + chrono::Duration::minutes(4), HOME, 10.0), now)
        .expect("within the skew");
    // Nothing refused reached the state: one ping applied.
    m.advance(now + chrono::Duration::minutes(4));
    assert_eq!(m.stats().applied, 1);
    let sighting = SightingInput {
        person: 99,
        camera: "CAM-1".into(),
        lat: HOME.0,
        lon: HOME.1,
        at: now,
    };
    assert_eq!(
        m.sighting(&sighting, now).expect_err("refused").code,
        codes::UNKNOWN_PERSON
    );
}

#[test]
fn a_ping_with_an_unknown_field_is_not_read() {
    let line = json!({ "device": BRACELET, "lat": 43.2, "lon": 76.9, "accuracy_m": 5, "at": "2026-12-02T10:00:00Z", "speed": 3 });
    assert!(serde_json::from_value::<PingInput>(line).is_err());
}

#[test]
fn a_self_intersecting_exclusion_zone_is_refused_naming_the_problem() {
    let bow_tie = ZoneInput {
        id: "bow-tie".into(),
        label: String::new(),
        geometry: json!({ "type": "Polygon", "coordinates": [[[76.90, 43.20], [76.95, 43.25], [76.95, 43.20], [76.90, 43.25], [76.90, 43.20]]] }),
        radius_m: None,
    };
    let mut order = order();
    order.exclusions.push(bow_tie);
    let (mut places, _) = Places::new(Vec::new());
    let refused = Restrictions::compile(order, &mut places).expect_err("refused");
    assert_eq!(refused.0.len(), 1, "{refused}");
    assert_eq!(
        (refused.0[0].at.as_str(), refused.0[0].code),
        ("exclusions[1]", codes::INVALID_ZONE)
    );
    assert!(
        refused.0[0].message.contains("self_intersection"),
        "{refused}"
    );
}

#[test]
fn an_unclosed_ring_is_closed_and_the_zone_works() {
    let open = ZoneInput {
        id: "park".into(),
        label: String::new(),
        geometry: json!({ "type": "Polygon", "coordinates": [[[76.94, 43.23], [76.95, 43.23], [76.95, 43.24], [76.94, 43.24]]] }),
        radius_m: None,
    };
    let order = RestrictionsInput {
        exclusions: vec![open],
        ..Default::default()
    };
    let mut m = monitor(order);
    let signals = feed(
        &mut m,
        &[
            ping(t(0), (43.235, 76.945), 10.0),
            ping(t(30), (43.235, 76.945), 10.0),
        ],
    );
    assert_eq!(lines(&signals), ["opened exclusion:park@0/30"]);
}

#[test]
fn every_problem_of_an_order_is_reported_at_once_with_where_it_is() {
    let order = RestrictionsInput {
        curfews: vec![
            CurfewInput {
                days: vec![],
                start: "22:00".into(),
                end: "06:00".into(),
                zone: None,
            },
            CurfewInput {
                days: vec!["friday-ish".into()],
                start: "22:00".into(),
                end: "06:00".into(),
                zone: Some(circle("flat", HOME, 100.0)),
            },
        ],
        exclusions: vec![circle("nowhere", HOME, -5.0)],
        banned_places: vec![
            PlaceBanInput {
                category: "casino".into(),
                radius_m: 100.0,
            },
            PlaceBanInput {
                category: "bar".into(),
                radius_m: 0.0,
            },
        ],
        banned_events: vec![BannedEventInput {
            zone: circle("stadium", HOME, 300.0),
            when: Interval {
                from: t(100),
                until: t(50),
            },
        }],
        ..Default::default()
    };
    let (mut places, _) = Places::new(Vec::new());
    let refused = Restrictions::compile(order, &mut places).expect_err("refused");
    let found: Vec<(String, &str)> = refused.0.iter().map(|p| (p.at.clone(), p.code)).collect();
    assert_eq!(
        found,
        [
            ("curfews[0]".to_string(), codes::CURFEW_WITHOUT_ZONE),
            ("curfews[1]".to_string(), codes::INVALID_WINDOW),
            ("exclusions[0]".to_string(), codes::INVALID_ZONE),
            ("banned_places[0]".to_string(), codes::INVALID_PLACE_BAN),
            ("banned_places[1]".to_string(), codes::INVALID_PLACE_BAN),
            ("banned_events[0]".to_string(), codes::INVALID_WINDOW),
        ]
    );
}

#[test]
fn a_device_worn_by_one_person_cannot_be_given_to_another() {
    let mut m = monitor(order());
    let restrictions = m.compile(order()).expect("valid");
    let refused = m
        .enrol(
            Supervision {
                person: PERSON + 1,
                term: term(),
                devices: vec![BRACELET.into()],
                restrictions,
            },
            t(0),
        )
        .expect_err("refused");
    assert_eq!(refused.0[0].code, codes::DEVICE_TAKEN);
}

#[test]
fn a_released_person_is_no_longer_watched() {
    let mut m = monitor(order());
    assert!(m.release(PERSON));
    assert_eq!(
        m.ping(&ping(t(0), HOME, 10.0), t(0))
            .expect_err("refused")
            .code,
        codes::UNKNOWN_DEVICE
    );
    assert!(
        m.advance(t(3_600)).is_empty(),
        "no signal loss for a released device"
    );
}
