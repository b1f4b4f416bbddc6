use chrono::{DateTime, Utc};
use iz_model::{DocumentType, EventInput, EventPolicy, normalise_document_number, parse_event};
use iz_scenario::{Scenario, ScenarioConfig, StreamConfig};

pub fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

pub fn now() -> DateTime<Utc> {
    time("2026-11-25T10:00:00Z")
}

pub fn scenario(seed: u64) -> Scenario {
    Scenario::new(ScenarioConfig {
        seed,
        ..ScenarioConfig::default()
    })
}

/// A stream that starts an hour before `now` at 100 events a second, so that its first 360,000
/// events lie before `now`.
pub fn stream_config(run: u64, hit_share: f64) -> StreamConfig {
    StreamConfig::registry(
        run,
        now() - chrono::Duration::hours(1),
        100.0,
        hit_share,
        now(),
    )
}

/// The same with number-plate reads (5 %) and face sightings (2 %), a fifth of them of wanted
/// vehicles and persons.
pub fn camera_config(run: u64, hit_share: f64) -> StreamConfig {
    StreamConfig {
        plate_share: 0.05,
        face_share: 0.02,
        camera_hit_share: 0.2,
        ..stream_config(run, hit_share)
    }
}

/// `n` events as NDJSON lines.
pub fn lines(scenario: &Scenario, config: StreamConfig, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    scenario.events(config).write_ndjson(n, &mut out);
    String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Parses a line the way the product does.
pub fn parse(line: &str) -> iz_model::Event {
    parse_event(line, now(), &EventPolicy::default()).unwrap_or_else(|r| panic!("{line}: {r:?}"))
}

pub fn input_json(input: &EventInput) -> serde_json::Value {
    serde_json::to_value(input).expect("serialises")
}

/// A document number as a person reads it: the model's normalisation, and a Cyrillic Н typed
/// for the Latin N of a Kazakh passport read as N.
pub fn document_key(doc_type: DocumentType, number: &str) -> (DocumentType, String) {
    let mut n = normalise_document_number(number);
    if doc_type == DocumentType::Passport && number.trim_start().starts_with(['Н', 'н']) {
        n.replace_range(..1, "N");
    }
    (doc_type, n)
}
