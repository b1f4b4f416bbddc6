//! A court's restrictions, as written (inputs that round-trip to GeoJSON) and as checked
//! (rules over prepared zones), and the verdict of one rule on one position.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use hashbrown::HashMap;
use iz_geo::{Containment, Point, Zone, ZoneSet};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{InvalidOrder, OrderProblem, codes};
use crate::schedule::{DailyWindow, DailyWindowInput, Interval};

/// A zone as an order gives it: an id, a label for the officer, and a GeoJSON geometry — a
/// Polygon or MultiPolygon, or a Point with `radius_m` (a circle around an address).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneInput {
    pub id: String,
    #[serde(default)]
    pub label: String,
    pub geometry: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurfewInput {
    #[serde(default)]
    pub days: Vec<String>,
    pub start: String,
    pub end: String,
    /// Where the person must be during the window; the home zone when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneInput>,
}

/// Places of a category (bars, schools, playgrounds) the person must keep `radius_m` away from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceBanInput {
    pub category: String,
    pub radius_m: f64,
}

/// An area closed to the person for a time (a match, a rally).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BannedEventInput {
    pub zone: ZoneInput,
    #[serde(flatten)]
    pub when: Interval,
}

/// The region the person may not leave, except within a travel permission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRuleInput {
    pub zone: ZoneInput,
    #[serde(default)]
    pub permissions: Vec<Interval>,
}

/// Every restriction of one court decision, as data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictionsInput {
    /// Must stay inside, at all times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<ZoneInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub curfews: Vec<CurfewInput>,
    /// Must not enter (a victim's address, a school).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<ZoneInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub banned_places: Vec<PlaceBanInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub banned_events: Vec<BannedEventInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionRuleInput>,
}

/// What a violation is of: one restriction, or one device's state.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ViolationKind {
    LeftHome,
    Curfew { index: usize },
    Exclusion { zone: String },
    BannedPlace { category: String },
    BannedEvent { zone: String },
    LeftRegion,
    SignalLoss { device: String },
    Tamper { device: String },
    LowBattery { device: String },
}

impl ViolationKind {
    /// A short stable key, e.g. `exclusion:victim-home`, `curfew:0`, `tamper:BR-1001`.
    pub fn key(&self) -> String {
        match self {
            ViolationKind::LeftHome => "left_home".into(),
            ViolationKind::Curfew { index } => format!("curfew:{index}"),
            ViolationKind::Exclusion { zone } => format!("exclusion:{zone}"),
            ViolationKind::BannedPlace { category } => format!("banned_place:{category}"),
            ViolationKind::BannedEvent { zone } => format!("banned_event:{zone}"),
            ViolationKind::LeftRegion => "left_region".into(),
            ViolationKind::SignalLoss { device } => format!("signal_loss:{device}"),
            ViolationKind::Tamper { device } => format!("tamper:{device}"),
            ViolationKind::LowBattery { device } => format!("low_battery:{device}"),
        }
    }

    /// Whether the violation is of a device's state rather than of where the person was.
    pub fn is_device(&self) -> bool {
        matches!(
            self,
            ViolationKind::SignalLoss { .. }
                | ViolationKind::Tamper { .. }
                | ViolationKind::LowBattery { .. }
        )
    }
}

/// A point of interest for banned-place restrictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub category: String,
    pub lat: f64,
    pub lon: f64,
}

/// A ban's circles are indexed this much wider than the ban, so that a position whose
/// accuracy disc reaches a circle is found as a candidate; a position less accurate than this
/// is uncertain for every banned place.
pub const PLACE_ACCURACY_CAP_M: f64 = 1_000.0;

/// The place catalogue, with one spatial index per (category, radius) that some order uses.
#[derive(Debug, Default, Clone)]
pub struct Places {
    places: Vec<Place>,
    by_category: HashMap<String, Vec<usize>>,
    bans: HashMap<(String, u64), Arc<PlaceBan>>,
}

/// The places of one category, as circles of one radius (plus the cap) in one index.
#[derive(Debug)]
pub struct PlaceBan {
    category: String,
    radius_m: f64,
    index: ZoneSet,
    /// `index` zone `i` is the catalogue's place `members[i]`.
    members: Vec<usize>,
}

