//! # iz-drones: activity in open country, against the licences that allow it
//!
//! Drones flying over the steppe report what their image models see: an excavation, heavy
//! machinery, a stockpile. Most of it is lawful — a subsoil-use licence covers the site. What
//! an inspector wants is the rest: activity **outside every valid licence**, or inside one
//! that has **expired**. This crate decides which detections are those, and folds the
//! detections of one site, flight after flight, into one incident. Pure: GeoJSON text and
//! values in, decisions out; the store keeps incidents, an inspector decides.
//!
//! ## Licensed areas
//!
//! [`Licences::from_geojson`] reads a FeatureCollection of licence areas (Polygon or
//! MultiPolygon) with properties `id` (the licence number), `holder`, `valid_from` and
//! `valid_until` (dates, inclusive). Geometry goes through `iz-geo`'s loader and its checks
//! (self-intersections refused, unclosed rings closed with a note); the properties are
//! checked here, and every problem of the file comes back at once. Licences may overlap (one
//! field, two licences for different minerals): a detection is covered when any valid one
//! covers it.
//!
//! ## A detection's verdict
//!
//! A detection has a flight id, a time, a class, a footprint (a Point, or a Polygon the model
//! drew), a confidence in 0..1 and an image reference. Its *check points* are the point, or
//! the polygon's exterior vertices and its centre (their mean). Then, in this order:
//!
//! | verdict | when |
//! |---|---|
//! | `low_confidence` | confidence below [`Policy::min_confidence`] (0.5): counted, no incident |
//! | `licensed` | one licence valid on the day covers every check point |
//! | `licence_expired` | a licence covers every check point, but none is valid on the day (expired or not yet in force) |
//! | `extends_outside_licence` | a valid licence covers some check points but not all |
//! | `outside_any_licence` | no licence covers any check point |
//!
//! The last three open an incident. Vertices inside do not prove a polygon inside a concave
//! licence; the model's footprints are small convex outlines, for which they do.
//!
//! ## One site, one incident
//!
//! A detection whose centre lies within [`Policy::fold_radius_m`] (250 m) of an open
//! incident's site folds into it: the incident keeps every detection (flight, time, class,
//! confidence, image), the flights it was seen on, and its first and last sighting. An
//! incident an inspector closed takes no more detections; a new one opens at the site.
#![deny(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use iz_geo::{Point, ZoneSet};
use iz_model::Rejection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Stable codes.
pub mod codes {
    /// A licence file, or one licence in it, that cannot be used.
    pub const INVALID_LICENCE: &str = "invalid_licence";
    /// A footprint that is not a Point or a valid Polygon.
    pub const INVALID_FOOTPRINT: &str = "invalid_footprint";
    pub const INVALID_CONFIDENCE: &str = "invalid_confidence";
    pub const TIME_IN_FUTURE: &str = "time_in_future";
    /// A detection with an empty flight id or class.
    pub const INVALID_DETECTION: &str = "invalid_detection";
}

/// A licence to work an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub number: String,
    pub holder: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

impl Licence {
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && day <= self.valid_until
    }
}

/// One problem in a licence file: the feature, a code, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceProblem {
    pub feature: Option<usize>,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the licence file has {} problem(s), the first: {}", .0.len(), .0.first().map(|p| p.message.as_str()).unwrap_or(""))]
pub struct InvalidLicences(pub Vec<LicenceProblem>);

/// Licensed areas with the spatial index over them.
#[derive(Debug)]
pub struct Licences {
    areas: ZoneSet,
    /// `licences[i]` is the licence of `areas.zones()[i]`.
    licences: Vec<Licence>,
}

impl Licences {
    /// No licence at all: every confident detection is outside any licence.
    pub fn none() -> Self {
        Self {
            areas: ZoneSet::new(Vec::new()),
            licences: Vec::new(),
        }
    }

