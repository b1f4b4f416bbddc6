use iz_geo::{Containment, Point, ZoneSet};

fn codes(text: &str) -> Vec<(Option<usize>, &'static str)> {
    match ZoneSet::from_geojson(text) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| (p.feature, p.code)).collect(),
    }
}

fn fc(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn poly(id: &str, rings: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"id":{id}}},"geometry":{{"type":"Polygon","coordinates":{rings}}}}}"#
    )
}

const SQUARE: &str = "[[[70,45],[71,45],[71,46],[70,46],[70,45]]]";

#[test]
fn ids_strings_numbers_3d_and_holes() {
    let holed = "[[[72,45,0],[74,45,0],[74,47,0],[72,47,0],[72,45,0]],[[72.5,45.5,0],[73.5,45.5,0],[73.5,46.5,0],[72.5,46.5,0],[72.5,45.5,0]]]";
    let (set, notes) =
        ZoneSet::from_geojson(&fc(&[poly("\"a\"", SQUARE), poly("7", holed)])).expect("valid");
    assert!(notes.is_empty(), "{notes:?}");
    let ids: Vec<&str> = set.zones().iter().map(|z| z.id.as_str()).collect();
    assert_eq!(ids, ["a", "7"]);
    let at = |lat, lon| set.locate(Point::new(lat, lon).expect("on earth"));
    assert_eq!(at(45.5, 70.5), [0]);
    assert_eq!(at(45.2, 72.2), [1]);
    assert_eq!(at(46.0, 73.0), Vec::<u32>::new(), "in the hole");
    assert_eq!(at(45.0, 70.5), [0], "the boundary is inside");
    assert_eq!(at(50.0, 70.5), Vec::<u32>::new());
}

#[test]
fn impossible_coordinates_are_rejected_each_with_its_feature() {
    let f = [
        poly("1", "[[[70,95],[71,45],[71,46],[70,45]]]"),
        poly("2", "[[[190,45],[71,45],[71,46],[190,45]]]"),
        poly("3", "[[[\"x\",45],[71,45],[71,46],[70,45]]]"),
        poly("4", SQUARE),
    ];
    assert_eq!(
        codes(&fc(&f)),
        [
            (Some(0), "invalid_coordinate"),
            (Some(1), "invalid_coordinate"),
            (Some(1), "invalid_coordinate"),
            (Some(2), "invalid_coordinate")
        ]
    );
    assert!(Point::new(91.0, 0.0).is_err());
    assert!(Point::new(0.0, -180.5).is_err());
    assert!(Point::new(f64::NAN, 0.0).is_err());
    assert!(Point::new(43.2, 76.9).is_ok());
}

#[test]
fn unclosed_ring_is_closed_and_noted() {
    let (set, notes) =
        ZoneSet::from_geojson(&fc(&[poly("1", "[[[70,45],[71,45],[71,46],[70,46]]]")]))
            .expect("repaired");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].code, "ring_closed");
    assert_eq!(notes[0].feature, Some(0));
    assert_eq!(set.locate(Point::new(45.5, 70.5).expect("p")), [0]);
}

#[test]
fn short_rings_self_intersections_and_duplicate_ids_are_all_reported() {
    let f = [
        poly("1", "[[[70,45],[71,45],[70,45]]]"),
        poly("2", "[[[70,45],[72,47],[72,45],[70,47],[70,45]]]"),
        poly("2", SQUARE),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[70,45],[71,45],[71,46],[70,45]]]}}"#.to_string(),
        r#"{"type":"Feature","properties":{"id":"l"},"geometry":{"type":"LineString","coordinates":[[70,45],[71,45]]}}"#.to_string(),
    ];
    let err = ZoneSet::from_geojson(&fc(&f)).expect_err("invalid");
    let got: Vec<_> = err.problems().iter().map(|p| (p.feature, p.code)).collect();
    assert_eq!(
        got,
        [
            (Some(0), "ring_too_short"),
            (Some(1), "self_intersection"),
            (Some(2), "duplicate_id"),
            (Some(3), "missing_id"),
            (Some(4), "unsupported_geometry")
        ]
    );
    let si = &err.problems()[1].message;
    assert!(
        si.contains("ring 0 segment 0 and ring 0 segment 2 cross at (71.0000000, 46.0000000)"),
        "{si}"
    );
}

