use std::collections::HashMap;

use iz_model::{DocumentType, EventInput, EventKind};
use iz_scenario::{GeneratedEvent, Scenario};

use crate::common::*;

#[test]
fn every_line_parses_as_an_event() {
    let s = scenario(31);
    // A high hit share, so that lines of wanted and expired people are among them.
    for line in lines(&s, stream_config(1, 0.02), 60_000) {
        let event = parse(&line);
        assert!(event.subject.has_identifier(), "{line}");
        // Without an IIN or a document: a guest book's name and birth date.
        assert!(
            event.subject.iin.is_some()
                || !event.subject.documents.is_empty()
                || (event.kind == EventKind::HotelRegistration
                    && !event.subject.names.is_empty()
                    && event.subject.birth_date.is_some()),
            "no IIN, no document and not a guest book: {line}"
        );
        assert!(event.payload.is_some());
    }
}

#[test]
fn write_ndjson_and_the_iterator_give_the_same_events() {
    let s = scenario(32);
    // Camera events too: they are written by another path and must agree as well.
    let config = camera_config(4, 0.01);
    let written = lines(&s, config.clone(), 6_000);
    let mut stream = s.events(config.clone());
    let mut hits = 0;
    // The first half through the iterator, then the writer continues where it stopped.
    let mut from_iterator: Vec<GeneratedEvent> = stream.by_ref().take(3_000).collect();
    hits += from_iterator.iter().filter(|e| e.trace.is_some()).count();
    let mut tail = Vec::new();
    hits += stream.write_ndjson(3_000, &mut tail).hits();
    let tail = String::from_utf8(tail).expect("UTF-8");
    assert_eq!(stream.position(), 6_000);
    for (line, event) in written.iter().zip(from_iterator.drain(..)) {
        let parsed: EventInput = serde_json::from_str(line).expect("line");
        assert_eq!(input_json(&parsed), input_json(&event.input), "{line}");
    }
    assert_eq!(
        &written[3_000..],
        &tail.lines().map(str::to_string).collect::<Vec<_>>()[..]
    );
    let all_hits = s.events(config).write_ndjson(6_000, &mut Vec::new()).hits();
    assert_eq!(hits, all_hits);
    assert!(hits > 20, "{hits}");
}

#[test]
fn times_advance_by_one_over_the_rate() {
    let s = scenario(33);
    let mut config = stream_config(1, 0.0);
    config.rate_per_s = 250.0;
    let events: Vec<_> = s
        .events(config.clone())
        .take(1_001)
        .map(|e| e.input)
        .collect();
    let t = |i: usize| time(events[i].occurred_at.as_deref().expect("time"));
    assert_eq!(t(0), config.start);
    assert_eq!(t(1) - t(0), chrono::Duration::milliseconds(4));
    assert_eq!(t(1_000) - t(0), chrono::Duration::seconds(4));
}

#[test]
fn kinds_sources_places_and_subjects_are_mixed_like_a_registry_feed() {
    let s: Scenario = scenario(34);
    let events: Vec<_> = lines(&s, stream_config(1, 0.0), 50_000)
        .iter()
        .map(|l| parse(l))
        .collect();
    let n = events.len() as f64;
    let mut kinds: HashMap<EventKind, usize> = HashMap::new();
    for e in &events {
        *kinds.entry(e.kind).or_default() += 1;
    }
    for (kind, share) in [
        (EventKind::ServiceRequest, 0.40),
        (EventKind::Ticket, 0.25),
        (EventKind::HotelRegistration, 0.15),
        (EventKind::DocumentCheck, 0.15),
        (EventKind::BorderCrossing, 0.05),
    ] {
        let got = kinds.get(&kind).copied().unwrap_or_default() as f64 / n;
        assert!((got - share).abs() < 0.01, "{kind:?}: {got}");
    }
    let office_kind: HashMap<&str, iz_scenario::PlaceKind> =
        s.places().iter().map(|p| (p.name, p.kind)).collect();
    let (mut foreign, mut names, mut doc_only) = (0, 0, 0);
    for e in &events {
        let allowed: &[&str] = match e.kind {
            EventKind::ServiceRequest => &["egov", "con"],
            EventKind::Ticket => &["rail", "air", "bus"],
            EventKind::HotelRegistration => &["hotels"],
            EventKind::BorderCrossing => &["border"],
            EventKind::DocumentCheck => &["patrol"],
            // The scenario writes paper events only: cameras are not in it (yet).
            EventKind::PlateRead | EventKind::FaceSighting => &[],
        };
        assert!(
            allowed.contains(&e.source.as_str()),
            "{} from {}",
            e.kind.as_str(),
            e.source
        );
        assert!(e.id.starts_with(&format!("{}-1-", e.source)));
        let place = e.place.as_ref();
        match e.source.as_str() {
            "egov" => assert!(
                place.is_none_or(|p| p.lat.is_none() && p.office.is_none() && p.region.is_some())
            ),
            "patrol" => assert!(place.is_some_and(|p| p.lat.is_some() && p.office.is_none())),
            source => {
                let office = place.and_then(|p| p.office.as_deref()).expect("an office");
                let kind = office_kind.get(office).copied().expect("a known place");
                use iz_scenario::PlaceKind::*;
                let ok = match source {
                    "con" => kind == Con,
                    "rail" => kind == Station,
                    "air" => kind == Airport,
                    "bus" => kind == BusStation,
                    "hotels" => kind == Hotel,
                    "border" => kind == BorderPost || kind == Airport,
                    _ => false,
                };
                assert!(ok, "{source} at {office}");
            }
        }
        let subject = &e.subject;
        if subject
            .documents
            .iter()
            .any(|d| d.doc_type == DocumentType::ForeignPassport)
        {
            foreign += 1;
            assert!(subject.iin.is_none());
            assert!(
                subject
                    .documents
                    .iter()
                    .all(|d| d.country.as_deref().is_some_and(|c| c.len() == 3))
            );
        }
        names += usize::from(!subject.names.is_empty());
        doc_only += usize::from(subject.iin.is_none() && !subject.documents.is_empty());
    }
    assert!(
        (0.02..0.06).contains(&(foreign as f64 / n)),
        "foreigners: {foreign}"
    );
    assert!((0.3..0.7).contains(&(names as f64 / n)), "names: {names}");
    assert!(
        (0.05..0.2).contains(&(doc_only as f64 / n)),
        "document only: {doc_only}"
    );
}
