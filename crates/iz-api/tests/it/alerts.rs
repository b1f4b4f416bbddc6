//! Alerts: created from hits, folded within the window, streamed live, read with evidence,
//! reviewed by a person with a reason.

use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

#[tokio::test]
async fn a_hit_becomes_an_alert_with_its_evidence_and_legal_basis() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_investigation").await;
    s.post_events(&[event("e-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (status, alerts) = s.get("/v1/alerts?status=open", &s.almaty).await;
    assert_eq!(status, StatusCode::OK);
    let alert = &alerts[0];
    assert_eq!(alert["watch_id"], id);
    assert_eq!(alert["status"], "open");
    assert_eq!(alert["region"], "KZ-75");
    assert_eq!(alert["priority"], "high");
    assert_eq!(alert["matched"][0]["field"], "iin");
    assert_eq!(alert["missing_person"], false);
    let (status, detail) = s
        .get(&format!("/v1/alerts/{}", alert["id"]), &s.almaty)
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["entry"]["legal_basis"]["reference"], "W-2026-0001");
    assert_eq!(detail["entry"]["expires_at"], "2027-10-01T00:00:00Z");
    assert_eq!(detail["hits"][0]["event_id"], "e-1");
    let mut redacted = detail.clone();
    for path in [["alert", "id"], ["alert", "watch_id"], ["entry", "id"]] {
        redacted[path[0]][path[1]] = json!("[id]");
    }
    redacted["hits"][0]["alert_id"] = json!("[id]");
    redacted["hits"][0]["watch_id"] = json!("[id]");
    insta::assert_json_snapshot!("alert_detail", redacted);
    s.stop().await;
}

#[tokio::test]
async fn a_document_on_a_hotel_form_finds_the_person_without_an_iin() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_sentence").await;
    let line = json!({"id": "h-1", "kind": "hotel_registration", "source": "hotels", "occurred_at": t0().to_rfc3339(),
        "place": {"region": "KZ-71"}, "subject": {"names": ["ASANOV ERLAN"], "documents": [{"type": "passport", "number": "Н 1234 5678"}]}})
    .to_string();
    // A Cyrillic Н and spaces, as a clerk types the passport's N12345678.
    let (_, report) = s.post_events(&[line]).await;
    assert_eq!(report["hits"], 1);
    // Another number is another document.
    let line = json!({"id": "h-2", "kind": "hotel_registration", "source": "hotels", "occurred_at": t0().to_rfc3339(),
        "place": {"region": "KZ-71"}, "subject": {"documents": [{"type": "passport", "number": "N 1234 5679"}]}})
    .to_string();
    let (_, report) = s.post_events(&[line]).await;
    assert_eq!(report["hits"], 0);
    let (_, alerts) = s.get("/v1/alerts", &s.astana).await;
    assert_eq!(
        alerts[0]["region"], "KZ-71",
        "routed to where the person was seen"
    );
    assert_eq!(alerts[0]["matched"][0]["how"], "exact after normalisation");
    s.stop().await;
}

#[tokio::test]
async fn hits_from_one_source_within_thirty_minutes_fold_into_one_alert() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("f-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    s.clock.set(t0() + chrono::Duration::minutes(20));
    s.post_events(&[event("f-2", "egov", 20, "KZ-79", by_iin(IIN))])
        .await;
    // Another source is another alert.
    s.post_events(&[event("f-3", "rail", 20, "KZ-75", by_iin(IIN))])
        .await;
    s.clock.set(t0() + chrono::Duration::minutes(60));
    // Beyond the window from the last hit (minute 20): a new alert.
    s.post_events(&[event("f-4", "egov", 60, "KZ-75", by_iin(IIN))])
        .await;
    let (_, alerts) = s.get("/v1/alerts", &s.admin).await;
    let list = alerts.as_array().expect("list");
    assert_eq!(list.len(), 3, "{alerts}");
    let folded = list
        .iter()
        .find(|a| a["count"] == 2)
        .expect("one alert folded two hits");
    assert_eq!(folded["source"], "egov");
    assert_eq!(
        folded["last_place"]["region"], "KZ-79",
        "the latest place is kept"
    );
    assert_eq!(folded["last_event_id"], "f-2");
    s.stop().await;
}

