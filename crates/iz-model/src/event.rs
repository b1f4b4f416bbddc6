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
    /// A number-plate camera read a vehicle's plate (`plate` carries the read).
    PlateRead,
    /// A camera's face analytics saw a face (`face` carries its template, never an image).
    FaceSighting,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::ServiceRequest,
        EventKind::Ticket,
        EventKind::HotelRegistration,
        EventKind::BorderCrossing,
        EventKind::DocumentCheck,
        EventKind::PlateRead,
        EventKind::FaceSighting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ServiceRequest => "service_request",
            EventKind::Ticket => "ticket",
            EventKind::HotelRegistration => "hotel_registration",
            EventKind::BorderCrossing => "border_crossing",
            EventKind::DocumentCheck => "document_check",
            EventKind::PlateRead => "plate_read",
            EventKind::FaceSighting => "face_sighting",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A small dense number for per-kind tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether events of this kind are about a person's papers (IIN, documents, names), as
    /// opposed to a camera's observation of a vehicle or a face.
    pub fn carries_papers(self) -> bool {
        !matches!(self, EventKind::PlateRead | EventKind::FaceSighting)
    }
}

/// A number-plate camera's read of a plate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlateReading {
    /// The camera's id, as its operator names it.
    pub camera: String,
    /// The plate as read, possibly partial (`?` for a character not read).
    pub plate: String,
    /// The camera's confidence in the read, 0 to 1 (1 when not given).
    #[serde(default = "full_confidence")]
    pub confidence: f32,
    /// The camera saw only part of the plate (the rest was hidden or cut off).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Where the camera keeps the image, if anywhere (Iz never receives images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_ref: Option<String>,
}

fn full_confidence() -> f32 {
    1.0
}

/// A camera's face template: an embedding computed by the camera's analytics, never an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FaceReading {
    pub camera: String,
    /// The camera group whose threshold applies, when the camera's own is not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_group: Option<String>,
    /// L2-normalised f32 components, as many as the configured dimension.
    pub template: Vec<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_ref: Option<String>,
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
    /// The plate read, for `plate_read` events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plate: Option<PlateReading>,
    /// The face template, for `face_sighting` events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub face: Option<FaceReading>,
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
    /// Required for `plate_read` events.
    #[serde(default)]
    pub plate: Option<PlateReading>,
    /// Required for `face_sighting` events.
    #[serde(default)]
    pub face: Option<FaceReading>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub payload: Option<Box<RawValue>>,
}

/// What intake accepts: how far an event's time may stray from the receiving clock, and the
/// shape of face templates.
#[derive(Debug, Clone, Copy)]
pub struct EventPolicy {
    /// An event may claim to have happened at most this far after it was received (clock skew).
    pub max_ahead: chrono::Duration,
    /// Events before this are refused as garbage.
    pub earliest: DateTime<Utc>,
    /// The number of components of a face template (the cameras' model decides it).
    pub face_dimension: usize,
}

impl Default for EventPolicy {
    fn default() -> Self {
        EventPolicy {
            max_ahead: chrono::Duration::minutes(5),
            earliest: DateTime::from_timestamp(946_684_800, 0).unwrap_or_default(), // 2000-01-01
            face_dimension: 512,
        }
    }
}

/// How far a template's length may be from 1 and still count as L2-normalised.
pub const NORM_TOLERANCE: f32 = 1e-3;

/// Why a face template is not usable, or `None`: the dimension, every component finite, and
/// unit length.
pub fn face_template_problem(template: &[f32], dimension: usize) -> Option<String> {
    if template.len() != dimension {
        return Some(format!(
            "the template has {} components; this installation's cameras send {dimension}",
            template.len()
        ));
    }
    if let Some(i) = template.iter().position(|x| !x.is_finite()) {
        return Some(format!("component {i} is {} (not a number)", template[i]));
    }
    let norm = template
        .iter()
        .map(|x| f64::from(*x) * f64::from(*x))
        .sum::<f64>()
        .sqrt();
    if (norm - 1.0).abs() > f64::from(NORM_TOLERANCE) {
        return Some(format!(
            "the template's length is {norm:.4}, not 1: send it L2-normalised"
        ));
    }
    None
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
        policy: &EventPolicy,
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
        let plate = match (kind, self.plate) {
            (EventKind::PlateRead, None) => {
                return Err(Rejection::new(
                    codes::MISSING_FIELD,
                    "a plate_read event needs `plate`: {\"camera\", \"plate\", \"confidence\"}",
                )
                .at("plate"));
            }
            (_, Some(read)) => {
                if let Some(bad) = read
                    .plate
                    .chars()
                    .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '?')))
                {
                    return Err(Rejection::new(
                        codes::INVALID_PLATE,
                        format!("plate {:?} holds {bad:?}; a read is letters, digits and ? for a character not read", read.plate),
                    )
                    .at("plate.plate"));
                }
                if read.plate.trim().is_empty() || read.plate.chars().count() > 20 {
                    return Err(Rejection::new(
                        codes::INVALID_PLATE,
                        format!(
                            "plate {:?} is empty or longer than 20 characters",
                            read.plate
                        ),
                    )
                    .at("plate.plate"));
                }
                if !(read.confidence.is_finite() && (0.0..=1.0).contains(&read.confidence)) {
                    return Err(Rejection::new(
                        codes::INVALID_PLATE,
                        format!("confidence {} is not between 0 and 1", read.confidence),
                    )
                    .at("plate.confidence"));
                }
                Some(read)
            }
            (_, None) => None,
        };
        let face = match (kind, self.face) {
            (EventKind::FaceSighting, None) => {
                return Err(Rejection::new(
                    codes::MISSING_FIELD,
                    "a face_sighting event needs `face`: {\"camera\", \"template\": [...]}",
                )
                .at("face"));
            }
            (_, Some(face)) => {
                if let Some(problem) = face_template_problem(&face.template, policy.face_dimension)
                {
                    return Err(
                        Rejection::new(codes::INVALID_TEMPLATE, problem).at("face.template")
                    );
                }
                Some(face)
            }
            (_, None) => None,
        };
        Ok(Event {
            id,
            kind,
            source,
            occurred_at,
            received_at,
            place: self.place,
            subject,
            plate,
            face,
            payload: self.payload,
        })
    }
}