    /// Reads a FeatureCollection of licence areas; every problem is returned at once.
    pub fn from_geojson(text: &str) -> Result<Self, InvalidLicences> {
        let geo_problem = |p: &iz_geo::Problem| LicenceProblem {
            feature: p.feature,
            code: codes::INVALID_LICENCE,
            message: format!("{}: {}", p.code, p.message),
        };
        let mut problems = Vec::new();
        let areas = match ZoneSet::from_geojson(text) {
            Ok((areas, _notes)) => Some(areas),
            Err(e) => {
                problems.extend(e.problems().iter().map(geo_problem));
                if problems.is_empty() {
                    problems.push(LicenceProblem {
                        feature: None,
                        code: codes::INVALID_LICENCE,
                        message: e.to_string(),
                    });
                }
                None
            }
        };
        let root: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let features = root
            .get("features")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut licences = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            let props = f.get("properties").unwrap_or(&Value::Null);
            let text_of = |key: &str| {
                props.get(key).and_then(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .or_else(|| v.as_i64().map(|n| n.to_string()))
                })
            };
            let mut bad = |message: String| {
                problems.push(LicenceProblem {
                    feature: Some(i),
                    code: codes::INVALID_LICENCE,
                    message,
                })
            };
            let number = text_of("id").unwrap_or_default();
            let holder = text_of("holder").unwrap_or_default();
            if holder.trim().is_empty() {
                bad(format!("licence {number:?} names no holder"));
            }
            let date = |key: &str| {
                text_of(key).and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
            };
            match (date("valid_from"), date("valid_until")) {
                (Some(from), Some(until)) if from <= until => licences.push(Licence {
                    number,
                    holder,
                    valid_from: from,
                    valid_until: until,
                }),
                (Some(_), Some(_)) => bad(format!("licence {number:?} ends before it starts")),
                _ => bad(format!(
                    "licence {number:?} needs valid_from and valid_until as YYYY-MM-DD"
                )),
            }
        }
        match areas {
            Some(areas) if problems.is_empty() && areas.zones().len() == licences.len() => {
                Ok(Self { areas, licences })
            }
            Some(_) if problems.is_empty() => Err(InvalidLicences(vec![LicenceProblem {
                feature: None,
                code: codes::INVALID_LICENCE,
                message: "a licence file is a FeatureCollection of licence areas".into(),
            }])),
            _ => Err(InvalidLicences(problems)),
        }
    }

    pub fn len(&self) -> usize {
        self.licences.len()
    }

    pub fn is_empty(&self) -> bool {
        self.licences.is_empty()
    }

    pub fn licences(&self) -> &[Licence] {
        &self.licences
    }

    fn covering(&self, p: Point) -> Vec<u32> {
        self.areas.locate(p)
    }
}

/// A drone detection as it arrives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectionInput {
    pub flight: String,
    pub at: DateTime<Utc>,
    /// `excavation`, `heavy_machinery`, `stockpile`, … as the model names it.
    pub class: String,
    /// A GeoJSON Point or Polygon.
    pub footprint: Value,
    pub confidence: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// Tunable figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    pub min_confidence: f64,
    pub fold_radius_m: f64,
    /// How far ahead of the caller's clock a detection's time may be.
    pub max_clock_skew_s: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_confidence: 0.5,
            fold_radius_m: 250.0,
            max_clock_skew_s: 300,
        }
    }
}

/// Why a detection is (or is not) a matter for an inspector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    LowConfidence,
    Licensed {
        licence: String,
    },
    LicenceExpired {
        licence: String,
        valid_until: NaiveDate,
    },
    ExtendsOutsideLicence {
        licence: String,
    },
    OutsideAnyLicence,
}

impl Verdict {
    pub fn opens_incident(&self) -> bool {
        !matches!(self, Verdict::LowConfidence | Verdict::Licensed { .. })
    }
}

/// One detection as an incident keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    pub flight: String,
    pub at: DateTime<Utc>,
    pub class: String,
    pub confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub verdict: Verdict,
    pub lat: f64,
    pub lon: f64,
}

/// A site with activity no valid licence covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: u64,
    /// The first detection's centre (a footprint's is the mean of its vertices).
    pub lat: f64,
    pub lon: f64,
    /// The first detection's verdict.
    pub verdict: Verdict,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub flights: BTreeSet<String>,
    pub sightings: Vec<Sighting>,
    /// Closed by an inspector: takes no more detections.
    pub closed: bool,
}

