//! Referrals to social help: needs in, proposals out of a rules table, and the path of each
//! referral from proposal to the service provided (or declined).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use iz_model::Rejection;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{InvalidOrder, OrderProblem};

/// What a supervised person may need help with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    Employment,
    Housing,
    Health,
    AddictionTreatment,
    Debts,
    Education,
    /// Children in the family.
    Children,
    Disability,
}

impl Need {
    pub const ALL: [Need; 8] = [
        Need::Employment,
        Need::Housing,
        Need::Health,
        Need::AddictionTreatment,
        Need::Debts,
        Need::Education,
        Need::Children,
        Need::Disability,
    ];
}

/// One row of the rules table: a need, the agency whose duty it is, and the law that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralRule {
    pub id: String,
    pub need: Need,
    pub agency: String,
    pub service: String,
    pub legal_source: String,
}

/// The rules table, as data: which agency and service answer which need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesTable {
    pub version: String,
    #[serde(default)]
    pub note: String,
    pub rules: Vec<ReferralRule>,
}

/// The table shipped with Iz (`data/referral-rules.json`).
pub const BUILTIN_RULES: &str = include_str!("../data/referral-rules.json");

/// A stable code for a table that cannot be used.
pub const INVALID_RULES: &str = "invalid_referral_rules";
/// A status change the path does not allow.
pub const INVALID_TRANSITION: &str = "invalid_referral_transition";

impl RulesTable {
    /// Reads and checks a table; every problem is returned at once.
    pub fn from_json(text: &str) -> Result<Self, InvalidOrder> {
        let table: RulesTable = serde_json::from_str(text).map_err(|e| {
            InvalidOrder(vec![OrderProblem::new(
                &format!("line {}", e.line()),
                INVALID_RULES,
                e.to_string(),
            )])
        })?;
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        for (i, r) in table.rules.iter().enumerate() {
            let at = format!("rules[{i}]");
            if !ids.insert(r.id.as_str()) {
                problems.push(OrderProblem::new(
                    &at,
                    INVALID_RULES,
                    format!("rule id {:?} is used twice", r.id),
                ));
            }
            for (field, value) in [
                ("id", &r.id),
                ("agency", &r.agency),
                ("service", &r.service),
                ("legal_source", &r.legal_source),
            ] {
                if value.trim().is_empty() {
                    problems.push(OrderProblem::new(
                        &format!("{at}.{field}"),
                        INVALID_RULES,
                        format!(
                            "{field} is empty: a referral must say who helps and under which law"
                        ),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(InvalidOrder(problems))
        }
    }

    pub fn builtin() -> Self {
        Self::from_json(BUILTIN_RULES)
            .unwrap_or_else(|e| panic!("the shipped referral rules are invalid: {e}"))
    }

    pub fn rule(&self, id: &str) -> Option<&ReferralRule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules that answer the needs, in the table's order.
    pub fn propose<'a>(&'a self, needs: &BTreeSet<Need>) -> Vec<&'a ReferralRule> {
        self.rules
            .iter()
            .filter(|r| needs.contains(&r.need))
            .collect()
    }

    /// Needs no rule answers, for the officer to see that the table has a gap.
    pub fn unanswered(&self, needs: &BTreeSet<Need>) -> Vec<Need> {
        needs
            .iter()
            .copied()
            .filter(|n| !self.rules.iter().any(|r| r.need == *n))
            .collect()
    }
}

/// Where a referral is on its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Iz proposed it from the needs; nobody has acted.
    Proposed,
    /// The officer accepted it and it is (being) delivered to the social-services platform.
    Sent,
    /// The agency took it up.
    InProgress,
    /// The service was provided.
    Provided,
    /// The officer or the agency declined it, or the person refused.
    Declined,
}

impl ReferralStatus {
    /// The moves the path allows.
    pub fn may_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, next),
            (Proposed, Sent)
                | (Proposed, Declined)
                | (Sent, InProgress)
                | (Sent, Provided)
                | (Sent, Declined)
                | (InProgress, Provided)
                | (InProgress, Declined)
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, ReferralStatus::Provided | ReferralStatus::Declined)
    }
}

