//! What Iz looks for. Every [`WatchEntry`] names a lawful reason ([`LegalBasis`]) and an expiry;
//! without both there is no entry. An entry matches only while it is active and unexpired,
//! checked against the time of the event being matched, so an expired entry falls silent by
//! itself, without a job to switch it off.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::event::PersonInput;
use crate::person::Person;
use crate::region::Region;
use crate::rejection::{Rejection, codes};

pub type WatchId = i64;

/// What an entry looks for. Capabilities add kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WatchKind {
    /// A person sought by the police or a court, or a missing person.
    Wanted,
    /// A vehicle sought (by its plate), tied to a wanted person's entry or to a case.
    Vehicle,
}

impl WatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchKind::Wanted => "wanted",
            WatchKind::Vehicle => "vehicle",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [WatchKind::Wanted, WatchKind::Vehicle]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// A sought vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    /// The plate as written in the order, e.g. `123 ABC 02`.
    pub plate: String,
    /// Make, model, colour, as the order describes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What a vehicle entry is tied to: the entry of the person who uses it, or a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WatchLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_id: Option<WatchId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_reference: Option<String>,
}

/// An enrolled face template: L2-normalised f32 components. Biometric data: it is matched
/// inside Iz and shown to no one, not even in the API (which gives only how many an entry has).
pub type FaceTemplate = std::sync::Arc<[f32]>;

fn serialize_count<S: serde::Serializer>(faces: &[FaceTemplate], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(faces.len() as u64)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalBasisKind {
    Warrant,
    CourtDecision,
    SearchOrder,
}

/// The document that makes watching lawful.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    pub kind: LegalBasisKind,
    /// The document's number, e.g. `W-2026-0001`.
    pub reference: String,
    /// Who issued it, e.g. `Almaty city court`.
    pub authority: String,
    pub issued_on: NaiveDate,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Critical,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    EvadingInvestigation,
    EvadingCourt,
    EvadingSentence,
    /// Sought for their own sake: finding them is help, not arrest.
    MissingPerson,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::EvadingInvestigation => "evading_investigation",
            Category::EvadingCourt => "evading_court",
            Category::EvadingSentence => "evading_sentence",
            Category::MissingPerson => "missing_person",
        }
    }
}

/// Where an entry stands. Only `Active` entries match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WatchStatus {
    Active,
    /// Taken off the list by a person, with a reason.
    Withdrawn {
        reason: String,
        by: String,
        at: DateTime<Utc>,
    },
    /// The search ended: the person was located (alert confirmed).
    Closed {
        outcome: String,
        alert_id: i64,
        by: String,
        at: DateTime<Utc>,
    },
}

impl WatchStatus {
    pub fn name(&self) -> &'static str {
        match self {
            WatchStatus::Active => "active",
            WatchStatus::Withdrawn { .. } => "withdrawn",
            WatchStatus::Closed { .. } => "closed",
        }
    }
}

/// One entry on a watch-list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchEntry {
    pub id: WatchId,
    pub kind: WatchKind,
    pub person: Person,
    pub legal_basis: LegalBasis,
    pub expires_at: DateTime<Utc>,
    /// The region that placed the entry.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "KZ-75"))]
    pub region: Region,
    pub priority: Priority,
    pub category: Category,
    pub status: WatchStatus,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The vehicle sought (vehicle entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<Vehicle>,
    /// What a vehicle entry is tied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<WatchLink>,
    /// Enrolled face templates, serialised as their number (`face_templates`).
    #[serde(
        rename = "face_templates",
        serialize_with = "serialize_count",
        skip_deserializing
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub faces: Vec<FaceTemplate>,
}

impl WatchEntry {
    /// Whether this entry may produce a hit for an event at `at`.
    pub fn is_live_at(&self, at: DateTime<Utc>) -> bool {
        self.status == WatchStatus::Active && at < self.expires_at
    }
}

/// A new entry as a client sends it. Fields are optional here so that a missing legal basis or
/// expiry gets its own code; [`WatchEntryInput::validate`] reports every problem at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WatchEntryInput {
    pub kind: WatchKind,
    pub person: PersonInput,
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "KZ-75"))]
    pub region: Region,
    #[serde(default)]
    pub priority: Priority,
    pub category: Category,
    /// Required for vehicle entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<Vehicle>,
    /// Required for vehicle entries: the wanted person's entry or a case reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<WatchLink>,
    /// Face templates to enrol for a wanted person, each as long as the configured dimension.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faces: Vec<Vec<f32>>,
}

/// A validated new entry, ready to be stored (which gives it its id).
#[derive(Debug, Clone, PartialEq)]
pub struct NewWatchEntry {
    pub kind: WatchKind,
    pub person: Person,
    pub legal_basis: LegalBasis,
    pub expires_at: DateTime<Utc>,
    pub region: Region,
    pub priority: Priority,
    pub category: Category,
    pub vehicle: Option<Vehicle>,
    pub link: Option<WatchLink>,
    pub faces: Vec<FaceTemplate>,
}

