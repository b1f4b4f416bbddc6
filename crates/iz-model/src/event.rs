//! Everything Iz observes is an [`Event`]: something happened (`kind`) at a time and maybe a
//! place, reported by a `source`, about a `subject`. Kind-specific detail travels in `payload`,
//! kept as the sender wrote it. Events arrive as [`EventInput`] (what a client may send) and
//! become an [`Event`] only through [`EventInput::validate`], which names the first problem with
//! a stable code.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::iin::{Iin, Sex};
use crate::person::{Document, DocumentType, Person};
use crate::region::Region;
use crate::rejection::{Rejection, codes};

/// What happened. New capabilities add kinds here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A request at a public-service centre (CON) or through e-gov.
    ServiceRequest,
    /// A rail, air or bus ticket bought.
    Ticket,
    /// A guest registered at a hotel.
    HotelRegistration,
    /// A border post passed.
    BorderCrossing,
    /// A document checked by a police patrol or at a checkpoint.
    DocumentCheck,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::ServiceRequest,
        EventKind::Ticket,
        EventKind::HotelRegistration,
        EventKind::BorderCrossing,
        EventKind::DocumentCheck,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ServiceRequest => "service_request",
            EventKind::Ticket => "ticket",
            EventKind::HotelRegistration => "hotel_registration",
            EventKind::BorderCrossing => "border_crossing",
            EventKind::DocumentCheck => "document_check",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A small dense number for per-kind tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Where an event happened. Every part is optional: an e-gov request has no office.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "KZ-75"))]
    pub region: Option<Region>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// The office, station, hotel or post, as the source names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Place {
    fn check(&self) -> Result<(), Rejection> {
        match (self.lat, self.lon) {
            (None, None) => Ok(()),
            (Some(lat), Some(lon)) => {
                if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                    Err(Rejection::new(
                        codes::INVALID_PLACE,
                        format!("lat {lat} is not a latitude"),
                    )
                    .at("place.lat"))
                } else if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                    Err(Rejection::new(
                        codes::INVALID_PLACE,
                        format!("lon {lon} is not a longitude"),
                    )
                    .at("place.lon"))
                } else {
                    Ok(())
                }
            }
            _ => Err(Rejection::new(
                codes::INVALID_PLACE,
                "lat and lon come together or not at all",
            )
            .at("place")),
        }
    }
}

/// One observation, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// The sender's id; unique per source, so a resent event is recognised.
    pub id: String,
    pub kind: EventKind,
    pub source: String,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    pub subject: Person,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<Box<RawValue>>,
}

/// A person as a client writes them: strings, checked by [`PersonInput::validate`] so that a
/// bad IIN gets its own code and message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub iin: Option<String>,
    #[serde(default)]
    pub documents: Vec<DocumentInput>,
    #[serde(default)]
    pub names: Vec<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// `male` or `female`.
    #[serde(default)]
    pub sex: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// id_card, passport, foreign_passport, residence_permit, stateless_certificate,
    /// driving_licence or birth_certificate.
    #[serde(rename = "type")]
    pub doc_type: String,
    pub number: String,
    #[serde(default)]
    pub country: Option<String>,
}

impl PersonInput {
    /// Checks every identifier; `field` prefixes the field names in rejections.
    pub fn validate(self, field: &'static str) -> Result<Person, Rejection> {
        let iin = match self.iin.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(Iin::parse(text).map_err(|e| {
                Rejection::new(codes::INVALID_IIN, format!("IIN {text:?}: {e}")).at(field)
            })?),
        };
        let mut documents = Vec::with_capacity(self.documents.len());
        for doc in self.documents {
            let doc_type: DocumentType = serde_json::from_value(serde_json::Value::String(
                doc.doc_type.clone(),
            ))
            .map_err(|_| {
                Rejection::new(
                    codes::INVALID_DOCUMENT,
                    format!("unknown document type {:?}", doc.doc_type),
                )
                .at(field)
            })?;
            let document = Document {
                doc_type,
                number: doc.number,
                country: doc.country,
            };
            if document.normalised_number().is_empty() {
                return Err(
                    Rejection::new(codes::INVALID_DOCUMENT, "a document needs a number").at(field),
                );
            }
            documents.push(document);
        }
        let birth_date = match self.birth_date.as_deref() {
            None | Some("") => None,
            Some(text) => Some(text.parse::<NaiveDate>().map_err(|e| {
                Rejection::new(
                    codes::INVALID_TIME,
                    format!("birth_date {text:?} is not a YYYY-MM-DD date: {e}"),
                )
                .at(field)
            })?),
        };
        let sex = match self.sex.as_deref() {
            None | Some("") => None,
            Some("male" | "m" | "M") => Some(Sex::Male),
            Some("female" | "f" | "F") => Some(Sex::Female),
            Some(other) => {
                return Err(Rejection::new(
                    codes::INVALID_EVENT,
                    format!("sex {other:?} is neither male nor female"),
                )
                .at(field));
            }
        };
        let names = self
            .names
            .into_iter()
            .filter(|n| !n.trim().is_empty())
            .collect();
        let person = Person {
            iin,
            documents,
            names,
            birth_date,
            sex,
        };
        if let Some(problem) = person.inconsistencies().into_iter().next() {
            return Err(Rejection::new(codes::INCONSISTENT_PERSON, problem).at(field));
        }
        Ok(person)
    }
}

