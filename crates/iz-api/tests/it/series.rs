//! `GET /v1/stats/series`: the console's charts. Counts per hour or day, no person in them;
//! operators get their region's alert figures.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

/// Two entries in Almaty, both seen at 10:00 (and one unknown person by rail); Asanov's alert
/// confirmed at 11:30; then the clock moves to 11:00 the next day, 25 hours after the alerts.
async fn a_day_of_work() -> Server {
    let s = Server::start().await;
    s.add_wanted(IIN, "evading_court").await;
    s.add_wanted(OTHER_IIN, "evading_court").await;
    let stranger = iz_store::testing::iin(5);
    s.post_events(&[
        event("s-1", "egov", 0, "KZ-75", by_iin(IIN)),
        event("s-2", "egov", 0, "KZ-75", by_iin(OTHER_IIN)),
        event("s-3", "rail", 0, "KZ-75", by_iin(&stranger)),
    ])
    .await;
    let (_, alerts) = s.get("/v1/alerts", &s.admin).await;
    let asanov = alerts
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["last_event_id"] == "s-1")
        .expect("Asanov's alert")["id"]
        .clone();
    s.clock.set(t0() + chrono::Duration::minutes(90));
    let (status, _) = s
        .post(
            &format!("/v1/alerts/{asanov}/review"),
            &s.almaty,
            r#"{"decision":"confirm","reason":"identity checked on site"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    s.clock.set(t0() + chrono::Duration::hours(25));
    s
}

#[tokio::test]
async fn two_days_come_in_hours() {
    let s = a_day_of_work().await;
    let (status, series) = s.get("/v1/stats/series?days=2", &s.admin).await;
    assert_eq!(status, StatusCode::OK, "{series}");
    assert_eq!(
        series,
        json!({
            "bucket": "hour",
            "from": "2026-11-24T12:00:00Z",
            "to": "2026-11-26T11:00:00Z",
            "events": [
                {"at": "2026-11-25T10:00:00Z", "source": "egov", "events": 2, "hits": 2},
                {"at": "2026-11-25T10:00:00Z", "source": "rail", "events": 1, "hits": 0},
            ],
            "alerts": [
                {"at": "2026-11-25T10:00:00Z", "created": 2, "confirmed": 0, "rejected": 0},
                {"at": "2026-11-25T11:00:00Z", "created": 0, "confirmed": 1, "rejected": 0},
            ],
            "precision": [{"source": "egov", "confirmed": 1, "rejected": 0, "precision": 1.0}],
            "overdue": {"deadline_hours": 24, "open": 1},
            "services_provided": 0,
        })
    );
    s.stop().await;
}

#[tokio::test]
async fn a_week_comes_in_days_by_default() {
    let s = a_day_of_work().await;
    let (status, series) = s.get("/v1/stats/series", &s.prosecutor).await;
    assert_eq!(status, StatusCode::OK, "{series}");
    assert_eq!(series["bucket"], "day");
    assert_eq!(
        series["from"], "2026-11-20T00:00:00Z",
        "seven days, today the last"
    );
    assert_eq!(
        series["events"],
        json!([
            {"at": "2026-11-25T00:00:00Z", "source": "egov", "events": 2, "hits": 2},
            {"at": "2026-11-25T00:00:00Z", "source": "rail", "events": 1, "hits": 0},
        ])
    );
    assert_eq!(
        series["alerts"],
        json!([{"at": "2026-11-25T00:00:00Z", "created": 2, "confirmed": 1, "rejected": 0}])
    );
    // A window that ends before the work began holds none of it.
    s.clock.set(t0() + chrono::Duration::days(30));
    let (_, later) = s.get("/v1/stats/series?days=1", &s.admin).await;
    assert_eq!(
        (&later["events"], &later["alerts"], &later["precision"]),
        (&json!([]), &json!([]), &json!([]))
    );
    assert_eq!(
        later["overdue"]["open"], 1,
        "the backlog is now, not in the window"
    );
    s.stop().await;
}

#[tokio::test]
async fn operators_get_their_regions_alert_figures_and_everyones_events() {
    let s = a_day_of_work().await;
    let (_, admin) = s.get("/v1/stats/series?days=2", &s.admin).await;
    let (status, almaty) = s.get("/v1/stats/series?days=2", &s.almaty).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(almaty, admin, "everything happened in Almaty");
    let (_, astana) = s.get("/v1/stats/series?days=2", &s.astana).await;
    assert_eq!(astana["events"], admin["events"]);
    assert_eq!(
        (
            &astana["alerts"],
            &astana["precision"],
            &astana["overdue"]["open"]
        ),
        (&json!([]), &json!([]), &json!(0))
    );
    let (status, analyst) = s.get("/v1/stats/series?days=2", &s.analyst).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "counts hold no person: analysts read them"
    );
    assert_eq!(analyst, admin);
    s.stop().await;
}

#[tokio::test]
async fn the_series_is_refused_to_ingest_and_anonymous_callers_and_bad_days() {
    let s = Server::start().await;
    let (status, _) = s
        .call(reqwest::Method::GET, "/v1/stats/series", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = s.get("/v1/stats/series", &s.ingest).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    for days in ["0", "91", "-1", "week"] {
        let (status, body) = s
            .get(&format!("/v1/stats/series?days={days}"), &s.admin)
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_query")),
            "days={days}: {body}"
        );
    }
    let (status, _) = s.get("/v1/stats/series?days=90", &s.admin).await;
    assert_eq!(status, StatusCode::OK);

    // Reading the figures is recorded like reading the counts.
    let store = s.stop().await;
    let reads = iz_store::Store::search_audit(
        store.as_ref(),
        &iz_store::AuditFilter {
            action: Some("stats.read".into()),
            ..Default::default()
        },
    )
    .expect("audit");
    assert_eq!(reads.len(), 1, "refused requests read nothing");
    assert_eq!(reads[0].details["series_days"], 90);
}
