//! Signing in to the console: cookies that scripts cannot read, CSRF on every change, lock-out
//! after repeated failures, expiry and sign-out.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::*;

const PASSWORD: &str = "a long enough passphrase";

fn add_user(s: &Server, name: &str, role: iz_model::Role, region: Option<&str>) {
    let hash = iz_api::password::hash_password(PASSWORD).expect("hash");
    let region = region.map(|r| iz_model::Region::parse(r).expect("region"));
    iz_store::Store::add_user(
        s.store.as_ref(),
        name,
        &hash,
        role,
        region,
        &iz_model::Actor::system("test"),
        t0(),
    )
    .expect("user");
}

/// Signs in; returns the status, the Set-Cookie header and the body.
async fn sign_in(s: &Server, name: &str, password: &str) -> (StatusCode, Option<String>, Value) {
    let response = s
        .client
        .post(format!("{}/v1/session", s.base))
        .json(&json!({"name": name, "password": password}))
        .send()
        .await
        .expect("request");
    let status = response.status();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, cookie, response.json().await.unwrap_or(Value::Null))
}

async fn with_cookie(
    s: &Server,
    method: Method,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = s
        .client
        .request(method, format!("{}{path}", s.base))
        .header("cookie", cookie);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().expect("pair").to_string()
}

#[tokio::test]
async fn a_signed_in_operator_works_with_a_cookie_and_a_csrf_token() {
    let s = Server::start().await;
    add_user(&s, "aigerim", iz_model::Role::Operator, Some("KZ-75"));
    s.add_wanted(IIN, "evading_court").await;
    s.post_events(&[event("c-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;

    let (status, set_cookie, view) = sign_in(&s, "aigerim", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let set_cookie = set_cookie.expect("a cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{set_cookie} lacks {attribute}"
        );
    }
    assert_eq!(
        (view["role"].as_str(), view["region"].as_str()),
        (Some("operator"), Some("KZ-75"))
    );
    let csrf = view["csrf_token"].as_str().expect("csrf").to_string();
    let cookie = cookie_pair(&set_cookie);

    let (status, alerts) = with_cookie(&s, Method::GET, "/v1/alerts", &cookie, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let id = alerts[0]["id"].as_i64().expect("alert");
    let review = r#"{"decision":"confirm","reason":"checked on site"}"#;
    let (status, body) = with_cookie(
        &s,
        Method::POST,
        &format!("/v1/alerts/{id}/review"),
        &cookie,
        None,
        Some(review),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf_failed")),
        "a change without the CSRF token"
    );
    let (status, body) = with_cookie(
        &s,
        Method::POST,
        &format!("/v1/alerts/{id}/review"),
        &cookie,
        Some("wrong"),
        Some(review),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf_failed"))
    );
    let (status, reviewed) = with_cookie(
        &s,
        Method::POST,
        &format!("/v1/alerts/{id}/review"),
        &cookie,
        Some(&csrf),
        Some(review),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["review"]["by"], "user:aigerim");
    let (status, current) = with_cookie(&s, Method::GET, "/v1/session", &cookie, None, None).await;
    assert_eq!(
        (status, current["csrf_token"].as_str()),
        (StatusCode::OK, Some(csrf.as_str()))
    );

    let (status, _) = with_cookie(
        &s,
        Method::DELETE,
        "/v1/session",
        &cookie,
        Some(&csrf),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = with_cookie(&s, Method::GET, "/v1/alerts", &cookie, None, None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a signed-out cookie opens nothing"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_wrong_name_and_a_wrong_password_answer_alike() {
    let s = Server::start().await;
    add_user(&s, "daniyar", iz_model::Role::Admin, None);
    let (a, cookie_a, body_a) = sign_in(&s, "daniyar", "not the passphrase").await;
    let (b, cookie_b, body_b) = sign_in(&s, "nobody", PASSWORD).await;
    assert_eq!((a, b), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(body_a, body_b);
    assert!(cookie_a.is_none() && cookie_b.is_none());
    s.stop().await;
}

#[tokio::test]
async fn five_failures_lock_the_account_even_against_the_right_password() {
    let s = Server::start().await;
    add_user(&s, "marat", iz_model::Role::Admin, None);
    for attempt in 1..=4 {
        let (status, _, _) = sign_in(&s, "marat", "guess guess guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let (status, _, body) = sign_in(&s, "marat", "guess guess guess").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("account_locked"))
    );
    let (status, _, _) = sign_in(&s, "marat", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "locked means locked");
    s.clock.advance(chrono::Duration::minutes(16));
    let (status, _, _) = sign_in(&s, "marat", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the lock lifts after fifteen minutes"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_session_expires() {
    let s = Server::start().await;
    add_user(&s, "saule", iz_model::Role::Prosecutor, None);
    let (_, set_cookie, _) = sign_in(&s, "saule", PASSWORD).await;
    let cookie = cookie_pair(&set_cookie.expect("cookie"));
    assert_eq!(
        with_cookie(&s, Method::GET, "/v1/stats", &cookie, None, None)
            .await
            .0,
        StatusCode::OK
    );
    s.clock.advance(chrono::Duration::hours(8));
    let (status, body) = with_cookie(&s, Method::GET, "/v1/stats", &cookie, None, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session_expired"))
    );
    s.stop().await;
}

#[tokio::test]
async fn sign_ins_and_sign_outs_are_audited() {
    let s = Server::start().await;
    add_user(&s, "erlan", iz_model::Role::Admin, None);
    sign_in(&s, "erlan", "wrong wrong wrong").await;
    let (_, set_cookie, view) = sign_in(&s, "erlan", PASSWORD).await;
    let cookie = cookie_pair(&set_cookie.expect("cookie"));
    with_cookie(
        &s,
        Method::DELETE,
        "/v1/session",
        &cookie,
        view["csrf_token"].as_str(),
        None,
    )
    .await;
    let store = s.stop().await;
    let actions: Vec<String> = iz_store::Store::audit_records(store.as_ref(), 1, 1000)
        .expect("audit")
        .into_iter()
        .map(|r| r.action)
        .collect();
    for action in [
        "user.add",
        "user.sign_in_failed",
        "user.sign_in",
        "user.sign_out",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} missing from {actions:?}"
        );
    }
}
