//! Wanted vehicles seen by number-plate cameras. A `plate_read` event carries what the camera's
//! OCR believed it saw; [`PlateMatcher`] compares it with the plates of live vehicle entries
//! through `iz-plates`' index, where the confusions an OCR makes cost less than real
//! differences, and proposes a hit when the score reaches the threshold. The hit carries the
//! alignment, character by character, for the operator to check.

use chrono::{DateTime, Utc};
use iz_match::{HitSink, Matcher};
use iz_model::{Event, EventKind, Hit, MatchedField, WatchEntry, WatchId, WatchKind, WatchStatus};
use iz_plates::{Pairing, Plate, PlateIndex, PlateRead};

pub const PLATE_MATCHER: &str = "plate";

/// What a read must reach to be proposed as a sighting of a wanted vehicle.
///
/// The thresholds apply to the characters: `similarity × coverage`, how alike the read is to
/// the plate and how much of it was read. The camera's own confidence is a separate gate, not
/// a factor of the decision: a camera that is 85 % sure of an exact read of a wanted plate has
/// still seen it, and an operator should hear of it. (An earlier version multiplied the
/// confidence in before comparing with 0.9, which silenced every read below 90 % confidence,
/// most of a real camera's output.) The hit's score, used to rank, is the product of all three.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlateThresholds {
    /// For a full read. The default, 0.9: one OCR confusion passes (0.97); one real difference
    /// in eight characters does not (0.875).
    pub full: f32,
    /// For a partial read, scaled by the share of the plate it saw. The default, 0.75: six of
    /// eight characters, read without a fault.
    pub partial: f32,
    /// Reads the camera itself is less sure of than this are not compared. Default 0.5.
    pub min_confidence: f32,
}

impl Default for PlateThresholds {
    fn default() -> Self {
        PlateThresholds {
            full: 0.9,
            partial: 0.75,
            min_confidence: 0.5,
        }
    }
}

#[derive(Debug)]
struct Target {
    id: WatchId,
    expires_at: DateTime<Utc>,
}

/// Live vehicle entries, indexed by plate.
#[derive(Debug)]
pub struct PlateMatcher {
    index: PlateIndex,
    targets: Vec<Target>,
    thresholds: PlateThresholds,
}

impl PlateMatcher {
    /// Indexes the active vehicle entries whose plate reads as a plate at all (any country).
    pub fn build<'a>(
        entries: impl IntoIterator<Item = &'a WatchEntry>,
        thresholds: PlateThresholds,
    ) -> Self {
        let mut targets = Vec::new();
        let mut plates = Vec::new();
        for entry in entries {
            if entry.kind != WatchKind::Vehicle || entry.status != WatchStatus::Active {
                continue;
            }
            let Some(plate) = entry
                .vehicle
                .as_ref()
                .and_then(|v| Plate::parse_any(&v.plate).ok())
            else {
                continue;
            };
            plates.push((targets.len() as u32, plate));
            targets.push(Target {
                id: entry.id,
                expires_at: entry.expires_at,
            });
        }
        PlateMatcher {
            index: PlateIndex::build(plates),
            targets,
            thresholds,
        }
    }

    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// A one-line account of an alignment: "exact", or what differed.
fn summary(m: &iz_plates::PlateMatch) -> String {
    let count = |p: Pairing| m.alignment.iter().filter(|a| a.pairing == p).count();
    let (confused, different) = (count(Pairing::OcrConfusion), count(Pairing::Different));
    let (missing, extra, unread) = (
        count(Pairing::Missing),
        count(Pairing::Extra),
        count(Pairing::Unread),
    );
    let mut parts = Vec::new();
    if confused > 0 {
        parts.push(format!("{confused} OCR confusion(s)"));
    }
    if different > 0 {
        parts.push(format!("{different} different"));
    }
    if missing + extra > 0 {
        parts.push(format!("{} missing or extra", missing + extra));
    }
    if unread > 0 {
        parts.push(format!("{unread} not read"));
    }
    if m.partial {
        parts.push("partial read".into());
    }
    if parts.is_empty() {
        "exact".into()
    } else {
        parts.join(", ")
    }
}