impl From<Person> for PersonInput {
    fn from(p: Person) -> Self {
        PersonInput {
            iin: p.iin.map(|i| i.to_string()),
            documents: p
                .documents
                .into_iter()
                .map(|d| DocumentInput {
                    doc_type: d.doc_type.as_str().to_string(),
                    number: d.number,
                    country: d.country,
                })
                .collect(),
            names: p.names,
            birth_date: p.birth_date.map(|d| d.to_string()),
            sex: p.sex.map(|s| match s {
                Sex::Male => "male".to_string(),
                Sex::Female => "female".to_string(),
            }),
        }
    }
}

/// An event as a client sends it (one NDJSON line or one array element).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// RFC 3339 with an offset, e.g. `2026-11-25T10:00:00Z`.
    #[serde(default)]
    pub occurred_at: Option<String>,
    #[serde(default)]
    pub place: Option<Place>,
    #[serde(default)]
    pub subject: Option<PersonInput>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub payload: Option<Box<RawValue>>,
}

/// How far an event's time may stray from the receiving clock.
#[derive(Debug, Clone, Copy)]
pub struct TimePolicy {
    /// An event may claim to have happened at most this far after it was received (clock skew).
    pub max_ahead: chrono::Duration,
    /// Events before this are refused as garbage.
    pub earliest: DateTime<Utc>,
}

impl Default for TimePolicy {
    fn default() -> Self {
        TimePolicy {
            max_ahead: chrono::Duration::minutes(5),
            earliest: DateTime::from_timestamp(946_684_800, 0).unwrap_or_default(), // 2000-01-01
        }
    }
}

const MAX_ID_LEN: usize = 200;

fn required(value: Option<String>, field: &'static str) -> Result<String, Rejection> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(Rejection::new(codes::MISSING_FIELD, format!("{field} is required")).at(field)),
    }
}

impl EventInput {
    /// Checks the input and stamps it with the time it was received.
    pub fn validate(
        self,
        received_at: DateTime<Utc>,
        policy: &TimePolicy,
    ) -> Result<Event, Rejection> {
        let id = required(self.id, "id")?;
        if id.len() > MAX_ID_LEN {
            return Err(Rejection::new(
                codes::INVALID_EVENT,
                format!("id is {} bytes, at most {MAX_ID_LEN}", id.len()),
            )
            .at("id"));
        }
        let kind_text = required(self.kind, "kind")?;
        let kind = EventKind::parse(&kind_text).ok_or_else(|| {
            let known: Vec<_> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            Rejection::new(
                codes::UNKNOWN_EVENT_KIND,
                format!("kind {kind_text:?} is not one of {}", known.join(", ")),
            )
            .at("kind")
        })?;
        let source = required(self.source, "source")?;
        if source.len() > MAX_ID_LEN {
            return Err(Rejection::new(codes::INVALID_EVENT, "source is too long").at("source"));
        }
        let occurred_text = required(self.occurred_at, "occurred_at")?;
        let occurred_at = DateTime::parse_from_rfc3339(&occurred_text)
            .map_err(|e| {
                Rejection::new(
                    codes::INVALID_TIME,
                    format!("occurred_at {occurred_text:?} is not an RFC 3339 time: {e}"),
                )
                .at("occurred_at")
            })?
            .with_timezone(&Utc);
        if occurred_at > received_at + policy.max_ahead {
            return Err(Rejection::new(
                codes::TIME_IN_FUTURE,
                format!("occurred_at {occurred_text} is after the time received ({received_at}) by more than {} s", policy.max_ahead.num_seconds()),
            )
            .at("occurred_at"));
        }
        if occurred_at < policy.earliest {
            return Err(Rejection::new(
                codes::TIME_TOO_OLD,
                format!("occurred_at {occurred_text} is before {}", policy.earliest),
            )
            .at("occurred_at"));
        }
        if let Some(place) = &self.place {
            place.check()?;
        }
        let subject = self.subject.unwrap_or_default().validate("subject")?;
        Ok(Event {
            id,
            kind,
            source,
            occurred_at,
            received_at,
            place: self.place,
            subject,
            payload: self.payload,
        })
    }
}

