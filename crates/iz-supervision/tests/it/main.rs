//! Scenario fixtures: an order, pings in, violations out.

mod bad_input;
mod devices;
mod restrictions;
mod violations;

use chrono::{DateTime, Duration, TimeZone, Utc};
use iz_supervision::*;
use serde_json::json;

/// The flat in Almaty the person lives in.
pub const HOME: (f64, f64) = (43.2380, 76.9450);
/// The victim's address, 2 km north-east of home.
pub const VICTIM: (f64, f64) = (43.2560, 76.9700);
pub const BRACELET: &str = "BR-1001";
pub const PERSON: PersonId = 7;

/// A position `north` and `east` metres from `from`.
pub fn moved(from: (f64, f64), north: f64, east: f64) -> (f64, f64) {
    let lat = from.0 + north / iz_geo::METRES_PER_DEGREE;
    let lon = from.1 + east / (iz_geo::METRES_PER_DEGREE * from.0.to_radians().cos());
    (lat, lon)
}

/// A square zone of `half` metres around a centre.
pub fn square(id: &str, centre: (f64, f64), half: f64) -> ZoneInput {
    let corner = |n: f64, e: f64| {
        let (lat, lon) = moved(centre, n, e);
        json!([lon, lat])
    };
    ZoneInput {
        id: id.into(),
        label: format!("{id} (square)"),
        geometry: json!({
            "type": "Polygon",
            "coordinates": [[corner(-half, -half), corner(-half, half), corner(half, half), corner(half, -half), corner(-half, -half)]]
        }),
        radius_m: None,
    }
}

pub fn circle(id: &str, centre: (f64, f64), radius_m: f64) -> ZoneInput {
    ZoneInput {
        id: id.into(),
        label: format!("{id} (circle)"),
        geometry: json!({ "type": "Point", "coordinates": [centre.1, centre.0] }),
        radius_m: Some(radius_m),
    }
}

/// 2026-12-02 10:00 UTC plus `seconds`.
pub fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0)
        .single()
        .expect("a valid instant")
        + Duration::seconds(seconds)
}

/// The whole of 2026–2027.
pub fn term() -> Interval {
    Interval {
        from: Utc
            .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .expect("instant"),
        until: Utc
            .with_ymd_and_hms(2028, 1, 1, 0, 0, 0)
            .single()
            .expect("instant"),
    }
}

/// The default order: stay within 4 km of home, keep out of the victim's street block.
pub fn order() -> RestrictionsInput {
    RestrictionsInput {
        home: Some(circle("home", HOME, 4_000.0)),
        exclusions: vec![square("victim-home", VICTIM, 150.0)],
        ..Default::default()
    }
}

/// A monitor that applies at once (no reorder hold), unless a test sets one.
pub fn monitor_with(
    restrictions: RestrictionsInput,
    policy: Policy,
    places: Vec<Place>,
) -> Monitor {
    let (places, problems) = Places::new(places);
    assert!(problems.is_empty(), "{problems:?}");
    let mut m = Monitor::new(policy, places);
    let restrictions = m.compile(restrictions).expect("a valid order");
    m.enrol(
        Supervision {
            person: PERSON,
            term: term(),
            devices: vec![BRACELET.into()],
            restrictions,
        },
        t(0),
    )
    .expect("enrolled");
    m
}

pub fn immediate() -> Policy {
    Policy {
        reorder_hold_s: 0,
        ..Policy::default()
    }
}

pub fn monitor(restrictions: RestrictionsInput) -> Monitor {
    monitor_with(restrictions, immediate(), Vec::new())
}

pub fn ping(at: DateTime<Utc>, position: (f64, f64), accuracy_m: f64) -> PingInput {
    PingInput {
        device: BRACELET.into(),
        lat: position.0,
        lon: position.1,
        accuracy_m,
        battery: Some(80.0),
        tamper: false,
        at,
    }
}

/// Feeds pings one per call at their own time and collects every signal.
pub fn feed(m: &mut Monitor, pings: &[PingInput]) -> Vec<Signal> {
    let mut signals = Vec::new();
    for p in pings {
        m.ping(p, p.at).expect("a good ping");
        signals.extend(m.advance(p.at));
    }
    signals
}

/// The signals as `opened kind@started/opened` and `ended kind@ended` lines, times in seconds
/// after [`t`]`(0)`.
pub fn lines(signals: &[Signal]) -> Vec<String> {
    let s = |at: DateTime<Utc>| (at - t(0)).num_seconds();
    signals
        .iter()
        .map(|signal| match signal {
            Signal::Opened(v) => format!(
                "opened {}@{}/{}",
                v.kind.key(),
                s(v.started_at),
                s(v.opened_at)
            ),
            Signal::Ended { kind, ended_at, .. } => {
                format!("ended {}@{}", kind.key(), s(*ended_at))
            }
        })
        .collect()
}
