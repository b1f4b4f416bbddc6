//! # iz-wanted: finding wanted persons by their traces
//!
//! The first capability of Iz. A wanted person — sought on a warrant, a court decision or a
//! search order, or missing — leaves traces in registries: a request at a public-service centre,
//! a ticket, a hotel registration, a border crossing, a document check. Each such event carries
//! identifiers of its subject; [`WantedMatcher`] compares them exactly with the live wanted
//! entries:
//!
//! - the **IIN**, as a number (it was validated when the event was parsed);
//! - each **document**, as type plus normalised number (no case, spaces or dashes; Cyrillic
//!   look-alike letters read as Latin), so `Н 1234-5678` on a hand-filled hotel form meets
//!   `H12345678` on the warrant.
//!
//! An entry that is withdrawn, closed or past its expiry at the time the event was received
//! never matches. Matching by names, plates and faces comes with later capabilities, behind the
//! same trait.
//!
//! The index is built once per watch-list version; lookups hash an identifier without
//! allocating, then confirm the candidate by comparing the values themselves, so a hash
//! collision can cost time but never produce a false hit.

#![deny(clippy::unwrap_used)]

mod faces;
mod names;
mod plates;
#[cfg(test)]
mod test_entries;

pub use faces::{DEFAULT_FACE_THRESHOLD, FACE_MATCHER, FaceMatcher};
pub use iz_faces::{Thresholds as FaceThresholds, ThresholdsConfig as FaceThresholdsConfig};
pub use names::{DEFAULT_NAME_THRESHOLD, NAME_MATCHER, NameMatcher};
pub use plates::{PLATE_MATCHER, PlateMatcher, PlateThresholds};

use std::hash::{BuildHasher, Hasher};

use chrono::{DateTime, Utc};
use hashbrown::HashMap;
use iz_match::{HitSink, Matcher};
use iz_model::{
    DocumentType, Event, EventKind, Hit, Iin, MatchedField, WatchEntry, WatchId, WatchKind,
    normalise_document_number,
};
use smallvec::SmallVec;

/// The matcher's name, as recorded on hits.
pub const NAME: &str = "wanted";

#[derive(Debug)]
struct Target {
    id: WatchId,
    expires_at: DateTime<Utc>,
    iin: Option<Iin>,
    documents: Vec<(DocumentType, String)>,
}

type Slots = SmallVec<[u32; 1]>;

/// Exact identifier matching against the wanted entries live at build time.
#[derive(Debug)]
pub struct WantedMatcher {
    targets: Vec<Target>,
    by_iin: HashMap<u64, Slots, foldhash::fast::FixedState>,
    by_document: HashMap<u64, Slots, foldhash::fast::FixedState>,
    hasher: foldhash::fast::FixedState,
}

impl WantedMatcher {
    /// Builds the index from watch entries; entries of other kinds or not active are skipped.
    /// Expiry is checked per event, so an entry that expires while this index is in use falls
    /// silent on time.
    pub fn build<'a>(entries: impl IntoIterator<Item = &'a WatchEntry>) -> Self {
        let hasher = foldhash::fast::FixedState::with_seed(0x1a2b_3c4d);
        let mut m = WantedMatcher {
            targets: Vec::new(),
            by_iin: HashMap::with_hasher(hasher),
            by_document: HashMap::with_hasher(hasher),
            hasher,
        };
        for entry in entries {
            if entry.kind != WatchKind::Wanted || entry.status != iz_model::WatchStatus::Active {
                continue;
            }
            let slot = m.targets.len() as u32;
            let documents: Vec<_> = entry
                .person
                .documents
                .iter()
                .map(|d| (d.doc_type, normalise_document_number(&d.number)))
                .collect();
            if let Some(iin) = entry.person.iin {
                m.by_iin.entry(iin.as_u64()).or_default().push(slot);
            }
            for (doc_type, number) in &documents {
                let key = document_key(&hasher, *doc_type, number);
                let slots = m.by_document.entry(key).or_default();
                if !slots.contains(&slot) {
                    slots.push(slot);
                }
            }
            m.targets.push(Target {
                id: entry.id,
                expires_at: entry.expires_at,
                iin: entry.person.iin,
                documents,
            });
        }
        m
    }

    /// How many entries the index holds.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// Hashes a document's type and normalised number as it would be normalised, without building
