use std::collections::HashSet;

use iz_model::{DocumentType, Event, NewWatchEntry};

use crate::common::*;

fn carries(event: &Event, entry: &NewWatchEntry) -> bool {
    let documents: HashSet<_> = entry
        .person
        .documents
        .iter()
        .map(|d| document_key(d.doc_type, &d.number))
        .collect();
    event
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
            .write_ndjson(200_000, &mut Vec::new());
        assert!(
            (low..=high).contains(&hits),
            "hit share {share}: {hits} of 200,000"
        );
    }
    assert_eq!(
        s.events(stream_config(1, 0.0))
            .write_ndjson(50_000, &mut Vec::new()),
        0
    );
}

#[test]
fn events_of_wanted_people_carry_an_identifier_of_their_live_entry() {
    let s = scenario(42);
    let entries = s.watch_entries(now());
    let (mut hits, mut expired, mut by_document, mut written_differently) = (0, 0, 0, 0);
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
            if event.subject.iin.is_none() {
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
