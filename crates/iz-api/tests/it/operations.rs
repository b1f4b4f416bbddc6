//! Health, metrics, the OpenAPI document and the audit trail of reads and decisions.

use reqwest::StatusCode;

use crate::harness::*;

#[tokio::test]
async fn health_metrics_and_openapi_answer() {
    let s = Server::start().await;
    let (status, health) = s.call(reqwest::Method::GET, "/healthz", None, None).await;
    assert_eq!(
        (status, health["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    s.post_events(&[event("m-1", "egov", 0, "KZ-75", by_iin(OTHER_IIN))])
        .await;
    let (status, metrics) = s.call(reqwest::Method::GET, "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        metrics
            .as_str()
            .expect("text")
            .contains("iz_events_accepted_total"),
        "{metrics}"
    );
    let (status, doc) = s.get("/v1/openapi.json", &s.ingest).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/v1/events",
        "/v1/watchlist",
        "/v1/watchlist/{id}",
        "/v1/alerts",
        "/v1/alerts/{id}",
        "/v1/alerts/{id}/review",
        "/v1/alerts/stream",
        "/v1/stats",
        "/v1/stats/series",
        "/v1/watchlist/import",
        "/v1/audit/access",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    for schema in ["WatchEntryInput", "ImportReport", "Series", "AccessCount"] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema} is described"
        );
    }
    let (status, body) = s.get("/v1/nothing-here", &s.admin).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    s.stop().await;
}

#[tokio::test]
async fn reads_decisions_and_changes_leave_a_verifiable_trail() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("a-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let id = alerts[0]["id"].as_i64().expect("id");
    s.get(&format!("/v1/alerts/{id}"), &s.almaty).await;
    s.post(
        &format!("/v1/alerts/{id}/review"),
        &s.almaty,
        r#"{"decision":"reject","reason":"namesake"}"#,
    )
    .await;
    let store = s.stop().await;
    let records = iz_store::Store::audit_records(store.as_ref(), 1, 1000).expect("records");
    let actions: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
    for action in [
        "token.issue",
        "watch.add",
        "events.ingest",
        "alert.list",
        "alert.view",
        "alert.review",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let view = records
        .iter()
        .find(|r| r.action == "alert.view")
        .expect("view");
    assert_eq!(view.target, format!("alert:{id}"));
    assert!(view.actor.starts_with("token:"));
    assert_eq!(
        iz_store::verify_audit(store.as_ref())
            .expect("read")
            .expect("intact"),
        records.len() as u64
    );
}

#[tokio::test]
async fn a_prosecutor_searches_the_audit_log_and_checks_its_chain() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("o-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let id = alerts[0]["id"].as_i64().expect("id");
    s.post(
        &format!("/v1/alerts/{id}/review"),
        &s.almaty,
        r#"{"decision":"confirm","reason":"seen at the office"}"#,
    )
    .await;

    let (status, records) = s.get("/v1/audit?action=alert.review", &s.prosecutor).await;
    assert_eq!(status, StatusCode::OK, "{records}");
    assert_eq!(records.as_array().map(Vec::len), Some(1));
    assert_eq!(records[0]["target"], format!("alert:{id}"));
    assert_eq!(records[0]["details"]["reason"], "seen at the office");
    let (_, nouns) = s
        .get("/v1/audit?action=alert.&limit=2", &s.prosecutor)
        .await;
    assert_eq!(nouns.as_array().map(Vec::len), Some(2));
    let (status, chain) = s.get("/v1/audit/verify", &s.prosecutor).await;
    assert_eq!(
        (status, chain["intact"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{chain}"
    );
    for token in [&s.almaty, &s.ingest, &s.analyst] {
        assert_eq!(s.get("/v1/audit", token).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            s.get("/v1/audit/verify", token).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let (_, views) = s.get("/v1/audit?action=audit.view", &s.admin).await;
    assert!(
        views.as_array().is_some_and(|v| !v.is_empty()),
        "reading the log is recorded too"
    );
    s.stop().await;
}

#[tokio::test]
async fn oversight_sees_who_did_what_how_often() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("w-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    s.clock.set(t0() + chrono::Duration::minutes(5));
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    s.clock.set(t0() + chrono::Duration::minutes(6));
    s.get("/v1/alerts", &s.almaty).await;
    s.get(&format!("/v1/alerts/{}", alerts[0]["id"]), &s.almaty)
        .await;

    let (status, access) = s.get("/v1/audit/access", &s.prosecutor).await;
    assert_eq!(status, StatusCode::OK, "{access}");
    let rows = access.as_array().expect("a list");
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["actor"].as_str().expect("actor"),
                r["action"].as_str().expect("action"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "by actor, then action");
    let list = rows
        .iter()
        .find(|r| r["action"] == "alert.list")
        .expect("the operator's lists");
    assert_eq!(list["count"], 2);
    assert_eq!(list["last_at"], "2026-11-25T10:06:00Z");
    let viewer = list["actor"].as_str().expect("actor");
    assert!(
        rows.iter()
            .any(|r| r["actor"] == viewer && r["action"] == "alert.view" && r["count"] == 1),
        "{access}"
    );

    let (_, window) = s
        .get(
            "/v1/audit/access?since=2026-11-25T10:05:30Z&until=2026-11-25T11:00:00Z",
            &s.admin,
        )
        .await;
    let list = window
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["action"] == "alert.list")
        .expect("one list in the window")
        .clone();
    assert_eq!(list["count"], 1);
    let (_, again) = s.get("/v1/audit/access", &s.prosecutor).await;
    assert!(
        again
            .as_array()
            .expect("a list")
            .iter()
            .any(|r| r["action"] == "audit.access"),
        "asking is recorded too"
    );

    let (status, body) = s.get("/v1/audit/access?since=yesterday", &s.admin).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
    for token in [&s.almaty, &s.ingest, &s.analyst] {
        assert_eq!(
            s.get("/v1/audit/access", token).await.0,
            StatusCode::FORBIDDEN
        );
    }
    s.stop().await;
}
