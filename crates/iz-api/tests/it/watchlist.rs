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

/// `path` with its query pairs percent-encoded (names are Cyrillic, numbers have spaces).
fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let url = reqwest::Url::parse_with_params(&format!("http://iz{path}"), pairs).expect("url");
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

fn ids(list: &serde_json::Value) -> Vec<i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

/// Bekova: another name, an ID card, a search order, in Astana.
fn bekova() -> String {
    serde_json::json!({
        "kind": "wanted",
        "person": {"iin": OTHER_IIN, "names": ["Бекова Айгүл"], "documents": [{"type": "id_card", "number": "041 234 567"}]},
        "legal_basis": {"kind": "search_order", "reference": "S-2026-0042", "authority": "Astana city police", "issued_on": "2026-11-01"},
        "expires_at": "2027-10-01T00:00:00Z",
        "region": "KZ-71",
        "category": "missing_person",
    })
    .to_string()
}

#[tokio::test]
async fn a_search_finds_entries_by_name_iin_document_or_reference() {
    let s = Server::start().await;
    let asanov = s.add_wanted(IIN, "evading_court").await;
    let (status, body) = s.post("/v1/watchlist", &s.admin, &bekova()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let bekova = body["id"].as_i64().expect("id");
    let search = |q: &'static str| {
        let s = &s;
        async move {
            let (status, list) = s
                .get(&with_query("/v1/watchlist", &[("q", q)]), &s.admin)
                .await;
            assert_eq!(status, StatusCode::OK, "{q}: {list}");
            ids(&list)
        }
    };
    assert_eq!(
        search("асанов").await,
        [asanov],
        "a part of a name, any case"
    );
    assert_eq!(search("АЙГҮЛ").await, [bekova]);
    assert_eq!(search("8811").await, [bekova], "the start of an IIN");
    assert_eq!(search("1122").await, Vec::<i64>::new(), "not its middle");
    assert_eq!(
        search("Н 1234-5678").await,
        [asanov],
        "a document number, normalised on both sides"
    );
    assert_eq!(search("041234").await, [bekova]);
    assert_eq!(
        search("s-2026-0042").await,
        [bekova],
        "the legal basis reference"
    );
    assert_eq!(search("2026").await, [asanov, bekova]);
    assert_eq!(search("nobody").await, Vec::<i64>::new());

    // Operators search their own region only.
    let (_, list) = s
        .get(&with_query("/v1/watchlist", &[("q", "2026")]), &s.astana)
        .await;
    assert_eq!(ids(&list), [bekova]);
    for token in [&s.ingest, &s.analyst] {
        let (status, _) = s.get("/v1/watchlist?q=2026", token).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // What was searched for is recorded with the read.
    let store = s.stop().await;
    let reads = iz_store::Store::search_audit(
        store.as_ref(),
        &iz_store::AuditFilter {
            action: Some("watch.list".into()),
            ..Default::default()
        },
    )
    .expect("audit");
    assert!(
        reads
            .iter()
            .any(|r| r.details["q"] == "асанов" && r.details["count"] == 1),
        "{reads:?}"
    );
}

#[tokio::test]
async fn entries_expiring_soon_come_soonest_first() {
    let s = Server::start().await;
    let expiring = |at: &'static str| {
        let s = &s;
        async move {
            let entry = entry_json(IIN, "evading_court").replace("2027-10-01T00:00:00Z", at);
            let (status, body) = s.post("/v1/watchlist", &s.admin, &entry).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            body["id"].as_i64().expect("id")
        }
    };
    // Now is 2026-11-25T10:00:00Z.
    let in_three_days = expiring("2026-11-28T10:00:00Z").await;
    let next_year = expiring("2027-10-01T00:00:00Z").await;
    let tomorrow = expiring("2026-11-26T10:00:00Z").await;
    let in_six_days = expiring("2026-12-01T09:00:00Z").await;
    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/v1/watchlist/{in_six_days}?reason=recalled"),
            Some(&s.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, list) = s
        .get("/v1/watchlist?expiring_within_days=7", &s.almaty)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        ids(&list),
        [tomorrow, in_three_days],
        "active ones only, soonest first"
    );
    let (_, list) = s
        .get(
            "/v1/watchlist?expiring_within_days=1&status=active",
            &s.admin,
        )
        .await;
    assert_eq!(
        ids(&list),
        Vec::<i64>::new(),
        "tomorrow is a day and no less away"
    );
    let (_, list) = s
        .get("/v1/watchlist?expiring_within_days=365", &s.admin)
        .await;
    assert_eq!(ids(&list), [tomorrow, in_three_days, next_year]);

    for query in [
        "expiring_within_days=0",
        "expiring_within_days=366",
        "expiring_within_days=soon",
        "expiring_within_days=7&status=withdrawn",
        "expiring_within_days=7&after=1",
    ] {
        let (status, body) = s.get(&format!("/v1/watchlist?{query}"), &s.admin).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_query")),
            "{query}: {body}"
        );
    }
    s.stop().await;
}
