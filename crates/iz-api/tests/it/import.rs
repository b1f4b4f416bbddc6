//! `POST /v1/watchlist/import`: a CSV file of entries, each row checked as one entry would be;
//! the good rows stored and matching at once, the bad ones named by their line.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::*;

const HEADER: &str = "iin,names,birth_date,sex,doc_type,doc_number,legal_basis_kind,legal_basis_reference,legal_basis_authority,legal_basis_issued_on,expires_at,region,priority,category";

/// Asanov on a warrant until the end of 2027-10-01 in Almaty.
const ASANOV: &str = "900514300121,Асанов Ерлан Серікұлы|ASANOV YERLAN,1990-05-14,male,passport,N12345678,warrant,W-2026-0001,Almaty city court,2026-10-01,2027-10-01,KZ-75,high,evading_investigation";
/// Bekova, missing, with no legal basis: refused.
const NO_BASIS: &str =
    "881122400450,Бекова Айгүл,,,,,,,,,2027-10-01T00:00:00Z,KZ-71,,missing_person";
/// Bekova again, properly, with a quoted name and the default priority.
const BEKOVA: &str = "881122400450,\"Бекова, Айгүл\",,female,,,search_order,S-2026-0042,Astana city police,2026-11-01,2027-10-01T00:00:00Z,KZ-71,,missing_person";

async fn import(s: &Server, token: Option<&str>, csv: &str) -> (StatusCode, Value) {
    let mut request = s
        .client
        .post(format!("{}/v1/watchlist/import", s.base))
        .header("content-type", "text/csv")
        .body(csv.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn csv(rows: &[&str]) -> String {
    std::iter::once(HEADER)
        .chain(rows.iter().copied())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_import_stores_the_good_rows_and_names_the_bad_ones_by_line() {
    let s = Server::start().await;
    // With a byte-order mark, as spreadsheets save UTF-8.
    let file = format!("\u{feff}{}\n", csv(&[ASANOV, NO_BASIS, BEKOVA]));
    let (status, report) = import(&s, Some(&s.admin), &file).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let accepted = report["accepted"].as_array().expect("accepted");
    assert_eq!(
        accepted
            .iter()
            .map(|r| r["line"].as_u64())
            .collect::<Vec<_>>(),
        [Some(2), Some(4)],
        "{report}"
    );
    assert_eq!(report["rejected"].as_array().map(Vec::len), Some(1));
    assert_eq!(report["rejected"][0]["line"], 3);
    assert_eq!(
        report["rejected"][0]["problems"][0]["code"],
        "legal_basis_required"
    );
    assert_eq!(report["rejected"][0]["problems"][0]["field"], "legal_basis");

    let (_, asanov) = s
        .get(&format!("/v1/watchlist/{}", accepted[0]["id"]), &s.admin)
        .await;
    assert_eq!(
        asanov["person"]["names"],
        serde_json::json!(["Асанов Ерлан Серікұлы", "ASANOV YERLAN"])
    );
    assert_eq!(asanov["person"]["documents"][0]["number"], "N12345678");
    assert_eq!(
        asanov["expires_at"], "2027-10-01T18:59:59Z",
        "a date is the end of that day in Almaty"
    );
    assert_eq!(asanov["priority"], "high");
    let (_, bekova) = s
        .get(&format!("/v1/watchlist/{}", accepted[1]["id"]), &s.admin)
        .await;
    assert_eq!(bekova["person"]["names"][0], "Бекова, Айгүл");
    assert_eq!(bekova["priority"], "normal", "an empty priority is normal");
    assert_eq!(bekova["region"], "KZ-71");

    // Every stored entry has its own record, and the import one with the counts.
    let store = s.stop().await;
    let records = iz_store::Store::audit_records(store.as_ref(), 1, 1000).expect("audit");
    let adds = records.iter().filter(|r| r.action == "watch.add").count();
    assert_eq!(adds, 2);
    let import = records
        .iter()
        .find(|r| r.action == "watch.import")
        .expect("the import is recorded");
    assert_eq!(
        (&import.details["accepted"], &import.details["rejected"]),
        (&serde_json::json!(2), &serde_json::json!(1))
    );
}

#[tokio::test]
async fn imported_entries_match_at_once() {
    let s = Server::start().await;
    let (status, report) = import(&s, Some(&s.admin), &csv(&[ASANOV, BEKOVA])).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let (_, result) = s
        .post_events(&[
            event("i-1", "egov", 0, "KZ-75", by_iin(IIN)),
            event("i-2", "rail", 0, "KZ-71", by_iin(OTHER_IIN)),
        ])
        .await;
    assert_eq!(result["hits"], 2, "{result}");
    s.stop().await;
}

#[tokio::test]
async fn a_file_that_is_not_the_import_format_is_refused_whole() {
    let s = Server::start().await;
    let missing_sex = csv(&[ASANOV]).replacen(",sex", "", 1);
    let unknown = csv(&[]).replacen("category", "category,nickname", 1) + "\n" + ASANOV + ",x";
    for (file, says) in [
        (String::new(), "empty"),
        (HEADER.to_string(), "no rows"),
        (missing_sex, "missing columns: sex"),
        (unknown, "unknown column \"nickname\""),
        (ASANOV.to_string(), "unknown column"),
    ] {
        let (status, body) = import(&s, Some(&s.admin), &file).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{file}: {body}");
        assert_eq!(body["error"]["code"], "invalid_csv");
        let message = body["error"]["message"].as_str().expect("message");
        assert!(message.contains(says), "{message}");
    }
    let (_, list) = s.get("/v1/watchlist", &s.admin).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing was stored");
    s.stop().await;
}

#[tokio::test]
async fn only_admins_import() {
    let s = Server::start().await;
    let file = csv(&[ASANOV]);
    let (status, body) = import(&s, None, &file).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    for token in [&s.ingest, &s.almaty, &s.prosecutor, &s.analyst] {
        let (status, body) = import(&s, Some(token), &file).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let (_, list) = s.get("/v1/watchlist", &s.admin).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0));
    s.stop().await;
}
