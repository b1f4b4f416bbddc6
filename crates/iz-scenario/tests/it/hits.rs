use std::collections::HashSet;

use iz_model::{DocumentType, Event, NewWatchEntry};
use iz_scenario::Trace;

use crate::common::*;

fn carries(event: &Event, entry: &NewWatchEntry) -> bool {
    let documents: HashSet<_> = entry
        .person
        .documents
        .iter()
        .map(|d| document_key(d.doc_type, &d.number))
        .collect();
    let by_name_and_birth = event.subject.iin.is_none()
        && event.subject.documents.is_empty()
        && !event.subject.names.is_empty()
        && event.subject.birth_date.is_some()
        && event.subject.birth_date == entry.person.birth_date;
    by_name_and_birth
        || event
            .subject
            .iin
            .is_some_and(|i| Some(i) == entry.person.iin)
        || event
            .subject
            .documents
            .iter()
            .any(|d| documents.contains(&document_key(d.doc_type, &d.number)))
}

#[test]
fn the_hit_share_is_as_configured() {
    let s = scenario(41);
    for (share, low, high) in [(0.001, 140, 260), (0.01, 1_820, 2_180)] {
        let hits = s
            .events(stream_config(1, share))
            .write_ndjson(200_000, &mut Vec::new())
            .hits();
        assert!(
            (low..=high).contains(&hits),
            "hit share {share}: {hits} of 200,000"
        );
    }
    assert_eq!(
        s.events(stream_config(1, 0.0))
            .write_ndjson(50_000, &mut Vec::new())
            .hits(),
        0
    );
}

#[test]
fn events_of_wanted_people_carry_an_identifier_of_their_live_entry() {
    let s = scenario(42);
    let entries = s.watch_entries(now());
    let (mut hits, mut expired, mut by_document, mut written_differently) = (0, 0, 0, 0);
    let (mut by_name, mut kazakh_latin, mut passport_latin, mut slips) = (0, 0, 0, 0);
    for g in s.events(stream_config(1, 0.02)).take(60_000) {
        let line = serde_json::to_string(&g.input).expect("serialises");
        let event = parse(&line);
        if let Some(i) = g.wanted {
            hits += 1;
            let entry = &entries[i];
            assert!(
                entry.expires_at > now() && !s.is_expired(i),
                "event {} points at expired entry {i}",
                event.id
            );
            assert!(
                carries(&event, entry),
                "{line} does not carry an identifier of {entry:?}"
            );
            if g.trace == Some(Trace::Name) {
                by_name += 1;
                let name = &event.subject.names[0];
                let registry: Vec<&str> = entry.person.names[0].split(' ').collect();
                let words: Vec<&str> = name.split(' ').collect();
                kazakh_latin += usize::from(name.chars().any(|c| "ıūüäöğşçñq".contains(c)));
                passport_latin += usize::from(
                    name.chars()
                        .all(|c| c.is_ascii_uppercase() || c == ' ' || c == '-'),
                );
                // A slip of the pen: all words but one as registered, the odd one a letter
                // longer or shorter, or as long with two letters swapped.
                let odd: Vec<&&str> = words.iter().filter(|w| !registry.contains(w)).collect();
                slips += usize::from(
                    odd.len() == 1
                        && registry.iter().any(|r| {
                            let (a, b) = (r.chars().count() as i64, odd[0].chars().count() as i64);
                            (a - b).abs() <= 1 && r.chars().next() == odd[0].chars().next()
                        }),
                );
            } else if event.subject.iin.is_none() {
                by_document += 1;
                let doc = &event.subject.documents[0];
                written_differently +=
                    usize::from(iz_model::normalise_document_number(&doc.number) != doc.number);
            }
        }
        if let Some(i) = g.expired {
            expired += 1;
            assert!(g.wanted.is_none());
            assert!(s.is_expired(i) && entries[i].expires_at <= now());
            assert!(carries(&event, &entries[i]));
        }
    }
    assert!(hits > 1_000, "{hits}");
    assert!(
        expired > 0,
        "no event of an expired entry's person in 60,000"
    );
    assert!(
        by_document > 30,
        "hits identified by a document alone: {by_document}"
    );
    assert!(
        written_differently > 0,
        "no hand-written document number among {by_document}"
    );
    // Hotel books with names only: about 15 % × 25 % of the hits, in mixed scripts, some with
    // a slip of the pen.
    assert!(by_name > 20, "hits by name and birth date alone: {by_name}");
    assert!(
        kazakh_latin > 0 && passport_latin > 0 && slips > 0,
        "of {by_name} names: {kazakh_latin} in Kazakh Latin, {passport_latin} in passport Latin, {slips} with a slip"
    );
}