#[tokio::test]
async fn a_new_alert_arrives_on_the_stream_of_its_region_only() {
    let s = Server::start().await;
    s.add_wanted(IIN, "missing_person").await;
    let open = |token: String| {
        let client = s.client.clone();
        let url = format!("{}/v1/alerts/stream", s.base);
        async move {
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("stream")
                .bytes_stream()
        }
    };
    let mut almaty = open(s.almaty.clone()).await;
    let mut astana = open(s.astana.clone()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.post_events(&[event("s-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let mut text = String::new();
    while !text.contains("\n\n") || !text.contains("event: alert") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), almaty.next())
            .await
            .expect("an alert within 5 s")
            .expect("open")
            .expect("bytes");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("data line");
    let item: serde_json::Value = serde_json::from_str(data).expect("json");
    assert_eq!(item["change"], "created");
    assert_eq!(item["alert"]["missing_person"], true);
    let nothing = tokio::time::timeout(Duration::from_millis(300), async {
        loop {
            match astana.next().await {
                Some(Ok(chunk)) if String::from_utf8_lossy(&chunk).contains("event: alert") => {
                    return true;
                }
                Some(Ok(_)) => continue,
                _ => return false,
            }
        }
    })
    .await;
    assert!(
        !matches!(nothing, Ok(true)),
        "Astana's operator must not get Almaty's alert"
    );
    s.stop().await;
}

#[tokio::test]
async fn confirming_closes_the_entry_so_it_stops_matching() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("c-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let alert_id = alerts[0]["id"].as_i64().expect("id");
    let (status, body) = s
        .post(
            &format!("/v1/alerts/{alert_id}/review"),
            &s.almaty,
            r#"{"decision":"confirm"}"#,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a review without a reason"
    );
    assert_eq!(body["error"]["code"], "reason_required");
    let (status, reviewed) = s
        .post(
            &format!("/v1/alerts/{alert_id}/review"),
            &s.almaty,
            r#"{"decision":"confirm","reason":"identity checked on site"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["status"], "confirmed");
    assert_eq!(reviewed["review"]["reason"], "identity checked on site");
    assert!(
        reviewed["review"]["by"]
            .as_str()
            .expect("by")
            .starts_with("token:")
    );
    let (status, _) = s
        .post(
            &format!("/v1/alerts/{alert_id}/review"),
            &s.almaty,
            r#"{"decision":"reject","reason":"changed my mind"}"#,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a decided alert stays decided"
    );
    let (_, entry) = s.get(&format!("/v1/watchlist/{id}"), &s.admin).await;
    assert_eq!(entry["status"]["state"], "closed");
    assert_eq!(entry["status"]["outcome"], "located");
    let (_, report) = s
        .post_events(&[event("c-2", "rail", 1, "KZ-75", by_iin(IIN))])
        .await;
    assert_eq!(report["hits"], 0, "a closed entry never matches");
    s.stop().await;
}

#[tokio::test]
async fn precision_per_source_comes_from_reviews() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.add_wanted(OTHER_IIN, "evading_court").await;
    s.post_events(&[
        event("p-1", "egov", 0, "KZ-75", by_iin(IIN)),
        event("p-2", "egov", 0, "KZ-75", by_iin(OTHER_IIN)),
    ])
    .await;
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let ids: Vec<i64> = alerts
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    s.post(
        &format!("/v1/alerts/{}/review", ids[0]),
        &s.almaty,
        r#"{"decision":"confirm","reason":"seen"}"#,
    )
    .await;
    s.post(
        &format!("/v1/alerts/{}/review", ids[1]),
        &s.almaty,
        r#"{"decision":"reject","reason":"namesake"}"#,
    )
    .await;
    let (_, stats) = s.get("/v1/stats", &s.admin).await;
    let egov = stats["precision"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["source"] == "egov")
        .expect("egov")
        .clone();
    assert_eq!(
        (
            egov["confirmed"].as_u64(),
            egov["rejected"].as_u64(),
            egov["precision"].as_f64()
        ),
        (Some(1), Some(1), Some(0.5))
    );
    s.stop().await;
}

#[tokio::test]
async fn an_expired_entry_falls_silent_by_itself() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    let after_expiry = chrono::DateTime::parse_from_rfc3339("2027-10-01T00:00:01Z")
        .expect("t")
        .with_timezone(&chrono::Utc);
    s.clock.set(after_expiry);
    let line = json!({"id": "late", "kind": "ticket", "source": "air", "occurred_at": after_expiry.to_rfc3339(), "subject": {"iin": IIN}}).to_string();
    let (_, report) = s.post_events(&[line]).await;
    assert_eq!(
        (report["accepted"].as_u64(), report["hits"].as_u64()),
        (Some(1), Some(0))
    );
    s.stop().await;
}

fn alert_ids(list: &serde_json::Value) -> Vec<i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn an_entrys_timeline_is_every_alert_of_it_within_the_callers_region() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await;
    let other = s.add_wanted(OTHER_IIN, "evading_court").await;
    s.post_events(&[
        event("t-1", "egov", 0, "KZ-75", by_iin(IIN)),
        // Seen in Astana: that alert goes to Astana.
        event("t-2", "rail", 0, "KZ-71", by_iin(IIN)),
        event("t-3", "egov", 0, "KZ-75", by_iin(OTHER_IIN)),
    ])
    .await;
    s.clock.set(t0() + chrono::Duration::minutes(60));
    s.post_events(&[event("t-4", "egov", 60, "KZ-75", by_iin(IIN))])
        .await;

    let timeline = format!("/v1/alerts?watch_id={id}");
    let (status, all) = s.get(&timeline, &s.admin).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all.as_array().map(Vec::len), Some(3), "{all}");
    assert!(
        all.as_array()
            .expect("list")
            .iter()
            .all(|a| a["watch_id"] == id),
        "only this entry's alerts"
    );
    let (_, almaty) = s.get(&timeline, &s.almaty).await;
    assert_eq!(almaty.as_array().map(Vec::len), Some(2));
    assert!(
        almaty
            .as_array()
            .expect("list")
            .iter()
            .all(|a| a["region"] == "KZ-75")
    );
    let (_, astana) = s.get(&timeline, &s.astana).await;
    assert_eq!(astana[0]["source"], "rail");
    assert_eq!(astana.as_array().map(Vec::len), Some(1));
    let (_, others) = s
        .get(&format!("/v1/alerts?watch_id={other}"), &s.admin)
        .await;
    assert_eq!(others.as_array().map(Vec::len), Some(1));
    for token in [&s.ingest, &s.analyst] {
        assert_eq!(s.get(&timeline, token).await.0, StatusCode::FORBIDDEN);
    }
    let (status, body) = s.get("/v1/alerts?watch_id=first", &s.admin).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );

    // Looking at one person's movements is recorded as that.
    let store = s.stop().await;
    let reads = iz_store::Store::search_audit(
        store.as_ref(),
        &iz_store::AuditFilter {
            action: Some("alert.list".into()),
            ..Default::default()
        },
    )
    .expect("audit");
    assert!(
        reads.iter().any(|r| r.details["watch_id"] == id),
        "{reads:?}"
    );
}

