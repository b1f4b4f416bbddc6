//! Who may call what, for every API route and every console page: one table, checked against
//! the OpenAPI document (a route without a row fails) and called with every role. An allowed
//! role is never refused (401/403); any other role gets 403; an anonymous caller gets 401.

use iz_api::console::PAGES;
use iz_model::Role;
use iz_store::Store;
use reqwest::{Method, StatusCode};

use crate::harness::*;

const ALL: &[Role] = &[
    Role::Admin,
    Role::Operator,
    Role::Ingest,
    Role::ProbationOfficer,
    Role::Analyst,
    Role::Prosecutor,
];
const READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Prosecutor];
const OVERSIGHT: &[Role] = &[Role::Admin, Role::Prosecutor];
const DRONE_READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Prosecutor, Role::Analyst];
const SUPERVISION: &[Role] = &[Role::Admin, Role::ProbationOfficer, Role::Prosecutor];
const FRAUD_READERS: &[Role] = &[Role::Admin, Role::Analyst, Role::Prosecutor];
const FRAUD_ANALYSTS: &[Role] = &[Role::Admin, Role::Analyst];
const FRAUD_FEEDERS: &[Role] = &[Role::Admin, Role::Ingest];

/// Every authenticated API route and who may call it. `{id}` is filled with a real id.
const API: &[(&str, &str, &[Role])] = &[
    ("GET", "/v1/openapi.json", ALL),
    ("POST", "/v1/events", &[Role::Admin, Role::Ingest]),
    ("GET", "/v1/watchlist", READERS),
    ("POST", "/v1/watchlist", &[Role::Admin]),
    ("POST", "/v1/watchlist/import", &[Role::Admin]),
    ("GET", "/v1/watchlist/{id}", READERS),
    ("DELETE", "/v1/watchlist/{id}", &[Role::Admin]),
    ("GET", "/v1/alerts", READERS),
    ("GET", "/v1/alerts/stream", READERS),
    ("GET", "/v1/alerts/{id}", READERS),
    (
        "POST",
        "/v1/alerts/{id}/review",
        &[Role::Admin, Role::Operator],
    ),
    ("GET", "/v1/stats", READERS),
    (
        "GET",
        "/v1/stats/series",
        &[Role::Admin, Role::Operator, Role::Prosecutor, Role::Analyst],
    ),
    ("GET", "/v1/audit", OVERSIGHT),
    ("GET", "/v1/audit/verify", OVERSIGHT),
    ("GET", "/v1/audit/access", OVERSIGHT),
    (
        "POST",
        "/v1/supervision/persons",
        &[Role::Admin, Role::ProbationOfficer],
    ),
    ("GET", "/v1/supervision/persons", SUPERVISION),
    ("GET", "/v1/supervision/persons/{id}", SUPERVISION),
    (
        "GET",
        "/v1/supervision/persons/{id}/restrictions",
        SUPERVISION,
    ),
    (
        "POST",
        "/v1/supervision/persons/{id}/release",
        &[Role::Admin, Role::ProbationOfficer],
    ),
    (
        "POST",
        "/v1/supervision/pings",
        &[Role::Admin, Role::Ingest],
    ),
    (
        "POST",
        "/v1/supervision/sightings",
        &[Role::Admin, Role::Ingest],
    ),
    (
        "POST",
        "/v1/supervision/check-ins",
        &[Role::Admin, Role::Ingest],
    ),
    ("GET", "/v1/supervision/violations", SUPERVISION),
    (
        "POST",
        "/v1/supervision/violations/{id}",
        &[Role::Admin, Role::ProbationOfficer],
    ),
    ("GET", "/v1/supervision/referrals", SUPERVISION),
    (
        "POST",
        "/v1/supervision/referrals/{id}",
        &[Role::Admin, Role::ProbationOfficer, Role::Ingest],
    ),
    ("POST", "/v1/fraud/events", FRAUD_FEEDERS),
    ("POST", "/v1/fraud/decide", FRAUD_FEEDERS),
    ("GET", "/v1/fraud/cases", FRAUD_READERS),
    ("POST", "/v1/fraud/cases/{id}", FRAUD_ANALYSTS),
    ("POST", "/v1/fraud/listings", FRAUD_ANALYSTS),
    (
        "GET",
        "/v1/fraud/listings",
        &[Role::Admin, Role::Analyst, Role::Prosecutor, Role::Ingest],
    ),
    ("POST", "/v1/fraud/listings/{id}/withdraw", FRAUD_ANALYSTS),
    ("GET", "/v1/fraud/overview", FRAUD_READERS),
    ("GET", "/v1/fraud/config", FRAUD_READERS),
    ("PUT", "/v1/fraud/config", &[Role::Admin]),
    ("DELETE", "/v1/fraud/config/dry-run", &[Role::Admin]),
    ("PUT", "/v1/drones/licences", &[Role::Admin]),
    ("GET", "/v1/drones/licences", DRONE_READERS),
    (
        "POST",
        "/v1/drones/detections",
        &[Role::Admin, Role::Ingest],
    ),
    ("GET", "/v1/drones/incidents", DRONE_READERS),
    (
        "POST",
        "/v1/drones/incidents/{id}/close",
        &[Role::Admin, Role::Operator],
    ),
];

/// Routes anyone may call: operations, and signing in itself.
const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("POST", "/v1/session"),
    ("GET", "/v1/session"),
    ("DELETE", "/v1/session"),
];

