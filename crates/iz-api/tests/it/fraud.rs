//! The anti-fraud centre over HTTP: a bank's events in (bad lines named, repeats counted once),
//! a money mule proposed to the analysts, a transfer to it held and — once an analyst confirms
//! it onto the block-list with a legal basis — blocked, until the listing is withdrawn; a
//! configuration refused whole, tried in a dry run, put in force and reloaded from its file.

use std::time::Duration;

use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::*;

fn at(seconds: i64) -> String {
    (t0() + chrono::Duration::seconds(seconds)).to_rfc3339()
}

fn account(n: &str) -> Value {
    json!({ "bank": "KASPI", "account": n })
}

fn transfer(id: &str, seconds: i64, from: &str, to: &str, tenge: i64) -> Value {
    json!({ "kind": "transaction", "id": id, "at": at(seconds), "from": account(from), "to": account(to),
            "amount_tiyn": tenge * 100, "currency": "KZT", "channel": "phone_transfer" })
}

fn ndjson(lines: &[Value]) -> String {
    lines
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A mule: opened remotely yesterday, paid by fifteen strangers within the hour, passing each
/// payment on within a minute to another account.
fn mule_traffic() -> Vec<Value> {
    let mut lines = vec![
        json!({ "kind": "account_opened", "account": account("M"), "owner_iin": "900101300123",
        "at": at(-86_400), "channel": "remote" }),
    ];
    for i in 0..15 {
        lines.push(transfer(
            &format!("in-{i}"),
            -3_600 + i * 120,
            &format!("S{i}"),
            "M",
            50_000,
        ));
        lines.push(transfer(
            &format!("out-{i}"),
            -3_600 + i * 120 + 60,
            "M",
            &format!("X{i}"),
            47_500,
        ));
    }
    lines
}

fn basis() -> Value {
    json!({ "kind": "court_decision", "reference": "CD-2026-0901", "authority": "Specialised inter-district court of Almaty", "issued_on": "2026-11-20" })
}

async fn decide(s: &Server, id: &str, to: &str) -> Value {
    let body = transfer(id, 60, "VICTIM", to, 120_000);
    let mut tx = body.as_object().expect("object").clone();
    tx.remove("kind");
    let (status, decision) = s
        .post(
            "/v1/fraud/decide",
            &s.ingest,
            &Value::Object(tx).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{decision}");
    decision
}

fn indicators(decision: &Value) -> Vec<String> {
    decision["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["indicator"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_mule_is_proposed_held_blocked_once_confirmed_and_free_again_once_withdrawn() {
    let s = Server::start().await;
    let mut lines = mule_traffic();
    lines.push(transfer("in-0", -3_600, "S0", "M", 50_000)); // a bank's retry
    lines.push(transfer("zero", 0, "A", "B", 0));
    let mut dollars = transfer("usd", 0, "A", "B", 100);
    dollars["currency"] = json!("USD");
    lines.push(dollars);
    lines.push(
        json!({ "kind": "block_listed", "target": { "kind": "number", "value": "+77001112233" },
        "reason": "fraud_number", "at": at(0), "legal_basis": basis(), "expires_at": at(86_400) }),
    );
    let mut body = ndjson(&lines);
    body.push_str("\n{not json\n");
    let (status, report) = s.post("/v1/fraud/events", &s.ingest, &body).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 31, "{report}");
    assert_eq!(report["duplicates"], 1);
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
            (33, "invalid_amount"),
            (34, "unsupported_currency"),
            (35, "listing_not_streamed"),
            (36, "invalid_event")
        ]
    );
    assert_eq!(report["cases_opened"], 1, "{report}");

    // The analysts' queue: the mule with every reason.
    let (status, cases) = s.get("/v1/fraud/cases?status=open", &s.analyst).await;
    assert_eq!(status, StatusCode::OK, "{cases}");
    assert_eq!(cases[0]["subject"], "KASPI/M");
    let reasons = indicators(&cases[0]["detail"]);
    assert!(reasons.contains(&"pass_through".to_string()), "{reasons:?}");
    assert!(
        reasons.contains(&"remote_opening".to_string()),
        "{reasons:?}"
    );

    // A victim's transfer to it is held, with the payee's reasons.
    let held = decide(&s, "pay-1", "M").await;
    assert_eq!(held["decision"], "hold", "{held}");
    assert!(
        indicators(&held).contains(&"payee.pass_through".to_string()),
        "{held}"
    );
    let elsewhere = decide(&s, "pay-2", "GROCER").await;
    assert_eq!(elsewhere["decision"], "allow", "{elsewhere}");

    // Confirming needs a legal basis; with one, M is listed and blocked.
    let id = cases[0]["id"].as_i64().expect("id");
    let path = format!("/v1/fraud/cases/{id}");
    let (status, refused) = s
        .post(
            &path,
            &s.analyst,
            r#"{"decision": "confirm", "note": "money out within minutes"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let confirm = json!({ "decision": "confirm", "note": "money out within minutes, 15 strangers in",
        "legal_basis": basis(), "expires_at": at(86_400 * 180) });
    let (status, handled) = s.post(&path, &s.analyst, &confirm.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{handled}");
    assert_eq!(handled["case"]["status"], "confirmed");
    let listing = handled["listing"]["id"].as_i64().expect("a listing");
    let blocked = decide(&s, "pay-3", "M").await;
    assert_eq!(blocked["decision"], "block", "{blocked}");
    assert!(indicators(&blocked).contains(&"payee.block_listed".to_string()));
    let (status, again) = s.post(&path, &s.analyst, &confirm.to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    // Banks read the shared block-list.
    let (status, shared) = s.get("/v1/fraud/listings", &s.ingest).await;
    assert_eq!(status, StatusCode::OK, "{shared}");
    assert_eq!(shared[0]["target"]["value"]["account"], "M", "{shared}");

    // Withdrawn with a reason: no longer blocked (the scores still hold it).
    let (status, _) = s
        .post(
            &format!("/v1/fraud/listings/{listing}/withdraw"),
            &s.analyst,
            r#"{"reason": ""}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, withdrawn) = s
        .post(
            &format!("/v1/fraud/listings/{listing}/withdraw"),
            &s.analyst,
            r#"{"reason": "the court lifted the order"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(decide(&s, "pay-4", "M").await["decision"], "hold");
    let (_, in_force) = s.get("/v1/fraud/listings", &s.ingest).await;
    assert_eq!(in_force.as_array().map(Vec::len), Some(0));

    // The console's overview counts every decision and keeps the holds and blocks.
    let (status, overview) = s.get("/v1/fraud/overview", &s.analyst).await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    assert_eq!(
        overview["decided"],
        json!({ "allow": 1, "hold": 2, "block": 1 })
    );
    assert_eq!(overview["held"][0]["transaction"]["id"], "pay-4");

    // An operator of the wanted-person desk sees none of it.
    let (status, _) = s.get("/v1/fraud/cases", &s.almaty).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_drug_shops_listed_details_block_payments_and_count_its_revenue() {
    let s = Server::start().await;
    let shop = json!({ "kind": "drug_shop", "shop": "shop «Снег»", "accounts": [account("SHOP-1")], "qr_merchants": ["QR-5501"],
        "legal_basis": basis(), "expires_at": at(86_400 * 90) });
    let mut no_basis = shop.clone();
    no_basis["legal_basis"]["reference"] = json!("");
    let (status, refused) = s
        .post("/v1/fraud/listings", &s.analyst, &no_basis.to_string())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, _) = s
        .post("/v1/fraud/listings", &s.ingest, &shop.to_string())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a bank does not list");
    let (status, listed) = s
        .post("/v1/fraud/listings", &s.analyst, &shop.to_string())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{listed}");

    let mut qr = transfer("qr-1", 0, "BUYER", "SOMEONE", 15_000);
    qr["channel"] = json!("qr");
    qr["qr_merchant"] = json!("QR-5501");
    let (status, report) = s
        .post(
            "/v1/fraud/events",
            &s.ingest,
            &ndjson(&[
                qr.clone(),
                transfer("acc-1", 60, "BUYER2", "SHOP-1", 20_000),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let payments = report["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| h["kind"] == "drug_shop_payment")
        .count();
    assert_eq!(payments, 2, "{report}");
    let decision = decide(&s, "buy-3", "SHOP-1").await;
    assert_eq!(decision["decision"], "block", "{decision}");
    assert!(indicators(&decision).contains(&"drug_shop_details".to_string()));
    let (_, overview) = s.get("/v1/fraud/overview", &s.analyst).await;
    assert_eq!(overview["shops"][0]["direct_tiyn"], 3_500_000, "{overview}");
}

#[tokio::test]
async fn a_configuration_is_refused_whole_tried_in_a_dry_run_then_put_in_force() {
    let s = Server::start().await;
    let (status, _) = s
        .post("/v1/fraud/events", &s.ingest, &ndjson(&mule_traffic()))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, live) = s.get("/v1/fraud/config", &s.analyst).await;
    assert!(live["revision"].is_null(), "the built-in defaults: {live}");

    let put = |query: &'static str, text: &'static str| {
        let s = &s;
        async move {
            s.call(
                Method::PUT,
                &format!("/v1/fraud/config{query}"),
                Some(&s.admin),
                Some(text.into()),
            )
            .await
        }
    };
    let (status, refused) = put("", "[decision]\nhold_at = 1.5\nblock_at = 0.5\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, refused) = put("", "[dropper]\nno_such_rule = 3\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(
        decide(&s, "p-1", "M").await["decision"],
        "hold",
        "the live rules stay"
    );

    // A stricter candidate beside the live rules: it would block what they hold.
    let (status, dry) = put(
        "?dry_run=true",
        "[decision]\nhold_at = 0.3\nblock_at = 0.5\n",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert_eq!(
        decide(&s, "p-2", "M").await["decision"],
        "hold",
        "the live rules decide"
    );
    let (_, view) = s.get("/v1/fraud/config", &s.analyst).await;
    assert_eq!(view["dry_run"]["compared"], 1, "{view}");
    assert_eq!(view["dry_run"]["changed"]["hold→block"], 1, "{view}");

    let (status, applied) = put("", "[decision]\nhold_at = 0.3\nblock_at = 0.5\n").await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert!(applied["revision"].as_i64().is_some(), "{applied}");
    assert!(
        applied.get("dry_run").is_none(),
        "putting it in force ends the dry run"
    );
    let now = decide(&s, "p-3", "M").await;
    assert_eq!(now["decision"], "block", "{now}");
    assert_eq!(now["config_revision"], applied["revision"]);

    let (_, audit) = s.get("/v1/audit?action=fraud.&limit=100", &s.admin).await;
    let actions: Vec<&str> = audit["records"]
        .as_array()
        .or(audit.as_array())
        .expect("records")
        .iter()
        .map(|r| r["action"].as_str().unwrap_or(""))
        .collect();
    assert!(actions.contains(&"fraud.config"), "{audit}");
    assert!(actions.contains(&"fraud.config.refused"), "{audit}");
    assert!(actions.contains(&"fraud.config.dry_run"), "{audit}");
}

#[tokio::test]
async fn the_configuration_file_is_reloaded_when_it_changes_and_a_bad_one_is_kept_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("fraud.toml");
    std::fs::write(&file, "[decision]\nhold_at = 0.6\n").expect("write");
    let s = Server::start_with(iz_api::ApiConfig {
        fraud_config: Some(file.clone()),
        ..iz_api::ApiConfig::default()
    })
    .await;
    let (_, first) = s.get("/v1/fraud/config", &s.analyst).await;
    assert!(
        first["text"]
            .as_str()
            .unwrap_or("")
            .contains("hold_at = 0.6"),
        "{first}"
    );

    let wait_for = |want: &'static str| {
        let s = &s;
        async move {
            for _ in 0..50 {
                let (_, view) = s.get("/v1/fraud/config", &s.analyst).await;
                if view["text"].as_str().unwrap_or("").contains(want) {
                    return view;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("the file's {want:?} never came into force");
        }
    };
    std::fs::write(&file, "[decision]\nhold_at = 0.55\n").expect("write");
    let reloaded = wait_for("hold_at = 0.55").await;
    assert_ne!(reloaded["revision"], first["revision"]);

    std::fs::write(&file, "[decision]\nhold_at = \"high\"\n").expect("write");
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let (_, kept) = s.get("/v1/fraud/config", &s.analyst).await;
    assert_eq!(
        kept["revision"], reloaded["revision"],
        "the invalid file is refused whole"
    );
}

/// The NATS server of the tests (`IZ_TEST_NATS_URL`, else the local one). Outside CI a
/// missing server skips the test with a notice; in CI (`CI=true`) it is a failure.
async fn nats() -> Option<String> {
    let url = std::env::var("IZ_TEST_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
    match async_nats::connect(&url).await {
        Ok(_) => Some(url),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("NATS at {url} is needed in CI: {e}")
        }
        Err(e) => {
            eprintln!("skipped: no NATS at {url} ({e}); set IZ_TEST_NATS_URL");
            None
        }
    }
}

#[tokio::test]
async fn events_from_jetstream_open_cases_and_refused_lines_are_published_with_where_they_were() {
    let Some(url) = nats().await else { return };
    let tag = format!(
        "{}",
        std::process::id() as u128 * 1_000_000 + t0().timestamp_subsec_nanos() as u128 + rand_tag()
    );
    let config = iz_api::fraud_stream::FraudStreamConfig {
        url: url.clone(),
        stream: format!("IZ_TEST_FRAUD_{tag}"),
        subject: format!("iz.test.{tag}.events"),
        refusals: format!("iz.test.{tag}.refused"),
        consumer: format!("iz-test-{tag}"),
    };
    let client = async_nats::connect(&url).await.expect("connect");
    let mut refusals = client
        .subscribe(config.refusals.clone())
        .await
        .expect("subscribe");
    let js = async_nats::jetstream::new(client.clone());
    js.get_or_create_stream(async_nats::jetstream::stream::Config {
        name: config.stream.clone(),
        subjects: vec![config.subject.clone()],
        ..Default::default()
    })
    .await
    .expect("stream");
    // Published before the server starts: the stream keeps them for it.
    let lines = mule_traffic();
    for chunk in lines.chunks(10) {
        js.publish(config.subject.clone(), ndjson(chunk).into())
            .await
            .expect("publish")
            .await
            .expect("stored");
    }
    let bad = format!(
        "{}\n{}",
        transfer("ok-1", 0, "A", "B", 100),
        transfer("zero", 0, "A", "B", 0)
    );
    js.publish(config.subject.clone(), bad.into())
        .await
        .expect("publish")
        .await
        .expect("stored");

    let s = Server::start_with(iz_api::ApiConfig {
        fraud_stream: Some(config.clone()),
        ..iz_api::ApiConfig::default()
    })
    .await;
    let refused = tokio::time::timeout(Duration::from_secs(15), refusals.next())
        .await
        .expect("a refusal within 15 s")
        .expect("a message");
    let refused: Value = serde_json::from_slice(&refused.payload).expect("JSON");
    assert_eq!(
        (refused["code"].as_str(), refused["line"].as_i64()),
        (Some("invalid_amount"), Some(2)),
        "{refused}"
    );
    assert!(
        refused["stream_sequence"].as_u64().unwrap_or(0) > 0,
        "{refused}"
    );
    let mut found = Value::Null;
    for _ in 0..50 {
        let (_, cases) = s.get("/v1/fraud/cases", &s.analyst).await;
        if cases.as_array().is_some_and(|c| !c.is_empty()) {
            found = cases;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(found[0]["subject"], "KASPI/M", "{found}");
    let (_, overview) = s.get("/v1/fraud/overview", &s.analyst).await;
    assert_eq!(
        overview["stats"]["transactions"], 31,
        "every transfer once: {overview}"
    );
    let _ = js.delete_stream(&config.stream).await;
}

/// A few random bits, so that two runs of the tests at once use different streams.
fn rand_tag() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u8(0);
    u128::from(h.finish() % 1_000_000)
}

#[test]
fn at_start_the_file_wins_over_the_stored_configuration_when_it_was_edited_meanwhile() {
    use iz_store::FraudStore;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = iz_store::SqliteStore::open(&dir.path().join("iz.sqlite"), Default::default())
        .expect("store");
    let file = dir.path().join("fraud.toml");
    std::fs::write(&file, "[decision]\nhold_at = 0.5\n").expect("write");
    let load =
        || iz_api::fraud::FraudService::load(&store, Some(file.clone()), t0()).expect("loads");
    let first = load().live();
    assert_eq!(first.revision, Some(1), "the file, put in force and stored");
    assert_eq!(
        load().live().revision,
        Some(1),
        "unchanged: nothing new is stored"
    );
    std::fs::write(&file, "[decision]\nhold_at = 0.45\n").expect("write");
    let edited = load().live();
    assert_eq!(edited.revision, Some(2));
    assert!(edited.text.contains("0.45"));
    std::fs::write(&file, "[decision]\nhold_at = \"high\"\n").expect("write");
    assert!(
        iz_api::fraud::FraudService::load(&store, Some(file.clone()), t0()).is_err(),
        "an invalid file stops the start rather than running on rules nobody wrote"
    );
    assert_eq!(store.fraud_config().expect("read").map(|c| c.id), Some(2));
}
