//! Licensed areas near Karaganda and drone flights over them, for the demo: six subsoil-use
//! licences (one expired, two overlapping) and a flight that sees activity at ten sites —
//! most inside valid licences, one in the expired one, two outside any. Every flight revisits
//! the same sites, so incidents fold rather than multiply.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// (number, holder, valid from, valid until, centre lon, centre lat, half-size in degrees)
const LICENCES: [(&str, &str, &str, &str, f64, f64, f64); 6] = [
    (
        "KZ-SU-0101",
        "Saryarka Copper LLP",
        "2019-03-01",
        "2031-02-28",
        73.02,
        49.78,
        0.03,
    ),
    (
        "KZ-SU-0102",
        "Steppe Coal JSC",
        "2022-01-15",
        "2030-12-31",
        73.06,
        49.80,
        0.02,
    ),
    (
        "KZ-SU-0140",
        "Nura Aggregates LLP",
        "2021-06-01",
        "2029-05-31",
        73.25,
        49.70,
        0.015,
    ),
    (
        "KZ-SU-0077",
        "Gravel Partners LLP",
        "2015-05-01",
        "2025-06-30",
        73.40,
        49.86,
        0.01,
    ),
    (
        "KZ-SU-0188",
        "Karaganda Limestone JSC",
        "2023-09-01",
        "2033-08-31",
        72.90,
        49.92,
        0.02,
    ),
    (
        "KZ-SU-0203",
        "Temirtau Sand LLP",
        "2024-04-01",
        "2028-03-31",
        72.98,
        50.04,
        0.012,
    ),
];

/// Where the flight sees activity, and what.
const SITES: [(f64, f64, &str); 10] = [
    (73.01, 49.77, "excavation"),
    (73.05, 49.80, "heavy_machinery"),
    (73.03, 49.79, "stockpile"),
    (73.25, 49.705, "excavation"),
    (73.40, 49.862, "excavation"), // the expired gravel licence
    (72.91, 49.915, "heavy_machinery"),
    (72.98, 50.04, "stockpile"),
    (73.55, 49.62, "excavation"),      // outside any licence
    (73.31, 49.95, "heavy_machinery"), // outside any licence
    (72.89, 49.93, "excavation"),
];

/// The licence file, as `PUT /v1/drones/licences` takes it.
pub fn licences() -> Value {
    let features: Vec<Value> = LICENCES
        .iter()
        .map(|&(id, holder, from, until, lon, lat, h)| {
            json!({
                "type": "Feature",
                "properties": { "id": id, "holder": holder, "valid_from": from, "valid_until": until },
                "geometry": { "type": "Polygon", "coordinates": [[[lon - h, lat - h], [lon + h, lat - h], [lon + h, lat + h], [lon - h, lat + h], [lon - h, lat - h]]] },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// Flight `n`'s detections, as `POST /v1/drones/detections` lines, seen at `at`.
pub fn flight(n: u64, at: DateTime<Utc>) -> Vec<Value> {
    SITES
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat, class))| {
            // A few metres apart from flight to flight, as a model's outlines are.
            let jitter = ((n * 7 + i as u64) % 5) as f64 * 0.0002;
            json!({
                "flight": format!("FL-{n:04}"),
                "at": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "class": class,
                "footprint": { "type": "Point", "coordinates": [lon + jitter, lat] },
                "confidence": 0.6 + ((i as u64 + n) % 4) as f64 * 0.1,
                "image": format!("drone://FL-{n:04}/{i:02}.jpg"),
            })
        })
        .collect()
}