/// What became of a detection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// No incident: licensed, or too unsure.
    Noted {
        verdict: Verdict,
    },
    Opened {
        incident: u64,
        verdict: Verdict,
    },
    Folded {
        incident: u64,
        verdict: Verdict,
    },
}

/// Licences and the incidents found against them.
#[derive(Debug)]
pub struct Watch {
    policy: Policy,
    licences: Licences,
    incidents: Vec<Incident>,
}

impl Watch {
    pub fn new(policy: Policy, licences: Licences) -> Self {
        Self {
            policy,
            licences,
            incidents: Vec::new(),
        }
    }

    /// Picks up incidents found before (from the store), numbered 1, 2, … as this watch
    /// numbers them.
    pub fn with_incidents(mut self, mut incidents: Vec<Incident>) -> Self {
        incidents.sort_by_key(|i| i.id);
        self.incidents = incidents;
        self
    }

    /// A new licence file in force; incidents found so far stay.
    pub fn replace_licences(&mut self, licences: Licences) {
        self.licences = licences;
    }

    pub fn incident(&self, id: u64) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }

    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    pub fn licences(&self) -> &Licences {
        &self.licences
    }

    /// An inspector closed the incident; `false` when there is none with this id.
    pub fn close(&mut self, incident: u64) -> bool {
        self.incidents
            .iter_mut()
            .find(|i| i.id == incident)
            .map(|i| i.closed = true)
            .is_some()
    }

    /// The verdict on a detection and its centre, or why it cannot be judged.
    pub fn assess(
        &self,
        d: &DetectionInput,
        now: DateTime<Utc>,
    ) -> Result<(Verdict, Point), Rejection> {
        if d.flight.trim().is_empty() || d.class.trim().is_empty() {
            return Err(Rejection::new(
                codes::INVALID_DETECTION,
                "a detection needs its flight id and class",
            )
            .at("flight"));
        }
        if !(0.0..=1.0).contains(&d.confidence) {
            return Err(Rejection::new(
                codes::INVALID_CONFIDENCE,
                format!("confidence is 0..1, not {}", d.confidence),
            )
            .at("confidence"));
        }
        if d.at > now + chrono::Duration::seconds(self.policy.max_clock_skew_s) {
            return Err(Rejection::new(
                codes::TIME_IN_FUTURE,
                format!("{} is ahead of the clock ({now})", d.at),
            )
            .at("at"));
        }
        let (points, centre) = check_points(&d.footprint)?;
        if d.confidence < self.policy.min_confidence {
            return Ok((Verdict::LowConfidence, centre));
        }
        let day = d.at.date_naive();
        let per_point: Vec<Vec<u32>> = points.iter().map(|p| self.licences.covering(*p)).collect();
        let all: Vec<u32> = per_point[0]
            .iter()
            .copied()
            .filter(|l| per_point.iter().all(|c| c.contains(l)))
            .collect();
        let licence = |i: u32| &self.licences.licences[i as usize];
        if let Some(&l) = all.iter().find(|&&l| licence(l).valid_on(day)) {
            return Ok((
                Verdict::Licensed {
                    licence: licence(l).number.clone(),
                },
                centre,
            ));
        }
        if let Some(&l) = all.iter().max_by_key(|&&l| licence(l).valid_until) {
            let l = licence(l);
            return Ok((
                Verdict::LicenceExpired {
                    licence: l.number.clone(),
                    valid_until: l.valid_until,
                },
                centre,
            ));
        }
        if let Some(l) = per_point
            .iter()
            .flatten()
            .map(|&l| licence(l))
            .find(|l| l.valid_on(day))
        {
            return Ok((
                Verdict::ExtendsOutsideLicence {
                    licence: l.number.clone(),
                },
                centre,
            ));
        }
        Ok((Verdict::OutsideAnyLicence, centre))
    }

    /// Judges a detection and opens or folds into an incident when it is one.
    pub fn record(&mut self, d: &DetectionInput, now: DateTime<Utc>) -> Result<Outcome, Rejection> {
        let (verdict, centre) = self.assess(d, now)?;
        if !verdict.opens_incident() {
            return Ok(Outcome::Noted { verdict });
        }
        let sighting = Sighting {
            flight: d.flight.clone(),
            at: d.at,
            class: d.class.clone(),
            confidence: d.confidence,
            image: d.image.clone(),
            verdict: verdict.clone(),
            lat: centre.lat,
            lon: centre.lon,
        };
        let radius = self.policy.fold_radius_m;
        let site = self.incidents.iter_mut().filter(|i| !i.closed).find(|i| {
            iz_geo::haversine_m(
                Point {
                    lat: i.lat,
                    lon: i.lon,
                },
                centre,
            ) <= radius
        });
        if let Some(incident) = site {
            incident.first_seen = incident.first_seen.min(d.at);
            incident.last_seen = incident.last_seen.max(d.at);
            incident.flights.insert(d.flight.clone());
            incident.sightings.push(sighting);
            return Ok(Outcome::Folded {
                incident: incident.id,
                verdict,
            });
        }
        let id = self.incidents.last().map_or(1, |i| i.id + 1);
        self.incidents.push(Incident {
            id,
            lat: centre.lat,
            lon: centre.lon,
            verdict: verdict.clone(),
            first_seen: d.at,
            last_seen: d.at,
            flights: BTreeSet::from([d.flight.clone()]),
            sightings: vec![sighting],
            closed: false,
        });
        Ok(Outcome::Opened {
            incident: id,
            verdict,
        })
    }
}

