//! `POST /v1/events`: every bad line is named and the rest goes on.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

#[tokio::test]
async fn a_batch_with_bad_lines_accepts_the_good_ones_and_names_the_bad() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_investigation").await;
    let lines = vec![
        event("b-1", "egov", 0, "KZ-75", by_iin(OTHER_IIN)),
        event("b-2", "egov", 0, "KZ-75", by_iin(IIN)),
        event("b-3", "egov", 0, "KZ-75", by_iin("900514300122")), // wrong check digit
        "this is not json".to_string(),
        event("b-5", "egov", 0, "KZ-75", by_iin("901345300121")), // month 13
        json!({"id": "b-6", "kind": "teleport", "source": "egov", "occurred_at": t0().to_rfc3339()}).to_string(),
        json!({"id": "b-7", "kind": "ticket", "source": "rail"}).to_string(),
        json!({"id": "b-8", "kind": "ticket", "source": "rail", "occurred_at": "25.11.2026 10:00"}).to_string(),
        json!({"id": "b-9", "kind": "ticket", "source": "rail", "occurred_at": "2030-01-01T00:00:00Z"}).to_string(),
    ];
    let (status, report) = s.post_events(&lines).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 2);
    let rejected: Vec<(u64, String)> = report["rejected"]
        .as_array()
        .expect("rejected list")
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("line"),
                r["code"].as_str().expect("code").to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (3, "invalid_iin".to_string()),
            (4, "invalid_json".to_string()),
            (5, "invalid_iin".to_string()),
            (6, "unknown_event_kind".to_string()),
            (7, "missing_field".to_string()),
            (8, "invalid_time".to_string()),
            (9, "time_in_future".to_string()),
        ]
    );
    assert_eq!(report["hits"], 1);
    s.stop().await;
}

#[tokio::test]
async fn an_impossible_birth_date_in_the_iin_is_explained() {
    let s = Server::start().await;
    let (_, report) = s
        .post_events(&[event("d-1", "egov", 0, "KZ-75", by_iin("900230300121"))])
        .await;
    let message = report["rejected"][0]["message"].as_str().expect("message");
    assert!(message.contains("1990-02-30"), "{message}");
    s.stop().await;
}

#[tokio::test]
async fn a_repeated_event_id_is_accepted_once_and_alerts_once() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    let line = event("r-1", "egov", 0, "KZ-75", by_iin(IIN));
    let (_, first) = s.post_events(&[line.clone(), line.clone()]).await;
    assert_eq!(
        (first["accepted"].as_u64(), first["duplicates"].as_u64()),
        (Some(1), Some(1))
    );
    let (_, again) = s.post_events(std::slice::from_ref(&line)).await;
    assert_eq!(
        (
            again["accepted"].as_u64(),
            again["duplicates"].as_u64(),
            again["hits"].as_u64()
        ),
        (Some(0), Some(1), Some(0))
    );
    let (_, alerts) = s.get("/v1/alerts", &s.admin).await;
    assert_eq!(alerts.as_array().map(Vec::len), Some(1));
    assert_eq!(alerts[0]["count"], 1, "a resent event must not count twice");
    // The same id from another source is another event.
    let (_, other) = s
        .post_events(&[event("r-1", "hotels", 0, "KZ-75", by_iin(OTHER_IIN))])
        .await;
    assert_eq!(other["accepted"], 1);
    s.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let s = Server::start_with(iz_api::ApiConfig {
        body_limit: 4096,
        workers: 1,
        queue: 2,
        ..iz_api::ApiConfig::default()
    })
    .await;
    let lines: Vec<String> = (0..100)
        .map(|i| event(&format!("big-{i}"), "egov", 0, "KZ-75", by_iin(OTHER_IIN)))
        .collect();
    let (status, body) = s.post_events(&lines).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "body_too_large");
    let (status, _) = s.post_events(&lines[..5]).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a batch under the limit still goes through"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_json_array_is_numbered_by_element() {
    let s = Server::start().await;
    let body = format!(
        "[{},{}]",
        event("a-1", "egov", 0, "KZ-75", by_iin(OTHER_IIN)),
        json!({"id": "a-2"})
    );
    let (status, report) = s.post("/v1/events", &s.ingest, &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["accepted"], 1);
    assert_eq!(report["rejected"][0]["line"], 2);
    let (status, broken) = s.post("/v1/events", &s.ingest, "[{\"id\":").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(broken["error"]["code"], "invalid_json");
    s.stop().await;
}

#[tokio::test]
async fn events_that_hit_nothing_are_counted_not_kept() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    let lines: Vec<String> = (0..50)
        .map(|i| event(&format!("n-{i}"), "egov", 0, "KZ-75", by_iin(OTHER_IIN)))
        .collect();
    s.post_events(&lines).await;
    s.post_events(&[event("h-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (_, stats) = s.get("/v1/stats", &s.admin).await;
    assert_eq!(stats["events_total"], 51);
    assert_eq!(stats["hits_total"], 1);
    let store = s.stop().await;
    // Only the hit's event is in the store; the other fifty left no trace but a count.
    let alerts = iz_store::Store::list_alerts(
        store.as_ref(),
        &iz_store::AlertFilter {
            limit: 100,
            ..Default::default()
        },
    )
    .expect("alerts");
    let kept = iz_store::Store::alert_hits(store.as_ref(), alerts[0].id).expect("hits");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].event_id, "h-1");
}