impl NewWatchEntry {
    pub fn into_entry(
        self,
        id: WatchId,
        created_at: DateTime<Utc>,
        created_by: String,
    ) -> WatchEntry {
        WatchEntry {
            id,
            kind: self.kind,
            person: self.person,
            legal_basis: self.legal_basis,
            expires_at: self.expires_at,
            region: self.region,
            priority: self.priority,
            category: self.category,
            status: WatchStatus::Active,
            created_at,
            created_by,
            vehicle: self.vehicle,
            link: self.link,
            faces: self.faces,
        }
    }
}

impl WatchEntryInput {
    /// Checks the entry against `now` (face templates against `face_dimension`); returns every
    /// problem found, first the most important.
    pub fn validate(
        self,
        now: DateTime<Utc>,
        face_dimension: usize,
    ) -> Result<NewWatchEntry, Vec<Rejection>> {
        let mut problems = Vec::new();
        let person = match self.person.validate("person") {
            Ok(p)
                if self.kind == WatchKind::Wanted
                    && !p.has_identifier()
                    && self.faces.is_empty() =>
            {
                problems.push(
                    Rejection::new(
                        codes::NO_IDENTIFIER,
                        "a wanted person needs an IIN, a document, a name or a face template",
                    )
                    .at("person"),
                );
                None
            }
            Ok(p) => Some(p),
            Err(r) => {
                problems.push(r);
                None
            }
        };
        match &self.legal_basis {
            None => problems.push(
                Rejection::new(
                    codes::LEGAL_BASIS_REQUIRED,
                    "every watch entry needs a legal basis: kind, reference, authority, issued_on",
                )
                .at("legal_basis"),
            ),
            Some(basis) => {
                if basis.reference.trim().is_empty() || basis.authority.trim().is_empty() {
                    problems.push(
                        Rejection::new(
                            codes::INVALID_LEGAL_BASIS,
                            "the legal basis needs a reference and an authority",
                        )
                        .at("legal_basis"),
                    );
                }
                if basis.issued_on > now.date_naive() {
                    problems.push(
                        Rejection::new(
                            codes::INVALID_LEGAL_BASIS,
                            format!(
                                "the legal basis is dated {}, in the future",
                                basis.issued_on
                            ),
                        )
                        .at("legal_basis.issued_on"),
                    );
                }
            }
        }
        match self.expires_at {
            None => problems.push(
                Rejection::new(
                    codes::EXPIRY_REQUIRED,
                    "every watch entry needs an expiry (expires_at)",
                )
                .at("expires_at"),
            ),
            Some(t) if t <= now => problems.push(
                Rejection::new(
                    codes::EXPIRY_IN_PAST,
                    format!("expires_at {t} is not in the future"),
                )
                .at("expires_at"),
            ),
            Some(_) => {}
        }
        let mut faces = Vec::with_capacity(self.faces.len());
        for (i, template) in self.faces.iter().enumerate() {
            match crate::event::face_template_problem(template, face_dimension) {
                Some(problem) => problems.push(
                    Rejection::new(codes::INVALID_TEMPLATE, format!("face {i}: {problem}"))
                        .at("faces"),
                ),
                None => faces.push(FaceTemplate::from(template.as_slice())),
            }
        }
        match (self.kind, &self.vehicle, &self.link) {
            (WatchKind::Vehicle, None, _) => problems.push(
                Rejection::new(
                    codes::MISSING_FIELD,
                    "a vehicle entry needs `vehicle`: {\"plate\": …}",
                )
                .at("vehicle"),
            ),
            (WatchKind::Vehicle, Some(v), _) if v.plate.trim().is_empty() => problems.push(
                Rejection::new(codes::INVALID_PLATE, "the vehicle's plate is empty")
                    .at("vehicle.plate"),
            ),
            (WatchKind::Wanted, Some(_), _) => problems.push(
                Rejection::new(
                    codes::INVALID_WATCH_ENTRY,
                    "a wanted person's entry carries no vehicle: add a vehicle entry linked to it",
                )
                .at("vehicle"),
            ),
            _ => {}
        }
        let linked = self.link.as_ref().is_some_and(|l| {
            l.watch_id.is_some()
                || l.case_reference
                    .as_deref()
                    .is_some_and(|c| !c.trim().is_empty())
        });
        if self.kind == WatchKind::Vehicle && !linked {
            problems.push(
                Rejection::new(
                    codes::MISSING_FIELD,
                    "a vehicle entry is tied to a wanted person's entry or a case: `link`: {\"watch_id\"} or {\"case_reference\"}",
                )
                .at("link"),
            );
        }
        match (
            person,
            self.legal_basis,
            self.expires_at,
            problems.is_empty(),
        ) {
            (Some(person), Some(legal_basis), Some(expires_at), true) => Ok(NewWatchEntry {
                kind: self.kind,
                person,
                legal_basis,
                expires_at,
                region: self.region,
                priority: self.priority,
                category: self.category,
                vehicle: self.vehicle,
                link: self.link,
                faces,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"kind":"wanted","person":{"iin":"900514300121","names":["Асанов Ерлан Серікұлы"],"birth_date":"1990-05-14"},"legal_basis":{"kind":"warrant","reference":"W-2026-0001","authority":"Almaty city court","issued_on":"2026-10-01"},"expires_at":"2027-10-01T00:00:00Z","region":"KZ-75","priority":"high","category":"evading_investigation"}"#;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    fn codes_of(json: &str) -> Vec<&'static str> {
        let input: WatchEntryInput = serde_json::from_str(json).expect("shape");
        match input.validate(now(), 4) {
            Ok(_) => vec![],
            Err(problems) => problems.into_iter().map(|p| p.code).collect(),
        }
    }

    #[test]
    fn the_contract_example_is_valid() {
        assert!(codes_of(ENTRY).is_empty());
    }

    #[test]
    fn no_legal_basis_no_entry() {
        let json = ENTRY.replace(r#""legal_basis":{"kind":"warrant","reference":"W-2026-0001","authority":"Almaty city court","issued_on":"2026-10-01"},"#, "");
        assert_eq!(codes_of(&json), vec![codes::LEGAL_BASIS_REQUIRED]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let json = ENTRY
            .replace("900514300121", "900514300122")
            .replace("2027-10-01T00:00:00Z", "2025-01-01T00:00:00Z");
        assert_eq!(
            codes_of(&json),
            vec![codes::INVALID_IIN, codes::EXPIRY_IN_PAST]
        );
    }

    #[test]
    fn an_entry_is_live_only_while_active_and_unexpired() {
        let input: WatchEntryInput = serde_json::from_str(ENTRY).expect("shape");
        let mut entry =
            input
                .validate(now(), 4)
                .expect("valid")
                .into_entry(1, now(), "admin".into());
        assert!(entry.is_live_at(now()));
        assert!(!entry.is_live_at(entry.expires_at));
        entry.status = WatchStatus::Withdrawn {
            reason: "r".into(),
            by: "a".into(),
            at: now(),
        };
        assert!(!entry.is_live_at(now()));
    }

    const VEHICLE: &str = r#"{"kind":"vehicle","person":{},"vehicle":{"plate":"123 ABC 02","description":"white Camry"},"link":{"watch_id":7},"legal_basis":{"kind":"search_order","reference":"SO-2026-9","authority":"Almaty city police","issued_on":"2026-10-01"},"expires_at":"2027-10-01T00:00:00Z","region":"KZ-75","category":"evading_investigation"}"#;

    #[test]
    fn a_vehicle_entry_needs_a_plate_and_a_link_to_a_person_or_a_case() {
        assert!(codes_of(VEHICLE).is_empty(), "{:?}", codes_of(VEHICLE));
        let unlinked = VEHICLE.replace(r#""link":{"watch_id":7},"#, "");
        assert_eq!(codes_of(&unlinked), vec![codes::MISSING_FIELD]);
        let case = VEHICLE.replace(r#"{"watch_id":7}"#, r#"{"case_reference":"CASE-2026-118"}"#);
        assert!(codes_of(&case).is_empty());
        let no_plate = VEHICLE.replace(
            r#""vehicle":{"plate":"123 ABC 02","description":"white Camry"},"#,
            "",
        );
        assert_eq!(codes_of(&no_plate), vec![codes::MISSING_FIELD]);
        let person_with_car =
            ENTRY.replace(r#""region""#, r#""vehicle":{"plate":"123ABC02"},"region""#);
        assert_eq!(codes_of(&person_with_car), vec![codes::INVALID_WATCH_ENTRY]);
    }

    #[test]
    fn a_wanted_person_may_be_known_by_face_alone_with_templates_of_the_right_shape() {
        let face_only = ENTRY
            .replace(r#""iin":"900514300121","names":["Асанов Ерлан Серікұлы"],"birth_date":"1990-05-14""#, "")
            .replace(r#""region""#, r#""faces":[[0.5,0.5,0.5,0.5]],"region""#);
        assert!(
            codes_of(&face_only).is_empty(),
            "{:?}",
            codes_of(&face_only)
        );
        let nobody = ENTRY.replace(
            r#""iin":"900514300121","names":["Асанов Ерлан Серікұлы"],"birth_date":"1990-05-14""#,
            "",
        );
        assert_eq!(codes_of(&nobody), vec![codes::NO_IDENTIFIER]);
        let wrong_size = ENTRY.replace(r#""region""#, r#""faces":[[0.6,0.8]],"region""#);
        assert_eq!(codes_of(&wrong_size), vec![codes::INVALID_TEMPLATE]);
        let not_unit = ENTRY.replace(r#""region""#, r#""faces":[[1,1,1,1]],"region""#);
        assert_eq!(codes_of(&not_unit), vec![codes::INVALID_TEMPLATE]);
    }
}