/// The positions a footprint is checked at, and its centre.
fn check_points(footprint: &Value) -> Result<(Vec<Point>, Point), Rejection> {
    let bad = |m: String| Rejection::new(codes::INVALID_FOOTPRINT, m).at("footprint");
    let position = |v: &Value| -> Result<Point, Rejection> {
        let xy = v
            .as_array()
            .filter(|a| a.len() >= 2)
            .ok_or_else(|| bad(format!("{v} is not a position [lon, lat]")))?;
        let (lon, lat) = (xy[0].as_f64(), xy[1].as_f64());
        match (lat, lon) {
            (Some(lat), Some(lon)) => Point::new(lat, lon).map_err(|e| bad(e.to_string())),
            _ => Err(bad(format!("{v} is not a position [lon, lat]"))),
        }
    };
    match footprint.get("type").and_then(Value::as_str) {
        Some("Point") => {
            let p = position(footprint.get("coordinates").unwrap_or(&Value::Null))?;
            Ok((vec![p], p))
        }
        Some("Polygon") => {
            // The loader's checks (closing, self-intersection) first.
            let feature = serde_json::json!({ "type": "Feature", "properties": { "id": "footprint" }, "geometry": footprint });
            iz_geo::load_zones(&feature.to_string()).map_err(|e| {
                let why: Vec<String> = e
                    .problems()
                    .iter()
                    .map(|p| format!("{}: {}", p.code, p.message))
                    .collect();
                bad(if why.is_empty() {
                    e.to_string()
                } else {
                    why.join("; ")
                })
            })?;
            let ring = footprint
                .get("coordinates")
                .and_then(Value::as_array)
                .and_then(|rings| rings.first())
                .and_then(Value::as_array)
                .ok_or_else(|| bad("a Polygon needs an exterior ring".into()))?;
            let mut points = ring.iter().map(position).collect::<Result<Vec<_>, _>>()?;
            if points.len() > 1 && points.first() == points.last() {
                points.pop();
            }
            let n = points.len() as f64;
            let centre = Point {
                lat: points.iter().map(|p| p.lat).sum::<f64>() / n,
                lon: points.iter().map(|p| p.lon).sum::<f64>() / n,
            };
            points.push(centre);
            Ok((points, centre))
        }
        other => Err(bad(format!(
            "a footprint is a Point or a Polygon, not {other:?}"
        ))),
    }
}