/// Parses one JSON text into an event. The error tells JSON that is not JSON (`invalid_json`)
/// from JSON that is not an event (`invalid_event`, or a missing or unknown field).
pub fn parse_event(
    json: &str,
    received_at: DateTime<Utc>,
    policy: &TimePolicy,
) -> Result<Event, Rejection> {
    let input: EventInput = serde_json::from_str(json).map_err(|e| {
        let code = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                codes::INVALID_JSON
            }
            _ => codes::INVALID_EVENT,
        };
        Rejection::new(code, e.to_string())
    })?;
    input.validate(received_at, policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    fn parse(json: &str) -> Result<Event, Rejection> {
        parse_event(json, now(), &TimePolicy::default())
    }

    #[test]
    fn the_contract_example_parses() {
        let e = parse(r#"{"id":"e-1","kind":"service_request","source":"egov","occurred_at":"2026-11-25T10:00:00Z","place":{"region":"KZ-75","lat":43.238,"lon":76.945,"office":"CON-12"},"subject":{"iin":"900514300121"}}"#).expect("valid");
        assert_eq!(e.kind, EventKind::ServiceRequest);
        assert_eq!(
            e.subject.iin.map(|i| i.to_string()).as_deref(),
            Some("900514300121")
        );
        assert_eq!(
            e.place.and_then(|p| p.region).map(Region::code),
            Some("KZ-75")
        );
        assert_eq!(e.received_at, now());
    }

    #[test]
    fn each_bad_input_has_its_own_code() {
        let cases = [
            ("{not json", codes::INVALID_JSON),
            (
                r#"{"id":"1","kind":"teleport","source":"s","occurred_at":"2026-11-25T10:00:00Z"}"#,
                codes::UNKNOWN_EVENT_KIND,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z","subject":{"iin":"900514300122"}}"#,
                codes::INVALID_IIN,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z","subject":{"iin":"901345300121"}}"#,
                codes::INVALID_IIN,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s"}"#,
                codes::MISSING_FIELD,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"yesterday"}"#,
                codes::INVALID_TIME,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2027-01-01T00:00:00Z"}"#,
                codes::TIME_IN_FUTURE,
            ),
            (
                r#"{"kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z"}"#,
                codes::MISSING_FIELD,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z","place":{"region":"KZ-00"}}"#,
                codes::INVALID_EVENT,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z","place":{"lat":91,"lon":0}}"#,
                codes::INVALID_PLACE,
            ),
            (
                r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z","colour":"red"}"#,
                codes::INVALID_EVENT,
            ),
            (r#"[1,2]"#, codes::INVALID_EVENT),
        ];
        for (json, code) in cases {
            let err = parse(json).expect_err(json);
            assert_eq!(err.code, code, "{json}: {err}");
        }
    }

    #[test]
    fn a_time_within_the_allowed_skew_is_accepted() {
        let e = parse(
            r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T15:04:00+05:00"}"#,
        )
        .expect("4 min ahead is skew");
        assert_eq!(e.occurred_at, now() + chrono::Duration::minutes(4));
    }

    #[test]
    fn the_iin_message_says_what_is_wrong() {
        let err = parse(r#"{"id":"1","kind":"ticket","source":"s","occurred_at":"2026-11-25T10:00:00Z","subject":{"iin":"900514300122"}}"#).expect_err("bad");
        assert!(err.message.contains("check digit"), "{}", err.message);
    }
}