/// the normalised string.
fn document_key(hasher: &impl BuildHasher, doc_type: DocumentType, number: &str) -> u64 {
    let mut h = hasher.build_hasher();
    h.write_u8(doc_type as u8);
    for c in iz_model::normalised_document_chars(number) {
        h.write_u32(c as u32);
    }
    h.finish()
}

impl Matcher for WantedMatcher {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, kind: EventKind) -> bool {
        matches!(
            kind,
            EventKind::ServiceRequest
                | EventKind::Ticket
                | EventKind::HotelRegistration
                | EventKind::BorderCrossing
                | EventKind::DocumentCheck
        )
    }

    fn observe(&self, event: &Event, sink: &mut dyn HitSink) {
        let subject = &event.subject;
        // Most events carry one IIN and at most a document: collect candidate slots with the
        // fields that matched, without allocating in the common no-hit case.
        let mut found: SmallVec<[(u32, MatchedField); 2]> = SmallVec::new();
        if let Some(iin) = subject.iin
            && let Some(slots) = self.by_iin.get(&iin.as_u64())
        {
            for &slot in slots {
                if self.targets[slot as usize].iin == Some(iin) {
                    found.push((
                        slot,
                        MatchedField {
                            field: "iin".into(),
                            value: iin.to_string(),
                            how: "exact".into(),
                        },
                    ));
                }
            }
        }
        for doc in &subject.documents {
            let key = document_key(&self.hasher, doc.doc_type, &doc.number);
            let Some(slots) = self.by_document.get(&key) else {
                continue;
            };
            for &slot in slots {
                let target = &self.targets[slot as usize];
                let same = |n: &String| {
                    n.chars()
                        .eq(iz_model::normalised_document_chars(&doc.number))
                };
                if target
                    .documents
                    .iter()
                    .any(|(t, n)| *t == doc.doc_type && same(n))
                {
                    let how = if normalise_document_number(&doc.number) == doc.number {
                        "exact"
                    } else {
                        "exact after normalisation"
                    };
                    found.push((
                        slot,
                        MatchedField {
                            field: "document".into(),
                            value: format!("{} {}", doc.doc_type.as_str(), doc.number),
                            how: how.into(),
                        },
                    ));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        found.sort_by_key(|(slot, _)| *slot);
        let mut i = 0;
        while i < found.len() {
            let slot = found[i].0;
            let target = &self.targets[slot as usize];
            let mut matched = Vec::new();
            while i < found.len() && found[i].0 == slot {
                matched.push(found[i].1.clone());
                i += 1;
            }
            if event.received_at >= target.expires_at {
                continue;
            }
            sink.hit(Hit {
                explanation: None,
                watch_id: target.id,
                matcher: NAME.into(),
                score: 1.0,
                matched,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iz_model::{
        Category, Document, EventPolicy, LegalBasis, LegalBasisKind, Person, Priority, Region,
        WatchStatus, parse_event,
    };

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn entry(id: WatchId, iin: &str, docs: &[(DocumentType, &str)], expires: &str) -> WatchEntry {
        WatchEntry {
            id,
            kind: WatchKind::Wanted,
            person: Person {
                iin: Some(Iin::parse(iin).expect("iin")),
                documents: docs
                    .iter()
                    .map(|(t, n)| Document {
                        doc_type: *t,
                        number: n.to_string(),
                        country: None,
                    })
                    .collect(),
                ..Person::default()
            },
            legal_basis: LegalBasis {
                kind: LegalBasisKind::Warrant,
                reference: "W-1".into(),
                authority: "court".into(),
                issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            },
            expires_at: t(expires),
            region: Region::parse("KZ-75").expect("region"),
            priority: Priority::High,
            category: Category::EvadingCourt,
            status: WatchStatus::Active,
            created_at: t("2026-01-01T00:00:00Z"),
            created_by: "test".into(),
            vehicle: None,
            link: None,
            faces: Vec::new(),
        }
    }

    fn event(subject: &str) -> Event {
        let json = format!(
            r#"{{"id":"e","kind":"hotel_registration","source":"hotels","occurred_at":"2026-11-25T10:00:00Z","subject":{subject}}}"#
        );
        parse_event(&json, t("2026-11-25T10:00:01Z"), &EventPolicy::default()).expect("event")
    }

    fn hits(m: &WantedMatcher, e: &Event) -> Vec<Hit> {
        let mut out = Vec::new();
        m.observe(e, &mut out);
        out
    }

    #[test]
    fn an_iin_on_the_list_is_found() {
        let m = WantedMatcher::build(&[entry(7, "900514300121", &[], "2027-01-01T00:00:00Z")]);
        let found = hits(&m, &event(r#"{"iin":"900514300121"}"#));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].watch_id, 7);
        assert_eq!(found[0].matched[0].field, "iin");
        assert!(hits(&m, &event(r#"{"iin":"881122400450"}"#)).is_empty());
    }

    #[test]
    fn a_document_is_found_after_normalisation() {
        let m = WantedMatcher::build(&[entry(
            3,
            "900514300121",
            &[(DocumentType::Passport, "N12345678")],
            "2027-01-01T00:00:00Z",
        )]);
        let found = hits(
            &m,
            &event(r#"{"documents":[{"type":"passport","number":"n 1234-5678"}]}"#),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].matched[0].how, "exact after normalisation");
        // Same number, other document type: not the same document.
        assert!(
            hits(
                &m,
                &event(r#"{"documents":[{"type":"id_card","number":"N12345678"}]}"#)
            )
            .is_empty()
        );
    }

    #[test]
    fn iin_and_document_on_one_event_make_one_hit_with_both_reasons() {
        let m = WantedMatcher::build(&[entry(
            3,
            "900514300121",
            &[(DocumentType::IdCard, "041234567")],
            "2027-01-01T00:00:00Z",
        )]);
        let found = hits(
            &m,
            &event(
                r#"{"iin":"900514300121","documents":[{"type":"id_card","number":"041234567"}]}"#,
            ),
        );
        assert_eq!(found.len(), 1);
        let fields: Vec<_> = found[0].matched.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["iin", "document"]);
    }

    #[test]
    fn an_expired_entry_never_matches() {
        let m = WantedMatcher::build(&[entry(1, "900514300121", &[], "2026-11-25T10:00:00Z")]);
        assert!(hits(&m, &event(r#"{"iin":"900514300121"}"#)).is_empty());
    }

    #[test]
    fn withdrawn_entries_are_not_indexed() {
        let mut e = entry(1, "900514300121", &[], "2027-01-01T00:00:00Z");
        e.status = WatchStatus::Withdrawn {
            reason: "r".into(),
            by: "a".into(),
            at: t("2026-02-01T00:00:00Z"),
        };
        let m = WantedMatcher::build(&[e]);
        assert!(m.is_empty());
        assert!(hits(&m, &event(r#"{"iin":"900514300121"}"#)).is_empty());
    }

    #[test]
    fn two_entries_for_one_person_both_hit() {
        let m = WantedMatcher::build(&[
            entry(1, "900514300121", &[], "2027-01-01T00:00:00Z"),
            entry(2, "900514300121", &[], "2027-01-01T00:00:00Z"),
        ]);
        let ids: Vec<_> = hits(&m, &event(r#"{"iin":"900514300121"}"#))
            .iter()
            .map(|h| h.watch_id)
            .collect();
        assert_eq!(ids, [1, 2]);
    }
}
