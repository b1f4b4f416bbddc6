//! A probation caseload and its bracelets' pings: persons in Almaty, Astana and Shymkent, each
//! with a home zone (a 32-vertex polygon a few kilometres across), three exclusion zones (two
//! circles and a polygon), a night curfew at a 150 m circle round the flat, and a bracelet
//! that pings every `interval`. Most pings keep every restriction; a chosen share of
//! episodes walks into the first exclusion zone for four pings, so a run has violations to
//! find. Orders and pings come out as JSON, in the API's shapes.

use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::{Value, json};

use crate::names::Names;
use crate::rng::Rng;

/// City centres with their region codes.
const CITIES: [(&str, f64, f64, f64); 3] = [
    ("KZ-75", 43.2380, 76.9450, 0.5),
    ("KZ-71", 51.1690, 71.4490, 0.3),
    ("KZ-79", 42.3417, 69.5901, 0.2),
];

const METRES_PER_DEGREE: f64 = 111_195.08;

/// People per officer (Kazakhstan's probation service: about sixty).
const CASELOAD: usize = 60;

#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadConfig {
    pub seed: u64,
    pub persons: usize,
    /// Share of four-ping episodes spent inside the first exclusion zone.
    pub breach_share: f64,
}

/// One generated person: their order and what the pings need to know.
#[derive(Debug, Clone)]
pub struct SupervisedSpec {
    pub index: usize,
    pub device: String,
    pub home: (f64, f64),
    pub excluded: (f64, f64),
    pub order: Value,
}

/// The caseload, generated in one go (25,000 persons take well under a second).
pub struct Caseload {
    pub config: CaseloadConfig,
    pub persons: Vec<SupervisedSpec>,
}

fn moved(from: (f64, f64), north: f64, east: f64) -> (f64, f64) {
    (
        from.0 + north / METRES_PER_DEGREE,
        from.1 + east / (METRES_PER_DEGREE * from.0.to_radians().cos()),
    )
}

/// A closed ring of `n` vertices round `centre`, radii between `r` and `1.3 r` (a star-free,
/// convex-ish outline like a district's).
fn ring(rng: &mut Rng, centre: (f64, f64), r: f64, n: usize) -> Value {
    let mut points: Vec<Value> = (0..n)
        .map(|k| {
            let angle = k as f64 / n as f64 * std::f64::consts::TAU;
            let radius = r * (1.0 + 0.3 * rng.unit());
            let (lat, lon) = moved(centre, radius * angle.sin(), radius * angle.cos());
            json!([lon, lat])
        })
        .collect();
    points.push(points[0].clone());
    json!({ "type": "Polygon", "coordinates": [points] })
}

/// A circle zone in the API's shape (geometry and radius; id and label added by the caller).
fn circle(centre: (f64, f64), radius_m: f64) -> Value {
    json!({ "geometry": { "type": "Point", "coordinates": [centre.1, centre.0] }, "radius_m": radius_m })
}

/// A polygon zone in the API's shape.
fn area(geometry: Value) -> Value {
    json!({ "geometry": geometry })
}