#[tokio::test]
async fn overdue_alerts_are_open_ones_waiting_longer_than_the_review_deadline() {
    let s = Server::start_with(iz_api::ApiConfig {
        workers: 2,
        queue: 4,
        review_deadline: chrono::Duration::hours(2),
        ..iz_api::ApiConfig::default()
    })
    .await;
    s.add_wanted(IIN, "evading_court").await;
    s.add_wanted(OTHER_IIN, "evading_court").await;
    s.post_events(&[event("o-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    s.clock.set(t0() + chrono::Duration::minutes(90));
    s.post_events(&[event("o-2", "egov", 90, "KZ-75", by_iin(OTHER_IIN))])
        .await;
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let [late, early] = alert_ids(&alerts)[..] else {
        panic!("two alerts: {alerts}")
    };

    let (status, overdue) = s.get("/v1/alerts?overdue=true", &s.almaty).await;
    assert_eq!(status, StatusCode::OK, "{overdue}");
    assert_eq!(
        alert_ids(&overdue),
        Vec::<i64>::new(),
        "nothing is two hours old yet"
    );

    s.clock.set(t0() + chrono::Duration::minutes(150));
    let (_, overdue) = s.get("/v1/alerts?overdue=true", &s.almaty).await;
    assert_eq!(alert_ids(&overdue), [early]);
    let (_, all) = s.get("/v1/alerts?overdue=false", &s.almaty).await;
    assert_eq!(alert_ids(&all), [late, early], "false is no filter");
    let (_, astana) = s.get("/v1/alerts?overdue=true", &s.astana).await;
    assert_eq!(
        alert_ids(&astana),
        Vec::<i64>::new(),
        "another region's backlog"
    );

    s.post(
        &format!("/v1/alerts/{early}/review"),
        &s.almaty,
        r#"{"decision":"reject","reason":"namesake"}"#,
    )
    .await;
    s.clock.set(t0() + chrono::Duration::minutes(240));
    let (_, overdue) = s.get("/v1/alerts?overdue=true&status=open", &s.admin).await;
    assert_eq!(
        alert_ids(&overdue),
        [late],
        "a reviewed alert is not overdue"
    );

    for query in ["overdue=true&status=rejected", "overdue=soon"] {
        let (status, body) = s.get(&format!("/v1/alerts?{query}"), &s.admin).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_query")),
            "{query}: {body}"
        );
    }
    for token in [&s.ingest, &s.analyst] {
        assert_eq!(
            s.get("/v1/alerts?overdue=true", token).await.0,
            StatusCode::FORBIDDEN
        );
    }
    s.stop().await;
}
