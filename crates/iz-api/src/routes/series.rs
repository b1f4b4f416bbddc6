//! `/v1/stats/series`: the console's charts. Events and hits per source, alerts created and
//! reviewed, precision per source and the overdue backlog, over the last days, in hourly or daily
//! buckets. Counts only, no personal data; operators get their region's alert figures (events
//! carry no region until matched, so they are everyone's).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use iz_audit::AuditDraft;
use iz_model::{AlertStatus, Region, Role, codes};
use iz_store::{AlertActivity, AlertFilter, EventCount, SourcePrecision};
use serde::{Deserialize, Serialize};

use super::blocking;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Who reads the figures: everyone who reads counts, and analysts (counts hold no person).
const FIGURE_READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Prosecutor, Role::Analyst];

const DEFAULT_DAYS: u32 = 7;
const MAX_DAYS: u32 = 90;
/// Up to this many days the buckets are hours; beyond, days.
const MAX_HOURLY_DAYS: u32 = 2;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SeriesQuery {
    /// How many days back from now (1 to 90, default 7). Buckets are hours up to 2 days, days
    /// (UTC) beyond.
    pub days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Hour,
    Day,
}

impl Bucket {
    fn seconds(self) -> i64 {
        match self {
            Bucket::Hour => 3_600,
            Bucket::Day => 86_400,
        }
    }

    /// The start of the bucket that holds `t` (UTC boundaries).
    fn start(self, t: DateTime<Utc>) -> DateTime<Utc> {
        let s = t.timestamp();
        DateTime::from_timestamp(s - s.rem_euclid(self.seconds()), 0).unwrap_or(t)
    }
}

/// Events received from one source in one bucket, and how many of them hit an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EventPoint {
    /// The bucket's start.
    pub at: DateTime<Utc>,
    pub source: String,
    pub events: u64,
    pub hits: u64,
}

/// Alerts in one bucket: created then, and reviews made then.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AlertPoint {
    /// The bucket's start.
    pub at: DateTime<Utc>,
    pub created: u64,
    /// Confirmed: the person was located.
    pub confirmed: u64,
    /// Rejected: a false positive.
    pub rejected: u64,
}

/// Open alerts waiting longer than the review deadline, now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Overdue {
    pub deadline_hours: i64,
    pub open: u64,
}

/// The figures over a period. Buckets with nothing in them are left out.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Series {
    pub bucket: Bucket,
    /// The first bucket's start.
    pub from: DateTime<Utc>,
    /// Now: the last bucket is still filling.
    pub to: DateTime<Utc>,
    /// By bucket, then source.
    pub events: Vec<EventPoint>,
    /// By bucket.
    pub alerts: Vec<AlertPoint>,
    /// Per source with alerts created or reviewed in the period, from the reviews made in it:
    /// confirmed / (confirmed + rejected), `null` without a review.
    pub precision: Vec<SourcePrecision>,
    pub overdue: Overdue,
    /// Referrals to social help whose service was provided, since the start (a count, no one's
    /// data; the same figure for every reader).
    pub services_provided: u64,
}

/// Events, alerts, precision and the overdue backlog over the last `days` (an audited read of
/// counts, `stats.read`).
#[utoipa::path(
    get, path = "/v1/stats/series", params(SeriesQuery),
    responses(
        (status = 200, body = Series),
        (status = 400, description = "days out of range", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])), tag = "stats"
)]
pub async fn series(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SeriesQuery>, QueryRejection>,
) -> ApiResult<Json<Series>> {
    let actor = caller.require(FIGURE_READERS)?.clone();
    let Query(q) = query.map_err(super::query_problem)?;
    let days = q.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError::bad_request(
            codes::INVALID_QUERY,
            format!("days is {days}; it must be 1 to {MAX_DAYS}"),
        ));
    }
    let regions: Option<Vec<Region>> = match actor.role {
        Role::Operator => {
            Some(vec![actor.region.ok_or_else(|| {
                ApiError::forbidden("this operator has no region")
            })?])
        }
        _ => None,
    };
    let now = state.clock.now();
    let bucket = if days <= MAX_HOURLY_DAYS {
        Bucket::Hour
    } else {
        Bucket::Day
    };
    let buckets = match bucket {
        Bucket::Hour => i64::from(days) * 24,
        Bucket::Day => i64::from(days),
    };
    let from = bucket.start(now) - chrono::Duration::seconds(bucket.seconds() * (buckets - 1));
    let deadline = state.config.review_deadline;
    let store = state.store.clone();
    let series = blocking(move || {
        store.append_audit(
            vec![AuditDraft::new(
                actor.id,
                "stats.read",
                "stats",
                serde_json::json!({"series_days": days}),
            )],
            now,
        )?;
        let events = store.event_counts(from)?;
        let activity = store.alert_activity(from, regions.as_deref())?;
        let overdue = store.count_alerts(&AlertFilter {
            status: Some(AlertStatus::Open),
            regions,
            created_before: Some(now - deadline),
            ..AlertFilter::default()
        })?;
        let services_provided = store.referrals_provided()?;
        Ok(Series {
            bucket,
            from,
            to: now,
            events: event_points(bucket, &events),
            alerts: alert_points(bucket, &activity),
            precision: precision(&activity),
            overdue: Overdue {
                deadline_hours: deadline.num_hours(),
                open: overdue,
            },
            services_provided,
        })
    })
    .await?;
    Ok(Json(series))
}