impl Caseload {
    pub fn generate(config: CaseloadConfig, now: DateTime<Utc>) -> Self {
        let names = Names::load();
        let weights: Vec<f64> = CITIES.iter().map(|c| c.3).collect();
        let persons = (0..config.persons)
            .map(|i| {
                let mut rng = Rng::new(&[config.seed, 0x5afe, i as u64]);
                let (region, lat, lon, _) = CITIES[rng.weighted(&weights)];
                let home = moved((lat, lon), (rng.unit() - 0.5) * 12_000.0, (rng.unit() - 0.5) * 12_000.0);
                let lang = if rng.chance(0.7) { &names.kk } else { &names.ru };
                let given = &lang.male[rng.index(lang.male.len())].cyr;
                let surname = &lang.surnames[rng.index(lang.surnames.len())][0].cyr;
                let bearing = rng.unit() * std::f64::consts::TAU;
                // The three zones a third of a turn apart, so that no walk to one crosses another.
                let towards = |turn: f64, d: f64| {
                    let b = bearing + turn * std::f64::consts::TAU;
                    moved(home, d * b.sin(), d * b.cos())
                };
                let excluded = towards(0.0, 1_500.0 + rng.unit() * 1_000.0);
                let school = towards(1.0 / 3.0, 1_900.0);
                let bar = towards(2.0 / 3.0, 2_400.0);
                let device = format!("BR-{i:06}");
                let zone = |id: &str, label: &str, shape: Value| {
                    let mut z = shape;
                    z["id"] = json!(id);
                    z["label"] = json!(label);
                    z
                };
                let home_zone = zone("home", "Home district", area(ring(&mut rng, home, 3_500.0, 32)));
                let order = json!({
                    "name": format!("{surname} {given}"),
                    "officer": format!("officer-{region}-{:03}", i / CASELOAD),
                    "region": region,
                    "legal_basis": { "kind": "court_decision", "reference": format!("CD-2026-{:05}", i + 1), "authority": "District court", "issued_on": "2026-06-01" },
                    "term": { "from": (now - Duration::days(180)).to_rfc3339(), "until": (now + Duration::days(540)).to_rfc3339() },
                    "devices": [device],
                    "restrictions": {
                        "home": home_zone,
                        "curfews": [{ "days": [], "start": "22:00", "end": "06:00", "zone": zone("flat", "The flat", circle(home, 150.0)) }],
                        "exclusions": [
                            zone("victim", "The victim's address", circle(excluded, 250.0)),
                            zone("school", "School", area(ring(&mut rng, school, 120.0, 12))),
                            zone("bar", "Bar", circle(bar, 100.0)),
                        ],
                    },
                    "needs": if rng.chance(0.5) { json!(["employment"]) } else { json!(["housing", "health"]) },
                });
                SupervisedSpec { index: i, device, home, excluded, order }
            })
            .collect();
        Caseload { config, persons }
    }

    /// Ping `n` of the stream: person `n % persons`, their `n / persons`-th ping, `interval`
    /// apart, the stream ending at `end`. Returns the ping's JSON.
    pub fn ping(&self, n: usize, count: usize, interval: Duration, end: DateTime<Utc>) -> Value {
        let persons = self.persons.len().max(1);
        let p = &self.persons[n % persons];
        let k = n / persons;
        let rounds = count.div_ceil(persons).max(1);
        // Persons take their turn within the round, spread over the interval.
        let offset = interval * (n % persons) as i32 / persons as i32;
        let at = end - interval * (rounds - k) as i32 + offset;
        let mut rng = Rng::new(&[self.config.seed, 0x919, p.index as u64, k as u64]);
        let episode = Rng::new(&[self.config.seed, 0xe915, p.index as u64, (k / 8) as u64])
            .chance(self.config.breach_share);
        let night = {
            let hour = (at + Duration::hours(5)).hour();
            !(6..22).contains(&hour)
        };
        let (position, accuracy) = if episode && k % 8 < 4 {
            (
                moved(
                    p.excluded,
                    (rng.unit() - 0.5) * 60.0,
                    (rng.unit() - 0.5) * 60.0,
                ),
                10.0,
            )
        } else if night {
            (
                moved(p.home, (rng.unit() - 0.5) * 60.0, (rng.unit() - 0.5) * 60.0),
                8.0,
            )
        } else {
            // Daytime: somewhere in the home district, away from the excluded address.
            let d = 200.0 + rng.unit() * 1_000.0;
            let angle = rng.unit() * std::f64::consts::TAU;
            (
                moved(p.home, d * angle.sin(), d * angle.cos()),
                5.0 + rng.unit() * 25.0,
            )
        };
        let battery = 100.0 - (k % 200) as f64 * 0.4;
        json!({
            "device": p.device,
            "lat": (position.0 * 1e6).round() / 1e6,
            "lon": (position.1 * 1e6).round() / 1e6,
            "accuracy_m": (accuracy * 10.0_f64).round() / 10.0,
            "battery": battery,
            "at": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
    }
}