impl Places {
    /// A catalogue; places with positions that are not on Earth are returned as problems.
    pub fn new(places: Vec<Place>) -> (Self, Vec<OrderProblem>) {
        let mut ok = Vec::with_capacity(places.len());
        let mut problems = Vec::new();
        for (i, p) in places.into_iter().enumerate() {
            match Point::new(p.lat, p.lon) {
                Ok(_) => ok.push(p),
                Err(e) => problems.push(OrderProblem::new(
                    &format!("places[{i}]"),
                    codes::INVALID_POSITION,
                    e.to_string(),
                )),
            }
        }
        let mut by_category: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in ok.iter().enumerate() {
            by_category.entry(p.category.clone()).or_default().push(i);
        }
        let catalogue = Self {
            places: ok,
            by_category,
            bans: HashMap::new(),
        };
        (catalogue, problems)
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The index for one ban, built the first time an order asks for it.
    fn ban(&mut self, category: &str, radius_m: f64) -> Option<Arc<PlaceBan>> {
        let members = self.by_category.get(category)?;
        let key = (category.to_string(), radius_m.to_bits());
        if let Some(ban) = self.bans.get(&key) {
            return Some(ban.clone());
        }
        let zones = members
            .iter()
            .map(|&i| {
                let p = &self.places[i];
                Zone {
                    id: p.id.clone(),
                    shape: iz_geo::Shape::Circle(iz_geo::Circle {
                        lat: p.lat,
                        lon: p.lon,
                        radius_m: radius_m + PLACE_ACCURACY_CAP_M,
                    }),
                }
            })
            .collect();
        let ban = Arc::new(PlaceBan {
            category: category.to_string(),
            radius_m,
            index: ZoneSet::new(zones),
            members: members.clone(),
        });
        self.bans.insert(key, ban.clone());
        Some(ban)
    }

    pub fn place(&self, i: usize) -> &Place {
        &self.places[i]
    }
}

/// When a rule is in force.
#[derive(Debug, Clone)]
enum When {
    Always,
    Daily(DailyWindow),
    During(Interval),
    /// Always, except within one of these (travel permissions).
    Unless(Vec<Interval>),
}

impl When {
    fn in_force(&self, at: DateTime<Utc>, local: NaiveDateTime) -> bool {
        match self {
            When::Always => true,
            When::Daily(w) => w.contains(local),
            When::During(i) => i.contains(at),
            When::Unless(permissions) => !permissions.iter().any(|p| p.contains(at)),
        }
    }
}

#[derive(Debug, Clone)]
enum Test {
    StayInside(Arc<Zone>),
    StayOut(Arc<Zone>),
    KeepAway(Arc<PlaceBan>),
}

/// One restriction, ready to be checked.
#[derive(Debug, Clone)]
pub struct Rule {
    pub kind: ViolationKind,
    test: Test,
    when: When,
}

/// What one rule says of one position.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Not in force now, or the whole accuracy disc is on the allowed side.
    Complies,
    /// The whole accuracy disc is on the forbidden side.
    Breaks(Finding),
    /// The disc reaches across the boundary: no evidence either way.
    Uncertain,
}

/// Why a position breaks a rule: the zone or place concerned and how far past its boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The zone id, or the place's id for a banned place.
    pub subject: String,
    /// The place's name, or the zone's label.
    pub label: String,
    /// Metres from the position to the boundary that was crossed (for a place: to the place).
    pub distance_m: f64,
}

impl Rule {
    /// The verdict for a position with an accuracy radius at an instant (`local` is the same
    /// instant on the Kazakh clock).
    pub fn judge(
        &self,
        p: Point,
        accuracy_m: f64,
        at: DateTime<Utc>,
        local: NaiveDateTime,
        labels: &Labels,
        places: &Places,
    ) -> Verdict {
        if !self.when.in_force(at, local) {
            return Verdict::Complies;
        }
        let finding = |zone: &Zone| Finding {
            subject: zone.id.clone(),
            label: labels.of(&zone.id),
            distance_m: zone.distance_to_boundary_m(p),
        };
        match &self.test {
            Test::StayInside(zone) => match zone.classify(p, accuracy_m) {
                Containment::Inside => Verdict::Complies,
                Containment::Outside => Verdict::Breaks(finding(zone)),
                Containment::Uncertain => Verdict::Uncertain,
            },
            Test::StayOut(zone) => match zone.classify(p, accuracy_m) {
                Containment::Outside => Verdict::Complies,
                Containment::Inside => Verdict::Breaks(finding(zone)),
                Containment::Uncertain => Verdict::Uncertain,
            },
            Test::KeepAway(ban) => ban.judge(p, accuracy_m, places),
        }
    }
}