/// One change of status, with who made it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: ReferralStatus,
    pub at: DateTime<Utc>,
    /// A user name, or `social-services` for updates from the platform.
    pub by: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A referral of one person to one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: i64,
    pub person: i64,
    pub rule: ReferralRule,
    pub status: ReferralStatus,
    /// Every status it has had, the first being `proposed`.
    pub history: Vec<StatusChange>,
}

impl Referral {
    pub fn propose(id: i64, person: i64, rule: ReferralRule, at: DateTime<Utc>) -> Self {
        Self {
            id,
            person,
            rule,
            status: ReferralStatus::Proposed,
            history: vec![StatusChange {
                status: ReferralStatus::Proposed,
                at,
                by: "iz".into(),
                note: String::new(),
            }],
        }
    }

    /// Moves the referral on, or says why it cannot. Declining needs a reason.
    pub fn move_to(
        &mut self,
        next: ReferralStatus,
        at: DateTime<Utc>,
        by: &str,
        note: &str,
    ) -> Result<(), Rejection> {
        if !self.status.may_become(next) {
            return Err(Rejection::new(
                INVALID_TRANSITION,
                format!(
                    "a referral that is {} cannot become {}",
                    name(self.status),
                    name(next)
                ),
            )
            .at("status"));
        }
        if next == ReferralStatus::Declined && note.trim().is_empty() {
            return Err(Rejection::new(
                iz_model::codes::REASON_REQUIRED,
                "say why the referral is declined",
            )
            .at("note"));
        }
        self.status = next;
        self.history.push(StatusChange {
            status: next,
            at,
            by: by.to_string(),
            note: note.to_string(),
        });
        Ok(())
    }

    /// The idempotency key the platform deduplicates deliveries by: one per referral, so a
    /// retried delivery is never a second referral.
    pub fn idempotency_key(&self) -> String {
        format!("iz-referral-{}", self.id)
    }

    /// What is sent to the social-services platform: the service asked for and who it is for,
    /// nothing about the offence or the restrictions.
    pub fn delivery(&self, person: &ReferredPerson) -> Value {
        json!({
            "idempotency_key": self.idempotency_key(),
            "referral_id": self.id,
            "need": self.rule.need,
            "agency": self.rule.agency,
            "service": self.rule.service,
            "legal_source": self.rule.legal_source,
            "person": person,
            "sent_at": self.history.iter().rev().find(|c| c.status == ReferralStatus::Sent).map(|c| c.at),
        })
    }
}

/// Who a referral is for, as the agency needs to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredPerson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iin: Option<String>,
    pub name: String,
    /// The probation service's region, e.g. `KZ-75`.
    pub region: String,
    /// The officer to contact.
    pub officer: String,
}

fn name(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Proposed => "proposed",
        ReferralStatus::Sent => "sent",
        ReferralStatus::InProgress => "in progress",
        ReferralStatus::Provided => "provided",
        ReferralStatus::Declined => "declined",
    }
}

