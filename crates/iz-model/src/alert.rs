//! What a person must decide. A matcher's [`Hit`] says "this event looks like that entry, for
//! these reasons"; hits on the same entry from the same source within a window fold into one
//! [`Alert`], which counts them and remembers the latest place. Only a [`Review`] — a person's
//! decision with a reason — changes an alert, and through it the entry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::{EventKind, Place};
use crate::region::Region;
use crate::watch::{Category, Priority, WatchId, WatchKind};

pub type AlertId = i64;

/// One identifier that matched, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchedField {
    /// `iin`, `document`, …
    pub field: String,
    /// The value on the event.
    pub value: String,
    /// `exact`, `normalised`, …
    pub how: String,
}

/// A matcher's proposal: this event concerns that entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub watch_id: WatchId,
    pub matcher: String,
    /// In [0, 1]; exact identifier matches score 1.
    pub score: f32,
    pub matched: Vec<MatchedField>,
    /// The matcher's full account of a scored match (plate characters aligned, name tokens
    /// aligned, face score against threshold), for the operator's evidence view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub explanation: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    /// A person confirmed it: the sought person was located.
    Confirmed,
    /// A person rejected it as a false positive.
    Rejected,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Confirmed => "confirmed",
            AlertStatus::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(AlertStatus::Open),
            "confirmed" => Some(AlertStatus::Confirmed),
            "rejected" => Some(AlertStatus::Rejected),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Confirm,
    Reject,
}

/// A person's decision on an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub decision: Decision,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One alert, as the operator's queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    pub id: AlertId,
    pub kind: WatchKind,
    pub watch_id: WatchId,
    pub status: AlertStatus,
    /// The region whose operators see it: where the person was seen, else the entry's region.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "KZ-75"))]
    pub region: Region,
    pub priority: Priority,
    pub category: Category,
    /// A missing person: finding them is help, not arrest.
    pub missing_person: bool,
    pub source: String,
    pub matcher: String,
    pub score: f32,
    pub matched: Vec<MatchedField>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Hits folded into this alert.
    pub count: u32,
    pub last_event_id: String,
    pub last_event_kind: EventKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_place: Option<Place>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// Under the two-person rule, the first of two confirmations; the alert stays open until a
    /// different person confirms it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_confirmation: Option<Review>,
}

/// How many people must confirm an alert before it counts as located.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Confirmation {
    /// One person's confirmation is the decision.
    #[default]
    Single,
    /// Two different people must confirm (face-only alerts, when the rule is on); a rejection
    /// by either is final.
    TwoPerson,
}

/// How hits fold into alerts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoldPolicy {
    /// A hit folds into an open alert of the same entry and source whose latest hit is at most
    /// this much older. Default 30 minutes.
    pub window: chrono::Duration,
}

impl Default for FoldPolicy {
    fn default() -> Self {
        FoldPolicy {
            window: chrono::Duration::minutes(30),
        }
    }
}

impl FoldPolicy {
    /// Whether a hit at `at` folds into an open alert whose latest hit was at `last_seen`.
    /// Hits arriving out of order (before `last_seen`) fold too, if within the window.
    pub fn folds(&self, last_seen: DateTime<Utc>, at: DateTime<Utc>) -> bool {
        (at - last_seen).abs() <= self.window
    }
}

/// The region an alert is routed to.
pub fn route(place: Option<&Place>, entry_region: Region) -> Region {
    place.and_then(|p| p.region).unwrap_or(entry_region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_within_the_window_fold_either_way_in_time() {
        let policy = FoldPolicy::default();
        let t = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        assert!(policy.folds(t, t + chrono::Duration::minutes(30)));
        assert!(policy.folds(t, t - chrono::Duration::minutes(10)));
        assert!(!policy.folds(t, t + chrono::Duration::minutes(31)));
    }
}
