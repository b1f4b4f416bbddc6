//! Detections over licensed areas: which open incidents, and how a site folds.

use chrono::{DateTime, Duration, TimeZone, Utc};
use iz_drones::*;
use serde_json::{Value, json};

/// A square of `half` degrees around (lon, lat), as GeoJSON coordinates.
fn square(lon: f64, lat: f64, half: f64) -> Value {
    json!([[
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half]
    ]])
}

fn licence(id: &str, holder: &str, from: &str, until: &str, coordinates: Value) -> Value {
    json!({ "type": "Feature", "properties": { "id": id, "holder": holder, "valid_from": from, "valid_until": until }, "geometry": { "type": "Polygon", "coordinates": coordinates } })
}

/// Near Karaganda: a copper licence, a coal licence overlapping its east half, and an old
/// gravel pit whose licence expired in mid-2025.
fn licences() -> Licences {
    let file = json!({ "type": "FeatureCollection", "features": [
        licence("KZ-SU-0101", "Kazakh Copper LLP", "2020-01-01", "2030-12-31", square(73.00, 49.80, 0.02)),
        licence("KZ-SU-0102", "Steppe Coal JSC", "2024-01-01", "2029-12-31", square(73.02, 49.80, 0.02)),
        licence("KZ-SU-0077", "Gravel Partners", "2015-05-01", "2025-06-30", square(73.20, 49.90, 0.01)),
    ]});
    Licences::from_geojson(&file.to_string()).expect("valid licences")
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 6, 30, 0)
        .single()
        .expect("an instant")
}

fn point(flight: &str, when: DateTime<Utc>, lon: f64, lat: f64, class: &str) -> DetectionInput {
    DetectionInput {
        flight: flight.into(),
        at: when,
        class: class.into(),
        footprint: json!({ "type": "Point", "coordinates": [lon, lat] }),
        confidence: 0.9,
        image: Some(format!("img/{flight}/{lon}.jpg")),
    }
}

fn verdict(w: &Watch, d: &DetectionInput) -> Verdict {
    w.assess(d, at(30)).expect("judged").0
}

#[test]
fn activity_inside_a_valid_licence_is_licensed_and_opens_nothing() {
    let mut w = Watch::new(Policy::default(), licences());
    let d = point("FL-1", at(3), 72.99, 49.80, "excavation");
    assert_eq!(
        verdict(&w, &d),
        Verdict::Licensed {
            licence: "KZ-SU-0101".into()
        }
    );
    assert!(matches!(w.record(&d, at(30)), Ok(Outcome::Noted { .. })));
    assert!(w.incidents().is_empty());
}

#[test]
fn overlapping_licences_cover_their_union_any_valid_one_will_do() {
    let w = Watch::new(Policy::default(), licences());
    // In both (the overlap) and in the coal licence only.
    assert!(matches!(
        verdict(&w, &point("FL-1", at(3), 73.01, 49.80, "heavy_machinery")),
        Verdict::Licensed { .. }
    ));
    assert_eq!(
        verdict(&w, &point("FL-1", at(3), 73.035, 49.80, "stockpile")),
        Verdict::Licensed {
            licence: "KZ-SU-0102".into()
        }
    );
}

#[test]
fn activity_in_an_expired_licence_or_outside_all_opens_an_incident() {
    let w = Watch::new(Policy::default(), licences());
    assert_eq!(
        verdict(&w, &point("FL-1", at(3), 73.20, 49.90, "excavation")),
        Verdict::LicenceExpired {
            licence: "KZ-SU-0077".into(),
            valid_until: chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("a date")
        }
    );
    assert_eq!(
        verdict(&w, &point("FL-1", at(3), 73.50, 49.50, "excavation")),
        Verdict::OutsideAnyLicence
    );
}

#[test]
fn a_footprint_reaching_past_a_licence_edge_is_named_as_such() {
    let w = Watch::new(Policy::default(), licences());
    let mut d = point("FL-2", at(4), 0.0, 0.0, "excavation");
    // Straddles the copper licence's west edge at 72.98.
    d.footprint = json!({ "type": "Polygon", "coordinates": square(72.98, 49.80, 0.002) });
    assert_eq!(
        verdict(&w, &d),
        Verdict::ExtendsOutsideLicence {
            licence: "KZ-SU-0101".into()
        }
    );
    // Well inside: licensed.
    d.footprint = json!({ "type": "Polygon", "coordinates": square(72.99, 49.80, 0.002) });
    assert!(matches!(verdict(&w, &d), Verdict::Licensed { .. }));
}

#[test]
fn the_same_site_seen_on_three_flights_is_one_incident_a_site_a_kilometre_away_another() {
    let mut w = Watch::new(Policy::default(), licences());
    let site = (73.50, 49.50);
    let outcomes = [
        w.record(&point("FL-10", at(3), site.0, site.1, "excavation"), at(30)),
        w.record(
            &point("FL-11", at(10), site.0 + 0.001, site.1, "heavy_machinery"),
            at(30),
        ),
        w.record(
            &point("FL-12", at(17), site.0, site.1 + 0.001, "stockpile"),
            at(30),
        ),
        w.record(
            &point("FL-12", at(17), site.0 + 0.014, site.1, "excavation"),
            at(30),
        ),
    ];
    let ids: Vec<(String, u64)> = outcomes
        .into_iter()
        .map(|o| match o.expect("judged") {
            Outcome::Opened { incident, .. } => ("opened".into(), incident),
            Outcome::Folded { incident, .. } => ("folded".into(), incident),
            Outcome::Noted { .. } => ("noted".into(), 0),
        })
        .collect();
    let expected: Vec<(String, u64)> = vec![
        ("opened".into(), 1),
        ("folded".into(), 1),
        ("folded".into(), 1),
        ("opened".into(), 2),
    ];
    assert_eq!(ids, expected);
    let first = &w.incidents()[0];
    assert_eq!(
        first.flights.iter().map(String::as_str).collect::<Vec<_>>(),
        ["FL-10", "FL-11", "FL-12"]
    );
    assert_eq!((first.first_seen, first.last_seen), (at(3), at(17)));
    assert_eq!(first.sightings.len(), 3);
    assert_eq!(
        first.sightings[1].image.as_deref(),
        Some("img/FL-11/73.501.jpg")
    );
}

