//! Which similarity counts as a hit, per camera or camera group, and the decision itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::gallery::{Match, PersonId};

/// The serde half of the threshold settings. Precedence when deciding: the camera's own
/// threshold, else its group's (the group comes with the reading), else `default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsConfig {
    pub default: f32,
    /// Camera id → threshold.
    #[serde(default)]
    pub cameras: BTreeMap<String, f32>,
    /// Camera group name → threshold.
    #[serde(default)]
    pub groups: BTreeMap<String, f32>,
}

/// Every problem found in a [`ThresholdsConfig`], not just the first.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("invalid face thresholds: {}", .problems.join("; "))]
pub struct ThresholdsError {
    pub problems: Vec<String>,
}

impl ThresholdsConfig {
    /// Checks every threshold (a finite number in [-1, 1], the range of cosine similarity) and
    /// builds the runtime value.
    pub fn build(&self) -> Result<Thresholds, ThresholdsError> {
        let mut problems = Vec::new();
        let mut check = |place: String, t: f32| {
            if !(t.is_finite() && (-1.0..=1.0).contains(&t)) {
                problems.push(format!(
                    "{place} threshold is {t}; it must be a number in [-1, 1]"
                ));
            }
        };
        check("the default".into(), self.default);
        for (c, &t) in &self.cameras {
            check(format!("camera {c:?}'s"), t);
        }
        for (g, &t) in &self.groups {
            check(format!("group {g:?}'s"), t);
        }
        if !problems.is_empty() {
            return Err(ThresholdsError { problems });
        }
        Ok(Thresholds {
            config: self.clone(),
        })
    }
}

/// Validated thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    config: ThresholdsConfig,
}

/// Where the threshold that applied came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum ThresholdSource {
    Camera { camera: String },
    Group { group: String },
    Default,
}

/// A template matched a wanted person above the applicable threshold: the explanation an
/// operator sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaceHit {
    pub person: PersonId,
    /// Which of the person's enrolled templates matched best.
    pub template_index: u32,
    pub score: f32,
    pub threshold: f32,
    pub threshold_source: ThresholdSource,
    /// The best score minus the best score of any other person; `None` when no other person
    /// was scored. A small margin means two enrolled persons look alike to the model.
    pub margin_to_second: Option<f32>,
    pub second_person: Option<PersonId>,
}

impl Thresholds {
    /// The same threshold everywhere.
    pub fn uniform(threshold: f32) -> Result<Self, ThresholdsError> {
        ThresholdsConfig {
            default: threshold,
            cameras: BTreeMap::new(),
            groups: BTreeMap::new(),
        }
        .build()
    }

    /// The threshold for a reading from `camera` (in `group`, if the reading names one).
    pub fn threshold_for(&self, camera: &str, group: Option<&str>) -> (f32, ThresholdSource) {
        if let Some(&t) = self.config.cameras.get(camera) {
            return (
                t,
                ThresholdSource::Camera {
                    camera: camera.to_owned(),
                },
            );
        }
        if let Some((g, &t)) = group.and_then(|g| self.config.groups.get_key_value(g)) {
            return (t, ThresholdSource::Group { group: g.clone() });
        }
        (self.config.default, ThresholdSource::Default)
    }

    /// Decides whether the scored persons (as [`crate::Gallery::search_persons`] returns them,
    /// though any order and repeated persons are accepted) make a hit for a reading from
    /// `camera`: the best person's score must reach the applicable threshold.
    ///
    /// `None` means no hit: the caller drops the template. This crate never retains a query
    /// template — searches borrow it and keep nothing — so a non-hit leaves no trace here.
    pub fn decide(&self, camera: &str, group: Option<&str>, persons: &[Match]) -> Option<FaceHit> {
        let (threshold, threshold_source) = self.threshold_for(camera, group);
        let best = persons
            .iter()
            .copied()
            .reduce(|a, b| if better(&b, &a) { b } else { a })?;
        // Written so that a NaN score (never produced by a search) is no hit.
        if best.score.partial_cmp(&threshold).is_none_or(|o| o.is_lt()) {
            return None;
        }
        let second = persons
            .iter()
            .filter(|m| m.person != best.person)
            .copied()
            .reduce(|a, b| if better(&b, &a) { b } else { a });
        Some(FaceHit {
            person: best.person,
            template_index: best.template_index,
            score: best.score,
            threshold,
            threshold_source,
            margin_to_second: second.map(|s| best.score - s.score),
            second_person: second.map(|s| s.person),
        })
    }
}

fn better(a: &Match, b: &Match) -> bool {
    crate::rank::before(a.score, a.row, b.score, b.row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_reports_every_bad_threshold() {
        let cfg = ThresholdsConfig {
            default: 1.5,
            cameras: BTreeMap::from([("c1".into(), f32::NAN), ("c2".into(), 0.5)]),
            groups: BTreeMap::from([("g".into(), -2.0)]),
        };
        let err = cfg.build().err().map(|e| e.problems.len());
        assert_eq!(err, Some(3));
    }
}