/// Parses one JSON text into an event. The error tells JSON that is not JSON (`invalid_json`)
/// from JSON that is not an event (`invalid_event`, or a missing or unknown field).
pub fn parse_event(
    json: &str,
    received_at: DateTime<Utc>,
    policy: &EventPolicy,
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
        parse_event(json, now(), &EventPolicy::default())
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

    fn unit_template(dimension: usize) -> String {
        let x = 1.0 / (dimension as f64).sqrt();
        let parts: Vec<String> = (0..dimension).map(|_| format!("{x}")).collect();
        format!("[{}]", parts.join(","))
    }

    #[test]
    fn a_plate_read_carries_camera_plate_and_confidence() {
        let e = parse(r#"{"id":"p-1","kind":"plate_read","source":"anpr","occurred_at":"2026-11-25T10:00:00Z","plate":{"camera":"ALA-017","plate":"123 ABC 02","confidence":0.87}}"#).expect("valid");
        assert_eq!(e.kind, EventKind::PlateRead);
        let read = e.plate.expect("plate");
        assert_eq!(
            (read.camera.as_str(), read.plate.as_str()),
            ("ALA-017", "123 ABC 02")
        );
        assert!((read.confidence - 0.87).abs() < 1e-6);
        assert!(!e.kind.carries_papers());
    }

    #[test]
    fn a_plate_read_without_a_plate_or_with_a_wild_confidence_is_refused() {
        let r = parse(r#"{"id":"p-1","kind":"plate_read","source":"anpr","occurred_at":"2026-11-25T10:00:00Z"}"#).expect_err("no plate");
        assert_eq!((r.code, r.field), (codes::MISSING_FIELD, Some("plate")));
        let r = parse(r#"{"id":"p-1","kind":"plate_read","source":"anpr","occurred_at":"2026-11-25T10:00:00Z","plate":{"camera":"c","plate":"123ABC02","confidence":1.5}}"#).expect_err("confidence");
        assert_eq!(
            (r.code, r.field),
            (codes::INVALID_PLATE, Some("plate.confidence"))
        );
    }

    #[test]
    fn a_face_sighting_needs_a_unit_template_of_the_configured_dimension() {
        let line = |template: &str| {
            format!(
                r#"{{"id":"f-1","kind":"face_sighting","source":"cams","occurred_at":"2026-11-25T10:00:00Z","face":{{"camera":"AST-3","template":{template}}}}}"#
            )
        };
        let e = parse(&line(&unit_template(512))).expect("valid");
        assert_eq!(e.face.expect("face").template.len(), 512);

        let short = parse(&line(&unit_template(128))).expect_err("dimension");
        assert_eq!(
            (short.code, short.field),
            (codes::INVALID_TEMPLATE, Some("face.template"))
        );
        assert!(
            short.message.contains("128 components"),
            "{}",
            short.message
        );

        let long = format!("[{}]", vec!["0.5"; 512].join(","));
        let unnormalised = parse(&line(&long)).expect_err("norm");
        assert!(
            unnormalised.message.contains("L2-normalised"),
            "{}",
            unnormalised.message
        );

        let r = parse(r#"{"id":"f-1","kind":"face_sighting","source":"cams","occurred_at":"2026-11-25T10:00:00Z"}"#).expect_err("no face");
        assert_eq!((r.code, r.field), (codes::MISSING_FIELD, Some("face")));
    }

    #[test]
    fn a_template_with_a_non_finite_component_names_it() {
        let mut t = vec![0.0f32; 4];
        t[0] = 1.0;
        assert_eq!(face_template_problem(&t, 4), None);
        t[2] = f32::NAN;
        let problem = face_template_problem(&t, 4).expect("NaN");
        assert!(problem.contains("component 2"), "{problem}");
    }
}
