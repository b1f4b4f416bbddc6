//! Tokens, roles and regions: anonymous is 401, the wrong role or region is 403.

use reqwest::{Method, StatusCode};

use crate::harness::*;

#[tokio::test]
async fn every_v1_route_needs_a_token() {
    let s = Server::start().await;
    for (method, path) in [
        (Method::GET, "/v1/alerts"),
        (Method::GET, "/v1/alerts/1"),
        (Method::POST, "/v1/alerts/1/review"),
        (Method::GET, "/v1/alerts/stream"),
        (Method::POST, "/v1/events"),
        (Method::GET, "/v1/watchlist"),
        (Method::POST, "/v1/watchlist"),
        (Method::GET, "/v1/watchlist/1"),
        (Method::DELETE, "/v1/watchlist/1"),
        (Method::GET, "/v1/stats"),
        (Method::GET, "/v1/openapi.json"),
        (Method::GET, "/v1/audit"),
        (Method::GET, "/v1/audit/verify"),
        (Method::GET, "/v1/audit/access"),
        (Method::POST, "/v1/watchlist/import"),
        (Method::GET, "/v1/stats/series"),
    ] {
        let (status, body) = s.call(method.clone(), path, None, Some("{}".into())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        assert_eq!(body["error"]["code"], "unauthorized");
        let (status, _) = s
            .call(
                method.clone(),
                path,
                Some("iz_not-a-real-token"),
                Some("{}".into()),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} with an unknown token"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn each_role_is_refused_what_it_may_not_do() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await;
    // Ingest tokens post events and nothing else.
    for (method, path) in [
        (Method::GET, "/v1/alerts".to_string()),
        (Method::GET, "/v1/alerts/stream".to_string()),
        (Method::POST, "/v1/watchlist".to_string()),
        (Method::GET, format!("/v1/watchlist/{id}")),
        (Method::DELETE, format!("/v1/watchlist/{id}?reason=x")),
        (Method::GET, "/v1/stats".to_string()),
    ] {
        let (status, body) = s
            .call(
                method.clone(),
                &path,
                Some(&s.ingest),
                Some(entry_json(IIN, "evading_court")),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "ingest {method} {path}: {body}"
        );
        assert_eq!(body["error"]["code"], "forbidden");
    }
    // Operators read and review; they do not change watch-lists or send events.
    for (method, path) in [
        (Method::POST, "/v1/watchlist".to_string()),
        (Method::DELETE, format!("/v1/watchlist/{id}?reason=x")),
        (Method::POST, "/v1/events".to_string()),
    ] {
        let (status, _) = s
            .call(
                method.clone(),
                &path,
                Some(&s.almaty),
                Some(entry_json(IIN, "evading_court")),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "operator {method} {path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn an_operator_never_sees_another_regions_alert_even_by_id() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("x-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (_, alerts) = s.get("/v1/alerts", &s.almaty).await;
    let id = alerts[0]["id"].as_i64().expect("Almaty sees its alert");
    let (_, astana_list) = s.get("/v1/alerts", &s.astana).await;
    assert_eq!(astana_list.as_array().map(Vec::len), Some(0));
    let (status, _) = s.get(&format!("/v1/alerts/{id}"), &s.astana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s
        .post(
            &format!("/v1/alerts/{id}/review"),
            &s.astana,
            r#"{"decision":"reject","reason":"not mine"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s.get("/v1/alerts?region=KZ-75", &s.astana).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "asking for another region is refused, not silently narrowed"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_token_issued_while_serving_works_at_once() {
    let s = Server::start().await;
    let (secret, hash) = iz_api::new_token();
    // As `iz token issue` would, from another connection to the same file.
    let other = iz_store::SqliteStore::open(&s.store_path(), iz_store::SqliteOptions::default())
        .expect("second handle");
    iz_store::Store::add_token(
        &other,
        hash,
        iz_model::Role::Admin,
        None,
        "late",
        &iz_model::Actor::system("cli"),
        t0(),
    )
    .expect("token");
    let (status, _) = s.get("/v1/stats", &secret).await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;
}

#[tokio::test]
async fn a_prosecutor_reads_every_region_and_changes_nothing() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("p-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    let (status, alerts) = s.get("/v1/alerts", &s.prosecutor).await;
    assert_eq!(status, StatusCode::OK);
    let alert_id = alerts[0]["id"]
        .as_i64()
        .expect("the prosecutor sees Almaty's alert");
    assert_eq!(
        s.get(&format!("/v1/alerts/{alert_id}"), &s.prosecutor)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        s.get(&format!("/v1/watchlist/{id}"), &s.prosecutor).await.0,
        StatusCode::OK
    );
    assert_eq!(s.get("/v1/stats", &s.prosecutor).await.0, StatusCode::OK);
    let (status, _) = s
        .post(
            &format!("/v1/alerts/{alert_id}/review"),
            &s.prosecutor,
            r#"{"decision":"reject","reason":"x"}"#,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "oversight does not decide cases"
    );
    assert_eq!(
        s.post(
            "/v1/watchlist",
            &s.prosecutor,
            &entry_json(OTHER_IIN, "evading_court")
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/v1/watchlist/{id}?reason=x"),
            Some(&s.prosecutor),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.post_events(&[]).await.0,
        StatusCode::OK,
        "the ingest token still works"
    );
    assert_eq!(
        s.post("/v1/events", &s.prosecutor, "").await.0,
        StatusCode::FORBIDDEN
    );
    s.stop().await;
}

#[tokio::test]
async fn an_analyst_does_not_see_wanted_person_alerts() {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("an-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    for path in [
        "/v1/alerts",
        "/v1/alerts/1",
        "/v1/alerts/stream",
        "/v1/watchlist",
        "/v1/watchlist/1",
        "/v1/stats",
    ] {
        let (status, _) = s.get(path, &s.analyst).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "analyst GET {path}");
    }
    s.stop().await;
}