#[test]
fn a_hole_crossing_its_exterior_is_rejected() {
    let rings =
        "[[[70,45],[72,45],[72,47],[70,47],[70,45]],[[71,46],[73,46],[73,46.5],[71,46.5],[71,46]]]";
    let err = ZoneSet::from_geojson(&fc(&[poly("1", rings)])).expect_err("invalid");
    assert!(err.problems().iter().all(|p| p.code == "self_intersection"));
    assert!(
        err.problems()[0]
            .message
            .contains("ring 0 segment 1 and ring 1 segment"),
        "{}",
        err.problems()[0].message
    );
}

#[test]
fn not_json_and_not_geojson() {
    assert!(matches!(
        ZoneSet::from_geojson("{"),
        Err(iz_geo::GeoError::Json(_))
    ));
    assert_eq!(codes(r#"{"type":"Topology"}"#), [(None, "invalid_geojson")]);
}

#[test]
fn multipolygon_and_circle() {
    let multi = r#"{"type":"Feature","properties":{"id":"m"},"geometry":{"type":"MultiPolygon","coordinates":[[[[70,45],[71,45],[71,46],[70,46],[70,45]]],[[[75,45],[76,45],[76,46],[75,46],[75,45]]]]}}"#;
    let circle = r#"{"type":"Feature","properties":{"id":"home","radius_m":500},"geometry":{"type":"Point","coordinates":[76.9,43.25]}}"#;
    let (set, _) =
        ZoneSet::from_geojson(&fc(&[multi.to_string(), circle.to_string()])).expect("valid");
    let p = |lat, lon| Point::new(lat, lon).expect("p");
    assert_eq!(set.locate(p(45.5, 75.5)), [0]);
    assert_eq!(set.locate(p(45.5, 73.0)), Vec::<u32>::new());
    assert_eq!(
        set.locate(p(43.2530, 76.9)),
        [1],
        "333 m north of the centre"
    );
    assert_eq!(
        set.locate(p(43.2550, 76.9)),
        Vec::<u32>::new(),
        "556 m north"
    );
    let home = &set.zones()[1];
    assert_eq!(home.classify(p(43.25, 76.9), 100.0), Containment::Inside);
    assert_eq!(
        home.classify(p(43.2540, 76.9), 100.0),
        Containment::Uncertain
    );
    assert_eq!(home.classify(p(43.2600, 76.9), 100.0), Containment::Outside);
}

#[test]
fn distance_to_a_square_boundary() {
    let (set, _) = ZoneSet::from_geojson(&fc(&[poly("1", SQUARE)])).expect("valid");
    let z = &set.zones()[0];
    // 0.01° of latitude south of the north edge at 46°N: 1,111.95 m.
    let p = Point::new(45.99, 70.5).expect("p");
    let d = z.distance_to_boundary_m(p);
    assert!((d - 1111.95).abs() < 1.0, "{d}");
    assert_eq!(z.classify(p, 1000.0), Containment::Inside);
    assert_eq!(z.classify(p, 1200.0), Containment::Uncertain);
    let out = Point::new(46.02, 70.5).expect("p");
    assert_eq!(z.classify(out, 1000.0), Containment::Outside);
    // East of the east edge by 0.01° of longitude at 45.5°N: 1,111.95 · cos 45.5° = 779.4 m.
    let e = z.distance_to_boundary_m(Point::new(45.5, 71.01).expect("p"));
    assert!((e - 779.4).abs() < 1.0, "{e}");
}

#[test]
fn real_regions_load_and_the_pinched_ring_is_noted() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/geo/kz-adm1.geojson"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    for f in v["features"].as_array_mut().expect("features") {
        let code = f["properties"]["ADM1_PCODE"].clone();
        f["properties"]["id"] = code;
    }
    let (set, notes) = ZoneSet::from_geojson(&v.to_string()).expect("the real regions are valid");
    assert_eq!(set.zones().len(), 20);
    assert!(notes.iter().all(|n| n.code == "ring_touch"), "{notes:?}");
    assert!(notes.iter().any(|n| n.feature == Some(19)), "{notes:?}");
    // Almaty city (KAZ... whichever contains it): exactly one region.
    assert_eq!(set.locate(Point::new(43.238, 76.945).expect("p")).len(), 1);
    assert_eq!(
        set.locate(Point::new(51.128, 71.430).expect("p")).len(),
        1,
        "Astana"
    );
    assert!(
        set.locate(Point::new(55.75, 37.61).expect("p")).is_empty(),
        "Moscow"
    );
}