#[test]
fn a_closed_incident_takes_no_more_detections() {
    let mut w = Watch::new(Policy::default(), licences());
    w.record(&point("FL-10", at(3), 73.5, 49.5, "excavation"), at(30))
        .expect("judged");
    assert!(w.close(1));
    let again = w
        .record(&point("FL-13", at(24), 73.5, 49.5, "excavation"), at(30))
        .expect("judged");
    assert!(
        matches!(again, Outcome::Opened { incident: 2, .. }),
        "{again:?}"
    );
}

#[test]
fn an_unsure_detection_is_noted_not_an_incident() {
    let mut w = Watch::new(Policy::default(), licences());
    let mut d = point("FL-1", at(3), 73.5, 49.5, "excavation");
    d.confidence = 0.3;
    assert_eq!(
        w.record(&d, at(30)).expect("judged"),
        Outcome::Noted {
            verdict: Verdict::LowConfidence
        }
    );
    assert!(w.incidents().is_empty());
}

#[test]
fn detections_that_cannot_be_judged_are_refused_with_a_code() {
    let w = Watch::new(Policy::default(), licences());
    let good = point("FL-1", at(3), 73.5, 49.5, "excavation");
    let bow_tie = json!({ "type": "Polygon", "coordinates": [[[73.0, 49.0], [73.1, 49.1], [73.1, 49.0], [73.0, 49.1], [73.0, 49.0]]] });
    let cases = [
        (
            DetectionInput {
                confidence: 1.5,
                ..good.clone()
            },
            codes::INVALID_CONFIDENCE,
        ),
        (
            DetectionInput {
                at: at(30) + Duration::hours(1),
                ..good.clone()
            },
            codes::TIME_IN_FUTURE,
        ),
        (
            DetectionInput {
                footprint: json!({ "type": "Point", "coordinates": [200.0, 49.0] }),
                ..good.clone()
            },
            codes::INVALID_FOOTPRINT,
        ),
        (
            DetectionInput {
                footprint: json!({ "type": "LineString", "coordinates": [] }),
                ..good.clone()
            },
            codes::INVALID_FOOTPRINT,
        ),
        (
            DetectionInput {
                footprint: bow_tie,
                ..good.clone()
            },
            codes::INVALID_FOOTPRINT,
        ),
        (
            DetectionInput {
                flight: " ".into(),
                ..good.clone()
            },
            codes::INVALID_DETECTION,
        ),
    ];
    for (bad, code) in cases {
        assert_eq!(
            w.assess(&bad, at(30)).expect_err("refused").code,
            code,
            "{bad:?}"
        );
    }
}

#[test]
fn a_licence_file_with_problems_is_refused_naming_each() {
    let file = json!({ "type": "FeatureCollection", "features": [
        licence("KZ-SU-1", "", "2020-01-01", "2030-12-31", square(73.0, 49.8, 0.01)),
        licence("KZ-SU-2", "Holder", "2031-01-01", "2030-12-31", square(73.1, 49.8, 0.01)),
        licence("KZ-SU-3", "Holder", "someday", "2030-12-31", square(73.2, 49.8, 0.01)),
        licence("KZ-SU-4", "Holder", "2020-01-01", "2030-12-31", json!([[[73.0, 49.0], [73.1, 49.1], [73.1, 49.0], [73.0, 49.1], [73.0, 49.0]]])),
    ]});
    let refused = Licences::from_geojson(&file.to_string()).expect_err("refused");
    let features: Vec<Option<usize>> = refused.0.iter().map(|p| p.feature).collect();
    assert_eq!(
        features,
        [Some(3), Some(0), Some(1), Some(2)],
        "{refused:?}"
    );
    assert!(refused.0[0].message.contains("self_intersection"));
    assert!(refused.0[1].message.contains("no holder"));
    assert!(refused.0[2].message.contains("ends before it starts"));
}

#[test]
fn with_no_licence_file_every_sure_detection_is_outside_any_licence() {
    let mut w = Watch::new(Policy::default(), Licences::none());
    assert_eq!(
        verdict(&w, &point("FL-1", at(3), 73.0, 49.8, "excavation")),
        Verdict::OutsideAnyLicence
    );
    w.record(&point("FL-1", at(3), 73.0, 49.8, "excavation"), at(30))
        .expect("judged");
    // Restored from the store, numbering goes on.
    let mut restored =
        Watch::new(Policy::default(), licences()).with_incidents(w.incidents().to_vec());
    let next = restored
        .record(&point("FL-2", at(4), 74.0, 49.8, "excavation"), at(30))
        .expect("judged");
    assert!(
        matches!(next, Outcome::Opened { incident: 2, .. }),
        "{next:?}"
    );
}