/// Hourly counts per kind summed into buckets per source.
fn event_points(bucket: Bucket, counts: &[EventCount]) -> Vec<EventPoint> {
    let mut points: BTreeMap<(DateTime<Utc>, &str), (u64, u64)> = BTreeMap::new();
    for c in counts {
        let point = points
            .entry((bucket.start(c.hour), c.source.as_str()))
            .or_default();
        point.0 += c.events;
        point.1 += c.hits;
    }
    points
        .into_iter()
        .map(|((at, source), (events, hits))| EventPoint {
            at,
            source: source.to_string(),
            events,
            hits,
        })
        .collect()
}

/// Hourly activity per source summed into buckets over every source.
fn alert_points(bucket: Bucket, activity: &[AlertActivity]) -> Vec<AlertPoint> {
    let mut points: BTreeMap<DateTime<Utc>, AlertPoint> = BTreeMap::new();
    for a in activity {
        let at = bucket.start(a.hour);
        let point = points.entry(at).or_insert_with(|| AlertPoint {
            at,
            ..AlertPoint::default()
        });
        point.created += a.created;
        point.confirmed += a.confirmed;
        point.rejected += a.rejected;
    }
    points.into_values().collect()
}

/// Reviews in the period per source, by source name.
fn precision(activity: &[AlertActivity]) -> Vec<SourcePrecision> {
    let mut per_source: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for a in activity {
        let reviews = per_source.entry(a.source.as_str()).or_default();
        reviews.0 += a.confirmed;
        reviews.1 += a.rejected;
    }
    per_source
        .into_iter()
        .map(|(source, (confirmed, rejected))| {
            let reviewed = confirmed + rejected;
            SourcePrecision {
                source: source.to_string(),
                confirmed,
                rejected,
                precision: (reviewed > 0).then(|| confirmed as f64 / reviewed as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn buckets_start_on_utc_hours_and_days() {
        let t = at("2026-11-25T10:59:59Z");
        assert_eq!(Bucket::Hour.start(t), at("2026-11-25T10:00:00Z"));
        assert_eq!(Bucket::Day.start(t), at("2026-11-25T00:00:00Z"));
        assert_eq!(
            Bucket::Day.start(at("2026-11-25T00:00:00Z")),
            at("2026-11-25T00:00:00Z")
        );
    }

    #[test]
    fn hours_of_one_day_add_up_per_source_and_every_source_adds_into_alerts() {
        let activity = |hour: &str, source: &str, created, confirmed, rejected| AlertActivity {
            hour: at(hour),
            source: source.into(),
            created,
            confirmed,
            rejected,
        };
        let hourly = [
            activity("2026-11-24T23:00:00Z", "egov", 1, 0, 0),
            activity("2026-11-25T09:00:00Z", "egov", 2, 1, 0),
            activity("2026-11-25T10:00:00Z", "egov", 0, 0, 1),
            activity("2026-11-25T10:00:00Z", "hotels", 1, 0, 0),
        ];
        let point = |day: &str, created, confirmed, rejected| AlertPoint {
            at: at(day),
            created,
            confirmed,
            rejected,
        };
        assert_eq!(
            alert_points(Bucket::Day, &hourly),
            [
                point("2026-11-24T00:00:00Z", 1, 0, 0),
                point("2026-11-25T00:00:00Z", 3, 1, 1)
            ]
        );
        assert_eq!(alert_points(Bucket::Hour, &hourly).len(), 3);
        let p = precision(&hourly);
        assert_eq!(
            p.iter()
                .map(|p| (p.source.as_str(), p.precision))
                .collect::<Vec<_>>(),
            [("egov", Some(0.5)), ("hotels", None)]
        );
    }
}
