//! Drone watch over HTTP: a licence file loaded (or refused naming each feature), detections
//! judged line by line, one incident per site across flights, closed with a reason, and the
//! incidents still there after a restart.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::*;

fn licences() -> Value {
    let square = |lon: f64, lat: f64, h: f64| {
        json!([[
            [lon - h, lat - h],
            [lon + h, lat - h],
            [lon + h, lat + h],
            [lon - h, lat + h],
            [lon - h, lat - h]
        ]])
    };
    json!({ "type": "FeatureCollection", "features": [
        { "type": "Feature", "properties": { "id": "KZ-SU-0101", "holder": "Kazakh Copper LLP", "valid_from": "2020-01-01", "valid_until": "2030-12-31" }, "geometry": { "type": "Polygon", "coordinates": square(73.0, 49.8, 0.02) } },
        { "type": "Feature", "properties": { "id": "KZ-SU-0077", "holder": "Gravel Partners", "valid_from": "2015-05-01", "valid_until": "2025-06-30" }, "geometry": { "type": "Polygon", "coordinates": square(73.2, 49.9, 0.01) } }
    ]})
}

fn detection(flight: &str, lon: f64, lat: f64) -> String {
    json!({ "flight": flight, "at": "2026-11-24T06:30:00Z", "class": "excavation", "footprint": { "type": "Point", "coordinates": [lon, lat] }, "confidence": 0.9, "image": format!("img/{flight}.jpg") }).to_string()
}

#[tokio::test]
async fn detections_outside_licences_open_incidents_that_fold_by_site_and_survive_a_restart() {
    let s = Server::start().await;
    let mut bad = licences();
    bad["features"][1]["properties"]["holder"] = json!("");
    let (status, refused) = s
        .call(
            Method::PUT,
            "/v1/drones/licences",
            Some(&s.admin),
            Some(bad.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["error"]["details"][0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("feature 1"),
        "{refused}"
    );
    let (status, loaded) = s
        .call(
            Method::PUT,
            "/v1/drones/licences",
            Some(&s.admin),
            Some(licences().to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    assert_eq!(loaded["licences"], 2);

    let lines = [
        detection("FL-1", 72.99, 49.80), // licensed
        detection("FL-1", 73.20, 49.90), // the gravel licence expired
        detection("FL-1", 73.50, 49.50), // outside any
        r#"{"flight": "FL-1", "confidence": 2}"#.into(),
        detection("FL-2", 73.501, 49.50), // the same site, next flight
    ];
    let (status, report) = s
        .post("/v1/drones/detections", &s.ingest, &lines.join("\n"))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let outcomes: Vec<(i64, &str)> = report["judged"]
        .as_array()
        .expect("judged")
        .iter()
        .map(|j| {
            (
                j["line"].as_i64().unwrap_or(0),
                j["outcome"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [(1, "noted"), (2, "opened"), (3, "opened"), (5, "folded")]
    );
    assert_eq!(report["rejected"][0]["line"], 4);
    assert_eq!(
        report["judged"][1]["verdict"],
        json!({ "verdict": "licence_expired", "licence": "KZ-SU-0077", "valid_until": "2025-06-30" })
    );

    let (_, incidents) = s.get("/v1/drones/incidents", &s.almaty).await;
    assert_eq!(incidents.as_array().map(Vec::len), Some(2));
    let site = &incidents[0];
    assert_eq!(site["flights"], json!(["FL-1", "FL-2"]));
    let id = site["id"].as_u64().expect("id");
    let path = format!("/v1/drones/incidents/{id}/close");
    assert_eq!(
        s.post(&path, &s.almaty, r#"{"reason": " "}"#).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        s.post(
            &path,
            &s.almaty,
            r#"{"reason": "inspected: a licensed contractor's spoil heap"}"#
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        s.post(&path, &s.almaty, r#"{"reason": "again"}"#).await.0,
        StatusCode::CONFLICT
    );

    // The store keeps the licences and the incidents: a new server picks both up.
    let store = s.stop().await;
    let watch = iz_api::load_drone_watch(&*store).expect("loaded");
    assert_eq!(watch.licences().len(), 2);
    assert_eq!(watch.incidents().len(), 2);
    assert!(watch.incidents().iter().any(|i| i.id == id && i.closed));
}