/// When to try a failed delivery again: 5 s, 10 s, 20 s … doubling up to an hour, for as long
/// as the referral stays sent. The platform deduplicates by the idempotency key, so retrying
/// after a timeout whose request did arrive is harmless.
pub fn retry_after(failed_attempts: u32) -> Duration {
    let seconds = 5i64.saturating_mul(1i64 << failed_attempts.saturating_sub(1).min(20));
    Duration::seconds(seconds.min(3_600))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0)
            .single()
            .expect("an instant")
    }

    #[test]
    fn the_shipped_table_answers_every_need_with_a_legal_source() {
        let table = RulesTable::builtin();
        let all: BTreeSet<Need> = Need::ALL.into_iter().collect();
        assert!(table.unanswered(&all).is_empty());
        assert!(table.rules.iter().all(|r| r.legal_source.contains("No. ")));
    }

    #[test]
    fn needs_are_answered_by_every_rule_for_them_in_table_order() {
        let table = RulesTable::builtin();
        let needs: BTreeSet<Need> = [Need::Children, Need::Employment].into_iter().collect();
        let ids: Vec<&str> = table
            .propose(&needs)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "employment-centre",
                "children-family-support",
                "children-school"
            ]
        );
    }

    #[test]
    fn a_table_with_gaps_in_its_rows_is_refused_whole() {
        let text = r#"{"version": "x", "rules": [
            {"id": "a", "need": "housing", "agency": "Akimat", "service": "Flat", "legal_source": ""},
            {"id": "a", "need": "health", "agency": "Polyclinic", "service": "Care", "legal_source": "Code No. 1"}
        ]}"#;
        let refused = RulesTable::from_json(text).expect_err("refused");
        let at: Vec<&str> = refused.0.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(at, ["rules[0].legal_source", "rules[1]"]);
        let unknown = r#"{"version": "x", "rules": [{"id": "a", "need": "luck", "agency": "A", "service": "S", "legal_source": "L"}]}"#;
        let refused = RulesTable::from_json(unknown).expect_err("an unknown need");
        assert!(refused.to_string().contains("luck"), "{refused}");
    }

    #[test]
    fn a_referral_moves_along_its_path_and_nowhere_else() {
        let rule = RulesTable::builtin().rules[0].clone();
        let mut r = Referral::propose(1, 7, rule, at(9));
        let wrong = r
            .move_to(ReferralStatus::Provided, at(10), "officer", "")
            .expect_err("not yet sent");
        assert_eq!(wrong.code, INVALID_TRANSITION);
        r.move_to(ReferralStatus::Sent, at(10), "officer", "")
            .expect("accepted by the officer");
        r.move_to(ReferralStatus::InProgress, at(11), "social-services", "")
            .expect("taken up");
        let no_reason = r
            .move_to(ReferralStatus::Declined, at(12), "social-services", " ")
            .expect_err("a reason is needed");
        assert_eq!(no_reason.code, iz_model::codes::REASON_REQUIRED);
        r.move_to(
            ReferralStatus::Provided,
            at(12),
            "social-services",
            "placed at a bakery",
        )
        .expect("provided");
        assert!(r.status.is_final());
        assert!(
            r.move_to(ReferralStatus::Declined, at(13), "officer", "changed mind")
                .is_err()
        );
        let path: Vec<ReferralStatus> = r.history.iter().map(|c| c.status).collect();
        use ReferralStatus::*;
        assert_eq!(path, [Proposed, Sent, InProgress, Provided]);
    }

    #[test]
    fn a_delivery_carries_its_idempotency_key_and_nothing_about_the_offence() {
        let rule = RulesTable::builtin().rules[0].clone();
        let mut r = Referral::propose(42, 7, rule, at(9));
        r.move_to(ReferralStatus::Sent, at(10), "officer", "")
            .expect("sent");
        let person = ReferredPerson {
            iin: Some("850715300122".into()),
            name: "Серік Жұмабаев".into(),
            region: "KZ-75".into(),
            officer: "probation-almaty".into(),
        };
        let body = r.delivery(&person);
        assert_eq!(body["idempotency_key"], "iz-referral-42");
        assert_eq!(body["need"], "employment");
        assert_eq!(body["sent_at"], "2026-12-02T10:00:00Z");
        let text = body.to_string();
        for absent in ["restriction", "violation", "legal_basis", "curfew"] {
            assert!(!text.contains(absent), "{absent} in {text}");
        }
    }

    #[test]
    fn retries_back_off_from_five_seconds_to_an_hour() {
        let waits: Vec<i64> = (1..=12).map(|n| retry_after(n).num_seconds()).collect();
        assert_eq!(
            waits,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(retry_after(u32::MAX).num_seconds(), 3600);
    }
}
