//! `/v1/watchlist`: no entry without a legal basis and a future expiry; withdrawing needs a reason.

use reqwest::{Method, StatusCode};

use crate::harness::*;

#[tokio::test]
async fn an_entry_without_legal_basis_is_refused() {
    let s = Server::start().await;
    let mut entry: serde_json::Value =
        serde_json::from_str(&entry_json(IIN, "evading_court")).expect("json");
    entry.as_object_mut().expect("object").remove("legal_basis");
    let (status, body) = s.post("/v1/watchlist", &s.admin, &entry.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "legal_basis_required");
    s.stop().await;
}

#[tokio::test]
async fn an_entry_with_a_past_expiry_or_a_bad_iin_is_refused_with_every_reason() {
    let s = Server::start().await;
    let entry = entry_json("900514300122", "evading_court")
        .replace("2027-10-01T00:00:00Z", "2026-01-01T00:00:00Z");
    let (status, body) = s.post("/v1/watchlist", &s.admin, &entry).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "invalid_iin");
    let codes: Vec<&str> = body["error"]["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["invalid_iin", "expiry_in_past"]);
    let no_expiry =
        entry_json(IIN, "evading_court").replace(r#","expires_at":"2027-10-01T00:00:00Z""#, "");
    let (status, body) = s.post("/v1/watchlist", &s.admin, &no_expiry).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("expiry_required"))
    );
    s.stop().await;
}

#[tokio::test]
async fn a_withdrawn_entry_stops_matching_at_once() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await;
    let (status, body) = s
        .call(
            Method::DELETE,
            &format!("/v1/watchlist/{id}"),
            Some(&s.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, entry) = s
        .call(
            Method::DELETE,
            &format!("/v1/watchlist/{id}"),
            Some(&s.admin),
            Some(r#"{"reason":"warrant revoked by the court"}"#.into()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{entry}");
    assert_eq!(entry["status"]["state"], "withdrawn");
    let (_, report) = s
        .post_events(&[event("w-1", "egov", 0, "KZ-75", by_iin(IIN))])
        .await;
    assert_eq!(report["hits"], 0);
    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/v1/watchlist/{id}?reason=again"),
            Some(&s.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = s
        .call(
            Method::DELETE,
            "/v1/watchlist/999999?reason=x",
            Some(&s.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    s.stop().await;
}

#[tokio::test]
async fn operators_read_entries_of_their_region_only() {
    let s = Server::start().await;
    let id = s.add_wanted(IIN, "evading_court").await;
    let (status, entry) = s.get(&format!("/v1/watchlist/{id}"), &s.almaty).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(entry["person"]["iin"], IIN);
    let (status, _) = s.get(&format!("/v1/watchlist/{id}"), &s.astana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = s.get("/v1/watchlist", &s.astana).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0));
    s.stop().await;
}
