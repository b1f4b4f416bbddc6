//! Probation supervision over HTTP: an officer enrols a person with restrictions, a bracelet's
//! pings come in (bad lines named, the rest judged), a violation opens once and is handled by
//! the officer; another officer sees none of it; sent referrals reach the social-services
//! platform's webhook, retried until it answers, with one idempotency key.

use std::sync::Arc;

use axum::http::HeaderMap;
use iz_api::ApiConfig;
use iz_model::{Actor, Region, Role};
use iz_store::{Store, SupervisionStore};
use parking_lot::Mutex;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;

/// A probation officer's token for KZ-75 and the caseload name it acts as.
fn officer(s: &Server) -> (String, String) {
    let (secret, hash) = iz_api::new_token();
    let info = s
        .store
        .add_token(
            hash,
            Role::ProbationOfficer,
            Some(Region::parse("KZ-75").expect("region")),
            "officer",
            &Actor::system("test"),
            t0(),
        )
        .expect("token");
    (secret, format!("token:{}", info.id))
}

/// 43.238 N 76.945 E, central Almaty; the victim lives 2 km north.
const HOME: (f64, f64) = (43.2380, 76.9450);
const VICTIM: (f64, f64) = (43.2560, 76.9450);

fn order(officer: &str, device: &str) -> Value {
    json!({
        "name": "Ерлан Асанов",
        "officer": officer,
        "region": "KZ-75",
        "legal_basis": { "kind": "court_decision", "reference": "CD-2026-1182", "authority": "Almalinsky district court of Almaty", "issued_on": "2026-09-01" },
        "term": { "from": "2026-09-01T00:00:00Z", "until": "2027-09-01T00:00:00Z" },
        "devices": [device],
        "restrictions": {
            "home": { "id": "city", "label": "Almaty", "geometry": { "type": "Point", "coordinates": [HOME.1, HOME.0] }, "radius_m": 15000 },
            "exclusions": [{ "id": "victim-home", "label": "The victim's address", "geometry": { "type": "Point", "coordinates": [VICTIM.1, VICTIM.0] }, "radius_m": 300 }],
            "curfews": [{ "days": ["mon", "tue", "wed", "thu", "fri"], "start": "22:00", "end": "06:00", "zone": { "id": "flat", "geometry": { "type": "Point", "coordinates": [HOME.1, HOME.0] }, "radius_m": 100 } }]
        },
        "needs": ["employment", "housing"]
    })
}

/// A ping `at_s` seconds into the ten minutes before the server's clock.
fn ping(device: &str, at_s: i64, p: (f64, f64), accuracy: f64) -> String {
    let at = t0() - chrono::Duration::minutes(10) + chrono::Duration::seconds(at_s);
    json!({ "device": device, "lat": p.0, "lon": p.1, "accuracy_m": accuracy, "battery": 80, "at": at }).to_string()
}

fn config() -> ApiConfig {
    ApiConfig {
        workers: 2,
        queue: 4,
        supervision: iz_supervision::Policy {
            reorder_hold_s: 0,
            ..Default::default()
        },
        ..ApiConfig::default()
    }
}