#[test]
fn everyone_else_never_carries_a_wanted_identifier() {
    let s = scenario(43);
    let entries = s.watch_entries(now());
    let iins: HashSet<_> = entries.iter().filter_map(|e| e.person.iin).collect();
    let documents: HashSet<_> = entries
        .iter()
        .flat_map(|e| &e.person.documents)
        .map(|d| document_key(d.doc_type, &d.number))
        .collect();
    let mut checked_documents = 0;
    for g in s.events(stream_config(2, 0.001)).take(150_000) {
        if g.wanted.is_some() || g.expired.is_some() {
            continue;
        }
        let subject = g.input.subject.as_ref().expect("a subject");
        if let Some(iin) = &subject.iin {
            assert!(
                !iins.contains(&iin.parse().expect("IIN")),
                "{iin} is wanted"
            );
        }
        for d in &subject.documents {
            let doc_type = match d.doc_type.as_str() {
                "id_card" => DocumentType::IdCard,
                "passport" => DocumentType::Passport,
                _ => continue,
            };
            checked_documents += 1;
            assert!(
                !documents.contains(&document_key(doc_type, &d.number)),
                "{} is a wanted document",
                d.number
            );
        }
    }
    assert!(checked_documents > 10_000, "{checked_documents}");
}

fn compact(plate: &str) -> String {
    plate.chars().filter(|c| !c.is_whitespace()).collect()
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

#[test]
fn camera_events_of_wanted_vehicles_and_faces_point_at_their_entries() {
    let s = scenario(44);
    let persons = s.watch_entries(now());
    let vehicles = s.vehicle_entries(now(), None);
    let with_faces = persons.iter().filter(|e| !e.faces.is_empty()).count();
    assert!(
        (800..1_200).contains(&vehicles.len()) && (800..1_200).contains(&with_faces),
        "{} vehicles, {with_faces} persons with faces of 10,000",
        vehicles.len()
    );
    let wanted_plates: HashSet<String> = vehicles
        .iter()
        .filter_map(|v| v.vehicle.as_ref())
        .map(|v| compact(&v.plate))
        .collect();
    let (mut plate_hits, mut exact_reads, mut face_hits, mut strangers) = (0, 0, 0, 0);
    for g in s.events(camera_config(5, 0.001)).take(40_000) {
        let line = serde_json::to_string(&g.input).expect("serialises");
        let event = parse(&line);
        if let Some(read) = &event.plate {
            match g.vehicle {
                Some(j) => {
                    plate_hits += 1;
                    assert_eq!(g.trace, Some(Trace::Plate));
                    let entry = &vehicles[j];
                    assert!(entry.expires_at > now(), "a live vehicle");
                    let plate = compact(&entry.vehicle.as_ref().expect("a vehicle").plate);
                    let seen = compact(&read.plate);
                    // As read: whole, one character confused, or cut at the end.
                    let confused = seen.len() == plate.len()
                        && seen
                            .chars()
                            .zip(plate.chars())
                            .filter(|(a, b)| a != b)
                            .count()
                            == 1;
                    assert!(
                        seen == plate || confused || (read.partial && plate.starts_with(&seen)),
                        "{seen} is not a read of {plate}"
                    );
                    exact_reads += usize::from(seen == plate);
                    assert!(read.image_ref.is_some());
                }
                None => assert!(
                    !wanted_plates.contains(&compact(&read.plate)),
                    "{} is a wanted plate",
                    read.plate
                ),
            }
        }
        if let Some(face) = &event.face {
            assert_eq!(face.template.len(), 512);
            match g.wanted {
                Some(i) => {
                    face_hits += 1;
                    assert_eq!(g.trace, Some(Trace::Face));
                    let best = persons[i]
                        .faces
                        .iter()
                        .map(|t| cosine(t, &face.template))
                        .fold(f64::MIN, f64::max);
                    assert!(best > 0.5, "a sighting of the person: {best:.3}");
                }
                None if strangers < 30 => {
                    strangers += 1;
                    let best = persons
                        .iter()
                        .flat_map(|e| &e.faces)
                        .map(|t| cosine(t, &face.template))
                        .fold(f64::MIN, f64::max);
                    assert!(best < 0.35, "a stranger resembles someone: {best:.3}");
                }
                None => {}
            }
        }
    }
    // 40,000 × 5 % plates × 20 %, and × 2 % faces × 20 %.
    assert!((300..500).contains(&plate_hits), "{plate_hits}");
    assert!(
        exact_reads > plate_hits / 2,
        "{exact_reads} of {plate_hits}"
    );
    assert!((110..220).contains(&face_hits), "{face_hits}");
}

#[test]
fn a_vehicle_entry_is_tied_to_its_persons_entry() {
    let s = scenario(45);
    let persons = s.watch_entries(now());
    let ids: Vec<iz_model::WatchId> = (1..=persons.len() as i64).collect();
    for v in s.vehicle_entries(now(), Some(&ids)) {
        let link = v.link.as_ref().expect("a link");
        let id = link.watch_id.expect("the person's entry");
        let person = &persons[(id - 1) as usize];
        assert_eq!(v.kind, iz_model::WatchKind::Vehicle);
        assert_eq!(
            link.case_reference.as_deref(),
            Some(person.legal_basis.reference.as_str())
        );
        assert_eq!(
            (v.expires_at, &v.legal_basis),
            (person.expires_at, &person.legal_basis)
        );
    }
}