fn token(s: &Server, role: Role) -> &str {
    match role {
        Role::Admin => &s.admin,
        Role::Operator => &s.almaty,
        Role::Ingest => &s.ingest,
        Role::ProbationOfficer => &s.probation,
        Role::Analyst => &s.analyst,
        Role::Prosecutor => &s.prosecutor,
    }
}

/// The status only: the body is dropped unread (the alert stream never ends).
async fn status(s: &Server, method: &str, path: &str, token: Option<&str>) -> StatusCode {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = s.client.request(method, format!("{}{path}", s.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let body = if path.ends_with("/import") {
        "iin\n".to_string()
    } else {
        entry_json(OTHER_IIN, "evading_court")
    };
    request
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request")
        .status()
}

#[tokio::test]
async fn the_table_names_every_route_of_the_openapi_document() {
    let s = Server::start().await;
    let (_, doc) = s.get("/v1/openapi.json", &s.admin).await;
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    for (method, path) in &documented {
        let known = API.iter().any(|(m, p, _)| m == method && p == path)
            || PUBLIC.iter().any(|(m, p)| m == method && p == path);
        assert!(known, "{method} {path} has no row in the access table");
    }
    for (method, path, _) in API {
        assert!(
            documented.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is in the table but not documented"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn every_api_route_refuses_anonymous_callers_and_wrong_roles() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await.to_string();
    for (method, pattern, allowed) in API {
        let path = pattern.replace("{id}", &id);
        assert_eq!(
            status(&s, method, &path, None).await,
            StatusCode::UNAUTHORIZED,
            "anonymous {method} {path}"
        );
        for role in ALL {
            let got = status(&s, method, &path, Some(token(&s, *role))).await;
            if allowed.contains(role) {
                assert!(
                    got != StatusCode::UNAUTHORIZED && got != StatusCode::FORBIDDEN,
                    "{role} may {method} {path}, got {got}"
                );
            } else {
                assert_eq!(got, StatusCode::FORBIDDEN, "{role} {method} {path}");
            }
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn every_console_page_opens_for_its_roles_only() {
    let s = Server::start().await;
    let pages: Vec<(String, Vec<Role>)> = PAGES
        .iter()
        .flat_map(|p| {
            p.paths
                .iter()
                .map(|path| (path.replace("{id}", "1"), p.roles.to_vec()))
        })
        .collect();
    for (path, allowed) in &pages {
        let anonymous = status(&s, "GET", path, None).await;
        assert_eq!(anonymous, StatusCode::UNAUTHORIZED, "anonymous {path}");
        for role in ALL {
            let want = if allowed.contains(role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                status(&s, "GET", path, Some(token(&s, *role))).await,
                want,
                "{role} {path}"
            );
        }
    }
    // Stated outright, not read from the table: a page opens for those who may read its API.
    for (path, role, want) in [
        ("/supervision", Role::ProbationOfficer, StatusCode::OK),
        ("/supervision/7", Role::Prosecutor, StatusCode::OK),
        ("/supervision", Role::Operator, StatusCode::FORBIDDEN),
        ("/supervision/7", Role::Analyst, StatusCode::FORBIDDEN),
        ("/drones", Role::Analyst, StatusCode::OK),
        ("/drones", Role::Operator, StatusCode::OK),
        ("/drones", Role::ProbationOfficer, StatusCode::FORBIDDEN),
        ("/fraud", Role::Analyst, StatusCode::OK),
        ("/fraud/listings", Role::Prosecutor, StatusCode::OK),
        ("/fraud", Role::Operator, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(
            status(&s, "GET", path, Some(token(&s, role))).await,
            want,
            "{role} {path}"
        );
    }
    // Integrations never use the console: an ingest token opens no page.
    assert!(PAGES.iter().all(|p| !p.roles.contains(&Role::Ingest)));
    // The front door holds no data: it shows the sign-in form to anyone.
    for path in ["/", "/sign-in"] {
        assert_eq!(
            status(&s, "GET", path, None).await,
            StatusCode::OK,
            "{path}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn the_console_is_served_compressed_with_a_strict_content_policy() {
    let s = Server::start().await;
    let page = s
        .client
        .get(format!("{}/sign-in", s.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = page.text().await.expect("html");
    let script = html
        .split('"')
        .find(|p| p.starts_with("/assets/") && p.ends_with(".js"))
        .expect("index.html loads a script")
        .to_string();
    let js = s
        .client
        .get(format!("{}{script}", s.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("script");
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(js.headers()["content-encoding"], "gzip");
    assert!(
        js.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    let map = s
        .client
        .get(format!("{}/geo/kz-adm1.geojson", s.base))
        .send()
        .await
        .expect("map");
    assert_eq!(map.status(), StatusCode::OK);
    assert_eq!(map.headers()["content-type"], "application/geo+json");
    let missing = s
        .client
        .get(format!("{}/assets/no-such-file.js", s.base))
        .send()
        .await
        .expect("missing");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    s.stop().await;
}

#[tokio::test]
async fn the_session_lists_the_pages_its_role_may_open() {
    let s = Server::start().await;
    let hash = iz_api::password::hash_password("a long enough password").expect("hash");
    s.store
        .add_user(
            "sara",
            &hash,
            Role::Analyst,
            None,
            &iz_model::Actor::system("test"),
            t0(),
        )
        .expect("user");
    let (status, body) = s
        .call(
            Method::POST,
            "/v1/session",
            None,
            Some(r#"{"name":"sara","password":"a long enough password"}"#.into()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["pages"],
        serde_json::json!(["dashboard", "drones", "fraud"])
    );
    s.stop().await;
}
