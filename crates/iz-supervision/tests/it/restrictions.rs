//! Each kind of restriction, judged on the clock of its day.

use chrono::{TimeZone, Utc};

use super::*;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("an instant")
}

fn curfew_order(days: &[&str]) -> RestrictionsInput {
    RestrictionsInput {
        home: Some(circle("home", HOME, 20_000.0)),
        curfews: vec![CurfewInput {
            days: days.iter().map(|d| d.to_string()).collect(),
            start: "22:00".into(),
            end: "06:00".into(),
            zone: Some(circle("flat", HOME, 100.0)),
        }],
        ..Default::default()
    }
}

/// Two fixes a minute apart at a UTC instant, 2 km from the flat (inside the city).
fn out_at(m: &mut Monitor, at: chrono::DateTime<Utc>) -> Vec<String> {
    let out = moved(HOME, 2_000.0, 0.0);
    let signals = feed(
        m,
        &[
            ping(at, out, 10.0),
            ping(at + chrono::Duration::minutes(1), out, 10.0),
        ],
    );
    let s = lines(&signals);
    // Come home, so that the next check starts quiet.
    let home = at + chrono::Duration::minutes(2);
    feed(
        m,
        &[
            ping(home, HOME, 10.0),
            ping(home + chrono::Duration::minutes(1), HOME, 10.0),
            ping(home + chrono::Duration::minutes(2), HOME, 10.0),
        ],
    );
    s.into_iter()
        .map(|l| l.split('@').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_curfew_is_judged_on_the_almaty_clock_and_runs_past_midnight() {
    let mut m = monitor(curfew_order(&["mon", "tue", "wed", "thu", "fri"]));
    // Wednesday 2026-12-02, 16:30 UTC is 21:30 in Almaty: before the curfew.
    assert!(out_at(&mut m, utc(2026, 12, 2, 16, 30)).is_empty());
    // 17:30 UTC is 22:30: in it.
    assert_eq!(
        out_at(&mut m, utc(2026, 12, 2, 17, 30)),
        ["opened curfew:0"]
    );
    // Friday 23:50 UTC is Saturday 04:50 local, still Friday night's window.
    assert_eq!(
        out_at(&mut m, utc(2026, 12, 4, 23, 50)),
        ["opened curfew:0"]
    );
    // Saturday 22:30 local has no window.
    assert!(out_at(&mut m, utc(2026, 12, 5, 17, 30)).is_empty());
}

#[test]
fn a_curfew_in_february_2024_uses_the_utc_plus_six_clock_of_the_day() {
    let mut m = monitor(curfew_order(&[]));
    // 2024-02-14 15:30 UTC was 21:30 at UTC+6: not yet curfew …
    assert!(out_at(&mut m, utc(2024, 2, 14, 15, 30)).is_empty());
    // … and 16:30 UTC was 22:30. The same 16:30 UTC in June 2024 is 21:30 (UTC+5).
    assert_eq!(
        out_at(&mut m, utc(2024, 2, 14, 16, 30)),
        ["opened curfew:0"]
    );
    assert!(out_at(&mut m, utc(2024, 6, 14, 16, 30)).is_empty());
}

#[test]
fn a_curfew_without_a_zone_of_its_own_keeps_the_person_in_the_home_zone() {
    let order = RestrictionsInput {
        home: Some(circle("flat", HOME, 100.0)),
        curfews: vec![CurfewInput {
            days: vec![],
            start: "22:00".into(),
            end: "06:00".into(),
            zone: None,
        }],
        ..Default::default()
    };
    let mut m = monitor(order);
    // Outside home at 22:30 breaks both the home zone and the curfew.
    assert_eq!(
        out_at(&mut m, utc(2026, 12, 2, 17, 30)),
        ["opened left_home", "opened curfew:0"]
    );
}

#[test]
fn a_banned_place_is_within_its_radius_of_any_place_of_the_category() {
    let bar = moved(HOME, 1_000.0, 1_000.0);
    let places = vec![
        Place {
            id: "bar-1".into(),
            name: "Bar Zhuldyz".into(),
            category: "bar".into(),
            lat: bar.0,
            lon: bar.1,
        },
        Place {
            id: "school-1".into(),
            name: "School 12".into(),
            category: "school".into(),
            lat: HOME.0,
            lon: HOME.1,
        },
    ];
    let order = RestrictionsInput {
        banned_places: vec![PlaceBanInput {
            category: "bar".into(),
            radius_m: 200.0,
        }],
        ..Default::default()
    };
    let mut m = monitor_with(order, immediate(), places);
    // At home, next to a school (not banned): nothing.
    assert!(feed(&mut m, &[ping(t(0), HOME, 10.0), ping(t(30), HOME, 10.0)]).is_empty());
    // 250 m from the bar, accurate to 100 m: the disc reaches into the 200 m: uncertain.
    let near = moved(bar, 250.0, 0.0);
    assert!(
        feed(
            &mut m,
            &[ping(t(60), near, 100.0), ping(t(90), near, 100.0)]
        )
        .is_empty()
    );
    assert_eq!(
        m.status(PERSON).expect("supervised").uncertain,
        [ViolationKind::BannedPlace {
            category: "bar".into()
        }]
    );
    // 120 m from it, accurate to 30 m: inside.
    let at_bar = moved(bar, 120.0, 0.0);
    let signals = feed(
        &mut m,
        &[ping(t(120), at_bar, 30.0), ping(t(150), at_bar, 30.0)],
    );
    assert_eq!(lines(&signals), ["opened banned_place:bar@120/150"]);
    let Signal::Opened(v) = &signals[0] else {
        unreachable!()
    };
    let finding = v.evidence.finding.as_ref().expect("the place");
    assert_eq!(
        (finding.subject.as_str(), finding.label.as_str()),
        ("bar-1", "Bar Zhuldyz")
    );
    assert!((finding.distance_m - 120.0).abs() < 1.0, "{finding:?}");
}

#[test]
fn a_banned_event_applies_only_during_its_window() {
    let stadium = moved(HOME, 0.0, 1_500.0);
    let order = RestrictionsInput {
        banned_events: vec![BannedEventInput {
            zone: circle("central-stadium", stadium, 300.0),
            when: Interval {
                from: t(3_600),
                until: t(3 * 3_600),
            },
        }],
        ..Default::default()
    };
    let mut m = monitor(order);
    assert!(
        feed(
            &mut m,
            &[ping(t(0), stadium, 10.0), ping(t(60), stadium, 10.0)]
        )
        .is_empty(),
        "before the match"
    );
    let during = feed(
        &mut m,
        &[ping(t(3_600), stadium, 10.0), ping(t(3_660), stadium, 10.0)],
    );
    assert_eq!(
        lines(&during),
        ["opened banned_event:central-stadium@3600/3660"]
    );
    let after = feed(
        &mut m,
        &[
            ping(t(3 * 3_600), stadium, 10.0),
            ping(t(3 * 3_600 + 60), stadium, 10.0),
            ping(t(3 * 3_600 + 120), stadium, 10.0),
        ],
    );
    assert_eq!(
        lines(&after),
        ["ended banned_event:central-stadium@10800"],
        "the match is over"
    );
}

#[test]
fn leaving_the_region_is_a_violation_unless_a_travel_permission_is_in_force() {
    let order = RestrictionsInput {
        region: Some(RegionRuleInput {
            zone: square("KZ-75", HOME, 15_000.0),
            permissions: vec![Interval {
                from: t(3_600),
                until: t(7_200),
            }],
        }),
        ..Default::default()
    };
    let mut m = monitor(order);
    let astana_road = moved(HOME, 40_000.0, 0.0);
    let permitted = feed(
        &mut m,
        &[
            ping(t(3_700), astana_road, 50.0),
            ping(t(3_800), astana_road, 50.0),
        ],
    );
    assert!(permitted.is_empty(), "{permitted:?}");
    let signals = feed(
        &mut m,
        &[
            ping(t(7_200), astana_road, 50.0),
            ping(t(7_300), astana_road, 50.0),
        ],
    );
    assert_eq!(
        lines(&signals),
        ["opened left_region@7200/7300"],
        "the permission has ended"
    );
}

#[test]
fn restrictions_go_back_out_as_geojson_for_the_map() {
    let mut order = order();
    order.curfews.push(CurfewInput {
        days: vec!["sat".into()],
        start: "23:00".into(),
        end: "05:00".into(),
        zone: Some(circle("flat", HOME, 100.0)),
    });
    let (mut places, _) = Places::new(Vec::new());
    let compiled = Restrictions::compile(order, &mut places).expect("valid");
    let geojson = compiled.input.to_geojson();
    let features = geojson["features"].as_array().expect("features");
    let kinds: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["restriction"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["home", "curfew", "exclusion"]);
    assert_eq!(features[0]["properties"]["radius_m"], 4_000.0);
    assert_eq!(features[1]["properties"]["start"], "23:00");
    // The collection loads back as zones.
    let (zones, _) =
        iz_geo::ZoneSet::from_geojson(&geojson.to_string()).expect("valid GeoJSON zones");
    assert_eq!(zones.zones().len(), 3);
}
