//! Wanted persons seen by cameras whose analytics send face templates (embeddings, never
//! images). [`FaceMatcher`] enrols every template of every live wanted entry in an int8
//! gallery whose re-rank gives exactly the f32 ranking (`iz-faces`), compares a sighting by
//! cosine similarity, and decides with the threshold of the camera, else of its group, else the
//! default. Below the threshold nothing happens: the sighting's template is not kept anywhere
//! (and the event, hitting nothing, is not stored either). A hit carries the score, the
//! threshold and where it came from, and the margin to the next most similar person.

use chrono::{DateTime, Utc};
use iz_faces::{QuantisedGallery, Template, Thresholds};
use iz_match::{HitSink, Matcher};
use iz_model::{Event, EventKind, Hit, MatchedField, WatchEntry, WatchId, WatchKind, WatchStatus};

pub const FACE_MATCHER: &str = "face";

/// The threshold when no camera or group has its own: a cautious cosine similarity for
/// 512-dimensional face embeddings; set it from the camera vendor's calibration.
pub const DEFAULT_FACE_THRESHOLD: f32 = 0.6;

#[derive(Debug)]
struct Target {
    id: WatchId,
    expires_at: DateTime<Utc>,
}

/// Live wanted entries with enrolled face templates.
pub struct FaceMatcher {
    gallery: Option<QuantisedGallery>,
    targets: Vec<Target>,
    dimension: usize,
    thresholds: Thresholds,
}

impl std::fmt::Debug for FaceMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceMatcher")
            .field("persons", &self.targets.len())
            .field("dimension", &self.dimension)
            .finish()
    }
}

impl FaceMatcher {
    /// Enrols the templates of active wanted entries. A template of another dimension than
    /// `dimension` (stored before the cameras' model changed) is left out.
    pub fn build<'a>(
        entries: impl IntoIterator<Item = &'a WatchEntry>,
        dimension: usize,
        thresholds: Thresholds,
    ) -> Self {
        let mut gallery = QuantisedGallery::new(dimension).ok();
        let mut targets = Vec::new();
        for entry in entries {
            if entry.kind != WatchKind::Wanted
                || entry.status != WatchStatus::Active
                || entry.faces.is_empty()
            {
                continue;
            }
            let person = targets.len() as u64;
            let mut enrolled = false;
            for face in &entry.faces {
                if let (Some(g), Ok(template)) = (
                    gallery.as_mut(),
                    Template::with_dimension(face.to_vec(), dimension),
                ) {
                    enrolled |= g.enroll(person, &template).is_ok();
                }
            }
            if enrolled {
                targets.push(Target {
                    id: entry.id,
                    expires_at: entry.expires_at,
                });
            }
        }
        if targets.is_empty() {
            gallery = None;
        }
        FaceMatcher {
            gallery,
            targets,
            dimension,
            thresholds,
        }
    }

    /// Persons with at least one enrolled template.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

impl Matcher for FaceMatcher {
    fn name(&self) -> &'static str {
        FACE_MATCHER
    }

    fn wants(&self, kind: EventKind) -> bool {
        kind == EventKind::FaceSighting
    }

    fn observe(&self, event: &Event, sink: &mut dyn HitSink) {
        let (Some(face), Some(gallery)) = (&event.face, &self.gallery) else {
            return;
        };
        // Intake has checked the template; one of another shape matches nothing.
        let Ok(query) = Template::with_dimension(face.template.clone(), self.dimension) else {
            return;
        };
        let Ok(persons) = gallery.search_persons(&query, 2) else {
            return;
        };
        let Some(hit) =
            self.thresholds
                .decide(&face.camera, face.camera_group.as_deref(), &persons)
        else {
            return;
        };
        let Some(target) = self.targets.get(hit.person as usize) else {
            return;
        };
        if event.received_at >= target.expires_at {
            return;
        }
        sink.hit(Hit {
            watch_id: target.id,
            matcher: FACE_MATCHER.into(),
            score: hit.score.clamp(0.0, 1.0),
            matched: vec![MatchedField {
                field: "face".into(),
                value: face.camera.clone(),
                how: format!(
                    "similarity {:.3} ≥ threshold {:.3}",
                    hit.score, hit.threshold
                ),
            }],
            explanation: serde_json::to_value(&hit).ok(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_entries::{entry, t};
    use iz_model::{EventPolicy, parse_event};

    const DIM: usize = 8;

    fn unit(v: &[f32]) -> Vec<f32> {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / norm).collect()
    }

    fn wanted(id: WatchId, faces: Vec<Vec<f32>>) -> WatchEntry {
        WatchEntry {
            faces: faces.into_iter().map(Into::into).collect(),
            ..entry(id, WatchKind::Wanted)
        }
    }

    fn sighting(template: &[f32], camera: &str) -> Event {
        let json = serde_json::json!({
            "id": "f-1", "kind": "face_sighting", "source": "cams", "occurred_at": "2026-11-25T10:00:00Z",
            "face": {"camera": camera, "camera_group": "airport", "template": template},
        });
        let policy = EventPolicy {
            face_dimension: DIM,
            ..EventPolicy::default()
        };
        parse_event(&json.to_string(), t("2026-11-25T10:00:01Z"), &policy).expect("event")
    }

    fn matcher() -> FaceMatcher {
        let entries = [
            wanted(
                1,
                vec![
                    unit(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
                    unit(&[1.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
                ],
            ),
            wanted(2, vec![unit(&[0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])]),
        ];
        let thresholds = iz_faces::ThresholdsConfig {
            default: DEFAULT_FACE_THRESHOLD,
            cameras: [("AST-GATE-1".to_string(), 0.95)].into(),
            groups: Default::default(),
        }
        .build()
        .expect("thresholds");
        FaceMatcher::build(&entries, DIM, thresholds)
    }

    fn hits(template: &[f32], camera: &str) -> Vec<Hit> {
        let mut found = Vec::new();
        matcher().observe(&sighting(template, camera), &mut found);
        found
    }

    #[test]
    fn a_close_template_hits_its_person_with_score_and_threshold_explained() {
        let found = hits(&unit(&[0.8, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0]), "AST-3");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].watch_id, 1);
        assert_eq!(found[0].matcher, FACE_MATCHER);
        let e = found[0].explanation.as_ref().expect("explanation");
        assert_eq!(
            e["threshold"].as_f64().map(|t| (t * 10.0).round()),
            Some(6.0)
        );
        assert_eq!(e["threshold_source"]["from"], "default");
        assert!(e["margin_to_second"].as_f64().is_some_and(|m| m > 0.0));
    }

    #[test]
    fn below_the_threshold_nothing_is_proposed() {
        let found = hits(&unit(&[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]), "AST-3");
        assert!(found.is_empty());
    }

    #[test]
    fn a_camera_with_a_stricter_threshold_of_its_own_applies_it() {
        let close = unit(&[0.8, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(hits(&close, "AST-3").len(), 1);
        assert!(hits(&close, "AST-GATE-1").is_empty(), "0.95 at the gate");
    }

    #[test]
    fn templates_of_another_dimension_are_not_enrolled() {
        let entries = [wanted(1, vec![unit(&[1.0, 0.0, 0.0, 0.0])])];
        let m = FaceMatcher::build(&entries, DIM, Thresholds::uniform(0.5).expect("t"));
        assert!(m.is_empty());
    }
}