impl PlaceBan {
    fn judge(&self, p: Point, accuracy_m: f64, places: &Places) -> Verdict {
        let mut nearest: Option<(f64, usize)> = None;
        for zone in ban_candidates(&self.index, p) {
            let place = places.place(self.members[zone as usize]);
            let d = iz_geo::haversine_m(
                p,
                Point {
                    lat: place.lat,
                    lon: place.lon,
                },
            );
            if nearest.is_none_or(|(best, _)| d < best) {
                nearest = Some((d, self.members[zone as usize]));
            }
        }
        match nearest {
            // Nothing within radius + cap: complies unless the position is vaguer than the cap.
            None if accuracy_m <= PLACE_ACCURACY_CAP_M => Verdict::Complies,
            None => Verdict::Uncertain,
            Some((d, i)) if d + accuracy_m <= self.radius_m => {
                let place = places.place(i);
                Verdict::Breaks(Finding {
                    subject: place.id.clone(),
                    label: if place.name.is_empty() {
                        self.category.clone()
                    } else {
                        place.name.clone()
                    },
                    distance_m: d,
                })
            }
            Some((d, _)) if d - accuracy_m > self.radius_m => Verdict::Complies,
            Some(_) => Verdict::Uncertain,
        }
    }
}

fn ban_candidates(index: &ZoneSet, p: Point) -> Vec<u32> {
    let mut out = Vec::new();
    index.locate_into(p.lat, p.lon, &mut out);
    out
}

/// Zone labels by id, for the officer's evidence.
#[derive(Debug, Clone, Default)]
pub struct Labels(HashMap<String, String>);

impl Labels {
    fn of(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_default()
    }
}

/// A court's restrictions, checked: the rules in a fixed order (home, curfews, exclusions,
/// places, events, region) and the input they came from, kept to be shown back as GeoJSON.
#[derive(Debug, Clone)]
pub struct Restrictions {
    pub rules: Vec<Rule>,
    pub labels: Labels,
    pub input: RestrictionsInput,
}

impl Restrictions {
    /// Checks an order's restrictions; every problem is returned at once.
    pub fn compile(input: RestrictionsInput, places: &mut Places) -> Result<Self, InvalidOrder> {
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        let mut labels = HashMap::new();
        let mut zone = |z: &ZoneInput, at: &str, problems: &mut Vec<OrderProblem>| {
            labels.insert(z.id.clone(), z.label.clone());
            match prepare_zone(z) {
                Ok(zone) => Some(Arc::new(zone)),
                Err(message) => {
                    problems.push(OrderProblem::new(at, codes::INVALID_ZONE, message));
                    None
                }
            }
        };
        let home = input
            .home
            .as_ref()
            .and_then(|z| zone(z, "home", &mut problems));
        if let Some(home) = &home {
            rules.push(Rule {
                kind: ViolationKind::LeftHome,
                test: Test::StayInside(home.clone()),
                when: When::Always,
            });
        }
        for (i, c) in input.curfews.iter().enumerate() {
            let at = format!("curfews[{i}]");
            let window = DailyWindowInput {
                days: c.days.clone(),
                start: c.start.clone(),
                end: c.end.clone(),
            };
            let window = DailyWindow::from_input(&window, &at).map_err(|p| problems.push(p));
            let place = match &c.zone {
                Some(z) => zone(z, &format!("{at}.zone"), &mut problems),
                None if input.home.is_none() => {
                    problems.push(OrderProblem::new(
                        &at,
                        codes::CURFEW_WITHOUT_ZONE,
                        "a curfew needs a zone of its own or a home zone to stay in",
                    ));
                    None
                }
                None => home.clone(),
            };
            if let (Ok(window), Some(place)) = (window, place) {
                rules.push(Rule {
                    kind: ViolationKind::Curfew { index: i },
                    test: Test::StayInside(place),
                    when: When::Daily(window),
                });
            }
        }
        for (i, z) in input.exclusions.iter().enumerate() {
            if let Some(excluded) = zone(z, &format!("exclusions[{i}]"), &mut problems) {
                rules.push(Rule {
                    kind: ViolationKind::Exclusion { zone: z.id.clone() },
                    test: Test::StayOut(excluded),
                    when: When::Always,
                });
            }
        }
        for (i, b) in input.banned_places.iter().enumerate() {
            let at = format!("banned_places[{i}]");
            if !(b.radius_m.is_finite() && b.radius_m > 0.0) {
                problems.push(OrderProblem::new(
                    &at,
                    codes::INVALID_PLACE_BAN,
                    format!("radius_m must be above 0, not {}", b.radius_m),
                ));
                continue;
            }
            match places.ban(&b.category, b.radius_m) {
                Some(ban) => rules.push(Rule {
                    kind: ViolationKind::BannedPlace {
                        category: b.category.clone(),
                    },
                    test: Test::KeepAway(ban),
                    when: When::Always,
                }),
                None => problems.push(OrderProblem::new(
                    &at,
                    codes::INVALID_PLACE_BAN,
                    format!(
                        "the place catalogue has no places of category {:?}",
                        b.category
                    ),
                )),
            }
        }
        for (i, e) in input.banned_events.iter().enumerate() {
            let at = format!("banned_events[{i}]");
            let when = e.when.checked(&at).map_err(|p| problems.push(p));
            let area = zone(&e.zone, &format!("{at}.zone"), &mut problems);
            if let (Ok(when), Some(area)) = (when, area) {
                rules.push(Rule {
                    kind: ViolationKind::BannedEvent {
                        zone: e.zone.id.clone(),
                    },
                    test: Test::StayOut(area),
                    when: When::During(when),
                });
            }
        }
        if let Some(r) = &input.region {
            let permissions: Vec<Interval> = r
                .permissions
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    p.checked(&format!("region.permissions[{i}]"))
                        .map_err(|e| problems.push(e))
                        .ok()
                })
                .collect();
            if let Some(region) = zone(&r.zone, "region.zone", &mut problems) {
                rules.push(Rule {
                    kind: ViolationKind::LeftRegion,
                    test: Test::StayInside(region),
                    when: When::Unless(permissions),
                });
            }
        }
        if problems.is_empty() {
            Ok(Self {
                rules,
                labels: Labels(labels),
                input,
            })
        } else {
            Err(InvalidOrder(problems))
        }
    }
}