#[tokio::test]
async fn an_officer_enrols_a_person_and_a_violation_opens_once_from_the_pings() {
    let s = Server::start_with(config()).await;
    let (token, me) = officer(&s);
    let (status, enrolled) = s
        .post(
            "/v1/supervision/persons",
            &token,
            &order(&me, "BR-1001").to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolled}");
    let id = enrolled["person"]["id"].as_i64().expect("id");
    let proposed: Vec<&str> = enrolled["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .map(|r| r["rule"]["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(proposed, ["employment-centre", "housing-akimat"]);

    // 09:50 UTC is 14:50 in Almaty: no curfew. Two good fixes at the victim's door, a bad line between.
    let batch = [
        ping("BR-1001", 0, HOME, 10.0),
        "{not json".to_string(),
        ping("BR-1001", 60, VICTIM, 15.0),
        ping("BR-9999", 60, VICTIM, 15.0),
        ping("BR-1001", 90, VICTIM, -1.0),
        ping("BR-1001", 120, VICTIM, 15.0),
    ];
    let (status, report) = s
        .post("/v1/supervision/pings", &s.ingest, &batch.join("\n"))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 3);
    let refused: Vec<(i64, &str)> = report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap_or(0),
                r["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            (2, "invalid_observation"),
            (4, "unknown_device"),
            (5, "invalid_accuracy")
        ]
    );
    let opened = report["violations"].as_array().expect("violations");
    assert_eq!(opened.len(), 1, "{report}");
    assert_eq!(
        (opened[0]["kind"].as_str(), opened[0]["zone"].as_str()),
        (Some("exclusion"), Some("victim-home"))
    );

    // More fixes there: still one violation.
    let (_, again) = s
        .post(
            "/v1/supervision/pings",
            &s.ingest,
            &[
                ping("BR-1001", 180, VICTIM, 15.0),
                ping("BR-1001", 240, VICTIM, 15.0),
            ]
            .join("\n"),
        )
        .await;
    assert_eq!(again["violations"], json!([]));
    let (_, caseload) = s.get("/v1/supervision/persons", &token).await;
    assert_eq!(caseload.as_array().map(Vec::len), Some(1));
    assert_eq!(caseload[0]["open_violations"], 1);
    assert_eq!(caseload[0]["status"]["violating"][0]["kind"], "exclusion");

    let violation = opened[0]["id"].as_i64().expect("violation id");
    let path = format!("/v1/supervision/violations/{violation}");
    let (status, body) = s.post(&path, &token, r#"{"status": "closed"}"#).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed: {body}"
    );
    let (status, _) = s.post(&path, &token, r#"{"status": "acknowledged"}"#).await;
    assert_eq!(status, StatusCode::OK);
    let (status, closed) = s
        .post(
            &path,
            &token,
            r#"{"status": "closed", "note": "called him in; he was visiting a shop next door"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "closed");

    let (_, view) = s
        .get(&format!("/v1/supervision/persons/{id}"), &token)
        .await;
    assert_eq!(view["violations"].as_array().map(Vec::len), Some(1));
    assert_eq!(view["referrals"].as_array().map(Vec::len), Some(2));
    let (_, map) = s
        .get(
            &format!("/v1/supervision/persons/{id}/restrictions"),
            &token,
        )
        .await;
    let kinds: Vec<&str> = map["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["restriction"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["home", "curfew", "exclusion"]);
    s.stop().await;
}

#[tokio::test]
async fn an_order_with_problems_is_refused_whole_and_another_officer_sees_nobody() {
    let s = Server::start_with(config()).await;
    let (token, me) = officer(&s);
    let mut bad = order(&me, "BR-1");
    bad["restrictions"]["exclusions"][0]["radius_m"] = json!(-3);
    bad["restrictions"]["curfews"][0]["start"] = json!("25:00");
    let (status, body) = s
        .post("/v1/supervision/persons", &token, &bad.to_string())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<&str> = body["error"]["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(codes, ["invalid_window", "invalid_zone"], "{body}");
    let (_, caseload) = s.get("/v1/supervision/persons", &s.admin).await;
    assert_eq!(caseload, json!([]), "nothing was stored");

    let (status, someone_else) = s
        .post(
            "/v1/supervision/persons",
            &token,
            &order("token:999", "BR-2").to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{someone_else}");
    let (_, enrolled) = s
        .post(
            "/v1/supervision/persons",
            &token,
            &order(&me, "BR-1").to_string(),
        )
        .await;
    let id = enrolled["person"]["id"].as_i64().expect("id");
    let (other, _) = officer(&s);
    let (status, _) = s
        .get(&format!("/v1/supervision/persons/{id}"), &other)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, theirs) = s.get("/v1/supervision/persons", &other).await;
    assert_eq!(theirs, json!([]));
    let (_, all) = s.get("/v1/supervision/persons", &s.prosecutor).await;
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(1),
        "a prosecutor sees everyone"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_sent_referral_reaches_the_webhook_retried_with_one_idempotency_key() {
    // The social-services platform: the first delivery fails, the next ones succeed.
    let seen: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let platform = {
        let seen = seen.clone();
        axum::Router::new().route(
            "/referrals",
            axum::routing::post(
                move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
                    let seen = seen.clone();
                    async move {
                        let key = headers
                            .get("idempotency-key")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string();
                        let mut seen = seen.lock();
                        seen.push((key, body));
                        if seen.len() == 1 {
                            StatusCode::SERVICE_UNAVAILABLE
                        } else {
                            StatusCode::CREATED
                        }
                    }
                },
            ),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/referrals", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, platform).await });

    let s = Server::start_with(ApiConfig {
        referral_webhook: Some(url),
        delivery_every: std::time::Duration::from_millis(50),
        ..config()
    })
    .await;
    let (token, me) = officer(&s);
    let (_, enrolled) = s
        .post(
            "/v1/supervision/persons",
            &token,
            &order(&me, "BR-1").to_string(),
        )
        .await;
    let referral = enrolled["referrals"][0]["id"].as_i64().expect("a referral");
    let (status, sent) = s
        .post(
            &format!("/v1/supervision/referrals/{referral}"),
            &token,
            r#"{"status": "sent"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");

    let attempts = |n: usize| {
        let seen = seen.clone();
        async move {
            for _ in 0..200 {
                if seen.lock().len() >= n {
                    return true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            false
        }
    };
    assert!(attempts(1).await, "the first delivery is attempted at once");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(seen.lock().len(), 1, "no retry before its time");
    s.clock.advance(chrono::Duration::seconds(6));
    assert!(attempts(2).await, "retried after the back-off");
    s.clock.advance(chrono::Duration::seconds(600));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let seen = seen.lock().clone();
    assert_eq!(seen.len(), 2, "delivered: no more attempts");
    assert!(
        seen.iter()
            .all(|(key, _)| key == &format!("iz-referral-{referral}"))
    );
    assert_eq!(
        seen[1].1["service"],
        enrolled["referrals"][0]["rule"]["service"]
    );
    assert!(
        !seen[1].1.to_string().contains("victim"),
        "nothing about the restrictions is sent"
    );

    // The platform reports progress with its own token; the dashboard counts what was provided.
    let path = format!("/v1/supervision/referrals/{referral}");
    assert_eq!(
        s.post(&path, &s.ingest, r#"{"status": "in_progress"}"#)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        s.post(
            &path,
            &s.ingest,
            r#"{"status": "provided", "note": "hired"}"#
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(s.store.referrals_provided().expect("count"), 1);
    let (status, figures) = s.get("/v1/stats/series?days=1", &s.admin).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(figures["services_provided"], 1, "the dashboard's count");
    let proposal = enrolled["referrals"][1]["id"].as_i64().expect("another");
    let (status, _) = s
        .post(
            &format!("/v1/supervision/referrals/{proposal}"),
            &s.ingest,
            r#"{"status": "sent"}"#,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the officer accepts a proposal"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_ban_on_bars_needs_the_place_catalogue_and_a_night_at_one_opens_a_violation() {
    let bar = iz_supervision::Place {
        id: "bar-7".into(),
        name: "Bar on Abay".into(),
        category: "bar".into(),
        lat: 43.2400,
        lon: 76.9300,
    };
    let mut with_bans = order("", "BR-3003");
    with_bans["restrictions"]["banned_places"] = json!([{ "category": "bar", "radius_m": 50 }]);

    // Without a catalogue the ban means nothing, so the order is refused rather than kept blind.
    let s = Server::start_with(config()).await;
    let (token, me) = officer(&s);
    with_bans["officer"] = json!(me);
    let (status, refused) = s
        .post("/v1/supervision/persons", &token, &with_bans.to_string())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused.to_string().contains("invalid_place_ban"),
        "{refused}"
    );

    let s = Server::start_with(ApiConfig {
        places: vec![bar],
        ..config()
    })
    .await;
    let (token, me) = officer(&s);
    with_bans["officer"] = json!(me);
    let (status, enrolled) = s
        .post("/v1/supervision/persons", &token, &with_bans.to_string())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolled}");
    let at_the_bar = [
        ping("BR-3003", 0, (43.2401, 76.9301), 10.0),
        ping("BR-3003", 60, (43.2400, 76.9300), 10.0),
    ];
    let (status, report) = s
        .post("/v1/supervision/pings", &s.ingest, &at_the_bar.join("\n"))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let opened = report["violations"].as_array().expect("violations");
    assert_eq!(opened.len(), 1, "{report}");
    assert_eq!(
        (
            opened[0]["kind"].as_str(),
            opened[0]["category"].as_str(),
            opened[0]["evidence"]["finding"]["subject"].as_str()
        ),
        (Some("banned_place"), Some("bar"), Some("bar-7"))
    );
}