impl Matcher for PlateMatcher {
    fn name(&self) -> &'static str {
        PLATE_MATCHER
    }

    fn wants(&self, kind: EventKind) -> bool {
        kind == EventKind::PlateRead
    }

    fn observe(&self, event: &Event, sink: &mut dyn HitSink) {
        let Some(reading) = &event.plate else {
            return;
        };
        if reading.confidence < self.thresholds.min_confidence {
            return;
        }
        // The index compares characters only (confidence 1); the camera's confidence enters
        // the hit's score afterwards (see [`PlateThresholds`]).
        let (read, threshold) = if reading.partial {
            (
                PlateRead::partial(&reading.plate, 1.0),
                self.thresholds.partial,
            )
        } else {
            (PlateRead::new(&reading.plate, 1.0), self.thresholds.full)
        };
        // Intake has checked the characters; a read that still is no plate matches nothing.
        let Ok(read) = read else {
            return;
        };
        for (slot, mut found) in self.index.matches(&read, threshold) {
            let target = &self.targets[slot as usize];
            if event.received_at >= target.expires_at {
                continue;
            }
            let characters = found.score;
            found.confidence = reading.confidence;
            found.score = characters * reading.confidence;
            let mut explanation = serde_json::to_value(&found).ok();
            if let Some(serde_json::Value::Object(e)) = explanation.as_mut() {
                e.insert("characters".into(), f64::from(characters).into());
                e.insert("threshold".into(), f64::from(threshold).into());
                e.insert(
                    "min_confidence".into(),
                    f64::from(self.thresholds.min_confidence).into(),
                );
            }
            sink.hit(Hit {
                watch_id: target.id,
                matcher: PLATE_MATCHER.into(),
                score: found.score,
                matched: vec![MatchedField {
                    field: "plate".into(),
                    value: reading.plate.clone(),
                    how: summary(&found),
                }],
                explanation,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_entries::{entry, t};
    use iz_model::{EventPolicy, Vehicle, WatchLink, parse_event};

    fn vehicle(id: WatchId, plate: &str) -> WatchEntry {
        WatchEntry {
            vehicle: Some(Vehicle {
                plate: plate.into(),
                description: None,
            }),
            link: Some(WatchLink {
                watch_id: Some(1),
                case_reference: None,
            }),
            ..entry(id, WatchKind::Vehicle)
        }
    }

    fn read(plate: &str, confidence: f32, partial: bool) -> Vec<Hit> {
        let json = serde_json::json!({
            "id": "r-1", "kind": "plate_read", "source": "anpr",
            "occurred_at": "2026-11-25T10:00:00Z",
            "plate": {"camera": "ALA-017", "plate": plate, "confidence": confidence, "partial": partial},
        });
        let event = parse_event(
            &json.to_string(),
            t("2026-11-25T10:00:01Z"),
            &EventPolicy::default(),
        )
        .expect("a valid read");
        let entries = [vehicle(7, "123 ABC 02"), vehicle(8, "777 KZ 01")];
        let m = PlateMatcher::build(&entries, PlateThresholds::default());
        let mut hits = Vec::new();
        m.observe(&event, &mut hits);
        hits
    }

    #[test]
    fn an_exact_read_hits_its_vehicle_with_score_one() {
        let hits = read("123ABC02", 1.0, false);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].watch_id, hits[0].score), (7, 1.0));
        assert_eq!(hits[0].matched[0].how, "exact");
    }

    #[test]
    fn a_one_read_as_i_still_hits_and_says_so() {
        let hits = read("I23 ABC 02", 0.95, false);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].score < 1.0 && hits[0].score >= PlateThresholds::default().full);
        assert_eq!(hits[0].matched[0].how, "1 OCR confusion(s)");
        let explained = hits[0].explanation.as_ref().expect("the alignment");
        assert!(explained["alignment"].is_array());
    }

    #[test]
    fn a_camera_less_sure_of_an_exact_read_still_reports_the_vehicle() {
        let hits = read("123ABC02", 0.8, false);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(
            (hits[0].score - 0.8).abs() < 1e-6,
            "ranked by the confidence"
        );
        let e = hits[0].explanation.as_ref().expect("explained");
        assert_eq!(e["characters"], 1.0);
        assert!((e["confidence"].as_f64().unwrap_or_default() - 0.8).abs() < 1e-6);
        assert!(
            read("123ABC02", 0.4, false).is_empty(),
            "below the minimum confidence"
        );
    }

    #[test]
    fn a_real_difference_does_not_hit() {
        assert!(read("123 ABX 02", 1.0, false).is_empty());
    }

    #[test]
    fn a_partial_read_hits_below_a_full_one() {
        let hits = read("23 ABC 02", 1.0, true);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].score < 1.0);
        assert!(hits[0].matched[0].how.contains("partial read"));
    }

    #[test]
    fn only_vehicle_entries_are_indexed_and_only_plate_reads_are_wanted() {
        let mut person = vehicle(9, "123 ABC 02");
        person.kind = WatchKind::Wanted;
        let m = PlateMatcher::build([&person], PlateThresholds::default());
        assert!(m.is_empty());
        assert!(m.wants(EventKind::PlateRead));
        assert!(!m.wants(EventKind::HotelRegistration));
    }
}
