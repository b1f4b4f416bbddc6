//! Cameras: a wanted vehicle entered through the API is found by a number-plate camera's read,
//! and the alert carries the characters compared; a face template of the wrong shape is refused
//! at the door with its line.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

fn vehicle_entry(person: i64, plate: &str) -> String {
    json!({
        "kind": "vehicle",
        "person": {},
        "vehicle": {"plate": plate, "description": "white Toyota Camry"},
        "link": {"watch_id": person},
        "legal_basis": {"kind": "search_order", "reference": "SO-2026-0007", "authority": "Almaty city police", "issued_on": "2026-10-01"},
        "expires_at": "2027-10-01T00:00:00Z",
        "region": "KZ-75",
        "priority": "high",
        "category": "evading_investigation",
    })
    .to_string()
}

fn plate_read(id: &str, plate: &str, confidence: f32) -> String {
    json!({
        "id": id, "kind": "plate_read", "source": "anpr", "occurred_at": "2026-11-25T09:59:00Z",
        "place": {"region": "KZ-75", "lat": 43.2389, "lon": 76.8897, "office": "Al-Farabi / Nauryzbai batyr"},
        "plate": {"camera": "ALA-017", "plate": plate, "confidence": confidence},
    })
    .to_string()
}

#[tokio::test]
async fn a_wanted_vehicle_is_found_by_a_misread_plate_with_the_characters_compared() {
    let s = Server::start().await;
    let person = s.add_wanted(IIN, "evading_court").await;
    let (status, vehicle) = s
        .post(
            "/v1/watchlist",
            &s.admin,
            &vehicle_entry(person, "123 АВС 02"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{vehicle}");
    assert_eq!(vehicle["kind"], "vehicle");
    assert_eq!(vehicle["link"]["watch_id"], person);

    // The camera read the leading 1 as I; a read of another car hits nothing.
    let (status, report) = s
        .post_events(&[
            plate_read("r-1", "I23ABC02", 0.97),
            plate_read("r-2", "456 XYZ 03", 0.99),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 2);
    assert_eq!(report["hits"], 1);

    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let alert = &alerts[0];
    assert_eq!(alert["kind"], "vehicle");
    assert_eq!(alert["matcher"], "plate");
    assert_eq!(alert["watch_id"], vehicle["id"]);
    assert_eq!(alert["matched"][0]["how"], "1 OCR confusion(s)");
    let score = alert["score"].as_f64().expect("score");
    assert!(score > 0.9 && score < 1.0, "{score}");

    let id = alert["id"].as_i64().expect("id");
    let (_, detail) = s.get(&format!("/v1/alerts/{id}"), &s.almaty).await;
    let alignment = &detail["hits"][0]["hit"]["explanation"]["alignment"];
    let pairings: Vec<&str> = alignment
        .as_array()
        .expect("the characters compared")
        .iter()
        .map(|a| a["pairing"].as_str().expect("pairing"))
        .collect();
    assert_eq!(pairings[0], "ocr_confusion");
    assert!(pairings[1..].iter().all(|p| *p == "same"), "{pairings:?}");
    s.stop().await;
}

#[tokio::test]
async fn a_vehicle_entry_without_a_link_or_a_plate_is_refused() {
    let s = Server::start().await;
    let mut entry: serde_json::Value =
        serde_json::from_str(&vehicle_entry(1, "123ABC02")).expect("json");
    entry.as_object_mut().expect("object").remove("link");
    let (status, body) = s.post("/v1/watchlist", &s.admin, &entry.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["details"][0]["field"], "link");
    s.stop().await;
}

#[tokio::test]
async fn camera_events_of_the_wrong_shape_are_refused_by_line() {
    let s = Server::start().await;
    let short_template = json!({
        "id": "f-1", "kind": "face_sighting", "source": "cams", "occurred_at": "2026-11-25T09:59:00Z",
        "face": {"camera": "AST-3", "template": [0.6, 0.8]},
    })
    .to_string();
    let bad_plate = plate_read("r-3", "12$ABC02", 0.9);
    let (status, report) = s
        .post_events(&[
            plate_read("r-4", "777 KZ 01", 0.9),
            short_template,
            bad_plate,
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 1);
    let rejected = report["rejected"].as_array().expect("rejected");
    assert_eq!(rejected.len(), 2);
    assert_eq!(
        (rejected[0]["line"].as_u64(), rejected[0]["code"].as_str()),
        (Some(2), Some("invalid_template"))
    );
    assert!(
        rejected[0]["message"]
            .as_str()
            .expect("message")
            .contains("2 components")
    );
    assert_eq!(
        (rejected[1]["line"].as_u64(), rejected[1]["code"].as_str()),
        (Some(3), Some("invalid_plate"))
    );
    s.stop().await;
}

/// A unit vector of 512 components pointing mostly along axis `axis`, tilted by `tilt` toward
/// axis `axis + 1`.
fn template(axis: usize, tilt: f32) -> Vec<f32> {
    let mut v = vec![0.0f32; 512];
    v[axis] = 1.0;
    v[axis + 1] = tilt;
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter().map(|x| x / norm).collect()
}

fn sighting(id: &str, template: &[f32]) -> String {
    json!({
        "id": id, "kind": "face_sighting", "source": "cams", "occurred_at": "2026-11-25T09:59:00Z",
        "place": {"region": "KZ-75", "office": "Almaty-1 station, hall"},
        "face": {"camera": "ALA-RW-2", "template": template},
    })
    .to_string()
}

#[tokio::test]
async fn a_face_alert_needs_two_different_people_to_confirm_it() {
    let s = Server::start_with(iz_api::ApiConfig {
        workers: 2,
        queue: 4,
        two_person_faces: true,
        ..iz_api::ApiConfig::default()
    })
    .await;
    let mut entry: serde_json::Value =
        serde_json::from_str(&entry_json(IIN, "evading_court")).expect("json");
    entry["faces"] = json!([template(0, 0.0), template(0, 0.1)]);
    let (status, stored) = s.post("/v1/watchlist", &s.admin, &entry.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    assert_eq!(
        stored["face_templates"], 2,
        "templates are counted, never shown"
    );

    // A stranger's face matches nothing; a close one hits with its score and threshold.
    let (_, report) = s
        .post_events(&[
            sighting("f-1", &template(10, 0.0)),
            sighting("f-2", &template(0, 0.3)),
        ])
        .await;
    assert_eq!(
        (report["accepted"].as_u64(), report["hits"].as_u64()),
        (Some(2), Some(1))
    );
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let alert = &alerts[0];
    assert_eq!(alert["matcher"], "face");
    let id = alert["id"].as_i64().expect("id");
    let (_, detail) = s.get(&format!("/v1/alerts/{id}"), &s.almaty).await;
    let explained = &detail["hits"][0]["hit"]["explanation"];
    assert_eq!(explained["threshold_source"]["from"], "default");
    assert!(explained["score"].as_f64().expect("score") > 0.9);

    let confirm = r#"{"decision":"confirm","reason":"face checked against the photo on file"}"#;
    let review = format!("/v1/alerts/{id}/review");
    let (status, first) = s.post(&review, &s.admin, confirm).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        first["status"], "open",
        "one person's confirmation is not enough"
    );
    assert!(first["first_confirmation"]["by"].is_string());
    let (status, again) = s.post(&review, &s.admin, confirm).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, second) = s.post(&review, &s.almaty, confirm).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["status"], "confirmed");
    s.stop().await;
}