impl RestrictionsInput {
    /// The restrictions as a GeoJSON FeatureCollection for the map: one feature per zone, with
    /// the restriction it carries and when it applies in `properties`.
    pub fn to_geojson(&self) -> Value {
        let feature = |z: &ZoneInput, restriction: &str, extra: Value| {
            let mut properties =
                json!({ "id": z.id, "label": z.label, "restriction": restriction });
            if let Some(r) = z.radius_m {
                properties["radius_m"] = json!(r);
            }
            if let (Some(p), Value::Object(extra)) = (properties.as_object_mut(), extra) {
                p.extend(extra);
            }
            json!({ "type": "Feature", "properties": properties, "geometry": z.geometry })
        };
        let i = self;
        let mut features = Vec::new();
        if let Some(h) = &i.home {
            features.push(feature(h, "home", json!({})));
        }
        for (n, c) in i.curfews.iter().enumerate() {
            if let Some(z) = &c.zone {
                features.push(feature(
                    z,
                    "curfew",
                    json!({ "curfew": n, "days": c.days, "start": c.start, "end": c.end }),
                ));
            }
        }
        for z in &i.exclusions {
            features.push(feature(z, "exclusion", json!({})));
        }
        for e in &i.banned_events {
            features.push(feature(
                &e.zone,
                "banned_event",
                json!({ "from": e.when.from, "until": e.when.until }),
            ));
        }
        if let Some(r) = &i.region {
            features.push(feature(
                &r.zone,
                "region",
                json!({ "permissions": r.permissions }),
            ));
        }
        json!({ "type": "FeatureCollection", "features": features })
    }
}

/// One zone through iz-geo's loader, so that orders are held to the same checks as zone files.
fn prepare_zone(z: &ZoneInput) -> Result<Zone, String> {
    if z.id.trim().is_empty() {
        return Err("a zone needs an id".into());
    }
    let mut properties = json!({ "id": z.id });
    if let Some(r) = z.radius_m {
        properties["radius_m"] = json!(r);
    }
    let feature = json!({ "type": "Feature", "properties": properties, "geometry": z.geometry });
    let loaded = iz_geo::load_zones(&feature.to_string()).map_err(|e| {
        let found: Vec<String> = e
            .problems()
            .iter()
            .map(|p| format!("{}: {}", p.code, p.message))
            .collect();
        if found.is_empty() {
            e.to_string()
        } else {
            found.join("; ")
        }
    })?;
    loaded
        .zones
        .into_iter()
        .next()
        .ok_or_else(|| "the geometry holds no zone".to_string())
}
