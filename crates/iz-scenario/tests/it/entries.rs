use std::collections::HashSet;

use chrono::{Datelike, Duration};
use iz_model::{
    Category, DocumentType, Iin, LegalBasisKind, NewWatchEntry, Sex, WatchEntryInput, WatchKind,
    codes,
};
use iz_scenario::{Scenario, ScenarioConfig};

use crate::common::*;

fn entries() -> (Scenario, Vec<NewWatchEntry>) {
    let s = scenario(21);
    let e = s.watch_entries(now());
    (s, e)
}

#[test]
fn every_iin_is_valid_and_agrees_with_birth_date_and_sex() {
    let (_, entries) = entries();
    let mut seen = HashSet::new();
    for e in &entries {
        let iin = e.person.iin.expect("every entry has an IIN");
        let reparsed = Iin::parse(&iin.to_string()).expect("valid IIN");
        assert_eq!(Some(reparsed.birth_date()), e.person.birth_date, "{iin}");
        assert_eq!(Some(reparsed.sex()), e.person.sex, "{iin}");
        assert!(e.person.inconsistencies().is_empty());
        assert!(seen.insert(iin), "IIN {iin} on two entries");
    }
}

#[test]
fn the_expired_share_is_as_configured_and_the_rest_expire_later() {
    let (s, entries) = entries();
    let expired: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].expires_at <= now())
        .collect();
    assert_eq!(expired.len(), 500, "5 % of 10,000");
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(s.is_expired(i), e.expires_at <= now(), "entry {i}");
        assert!(
            e.legal_basis.issued_on < now().date_naive(),
            "issued after now"
        );
        assert!(e.legal_basis.issued_on <= e.expires_at.date_naive());
        if e.expires_at > now() {
            assert!(
                e.expires_at >= now() + Duration::days(30)
                    && e.expires_at <= now() + Duration::days(3 * 366),
                "{}",
                e.expires_at
            );
        }
    }
    let other = Scenario::new(ScenarioConfig {
        seed: 21,
        expired_share: 0.2,
        wanted: 2_000,
        ..ScenarioConfig::default()
    });
    let n = other
        .watch_entries(now())
        .iter()
        .filter(|e| e.expires_at <= now())
        .count();
    assert_eq!(n, 400);
}

#[test]
fn live_entries_pass_the_models_validation_and_expired_ones_are_refused() {
    let (_, entries) = entries();
    for e in entries.iter().step_by(7) {
        let input = WatchEntryInput {
            kind: e.kind,
            person: e.person.clone().into(),
            legal_basis: Some(e.legal_basis.clone()),
            expires_at: Some(e.expires_at),
            region: e.region,
            priority: e.priority,
            category: e.category,
            vehicle: None,
            link: None,
            faces: e.faces.iter().map(|f| f.to_vec()).collect(),
        };
        match input.validate(now(), 512) {
            Ok(valid) => {
                assert!(e.expires_at > now());
                assert_eq!(&valid, e);
            }
            Err(problems) => {
                assert!(e.expires_at <= now(), "{problems:?}");
                assert_eq!(
                    problems.iter().map(|p| p.code).collect::<Vec<_>>(),
                    vec![codes::EXPIRY_IN_PAST]
                );
            }
        }
    }
}

#[test]
fn legal_bases_look_like_real_ones() {
    let (_, entries) = entries();
    let mut kinds = HashSet::new();
    for e in &entries {
        assert_eq!(e.kind, WatchKind::Wanted);
        let b = &e.legal_basis;
        kinds.insert(b.kind);
        let prefix = match b.kind {
            LegalBasisKind::Warrant => "W",
            LegalBasisKind::CourtDecision => "CD",
            LegalBasisKind::SearchOrder => "SO",
        };
        let expected_start = format!("{prefix}-{}-", b.issued_on.year());
        assert!(b.reference.starts_with(&expected_start), "{}", b.reference);
        let number = &b.reference[expected_start.len()..];
        assert!(
            number.len() == 6 && number.bytes().all(|c| c.is_ascii_digit()),
            "{}",
            b.reference
        );
        let centre = e.region.info().centre;
        let region_word = e.region.info().name_en.trim_end_matches(" Region");
        assert!(
            b.authority.contains(centre) || b.authority.contains(region_word),
            "{} for {:?}",
            b.authority,
            e.region
        );
        if e.category == Category::MissingPerson {
            assert_eq!(b.kind, LegalBasisKind::SearchOrder);
        }
    }
    assert_eq!(kinds.len(), 3);
}

#[test]
fn categories_documents_and_regions_are_mixed_as_configured() {
    let (_, entries) = entries();
    let n = entries.len() as f64;
    let missing = entries
        .iter()
        .filter(|e| e.category == Category::MissingPerson)
        .count();
    assert_eq!(missing, 800, "8 % of 10,000");
    let with_card = entries
        .iter()
        .filter(|e| {
            e.person
                .documents
                .iter()
                .any(|d| d.doc_type == DocumentType::IdCard)
        })
        .count();
    let with_passport = entries
        .iter()
        .filter(|e| {
            e.person
                .documents
                .iter()
                .any(|d| d.doc_type == DocumentType::Passport)
        })
        .count();
    assert!(with_card as f64 / n > 0.85, "ID cards on {with_card}");
    assert!(
        (0.15..0.45).contains(&(with_passport as f64 / n)),
        "passports on {with_passport}"
    );
    for e in &entries {
        for d in &e.person.documents {
            match d.doc_type {
                DocumentType::IdCard => assert!(
                    d.number.len() == 9 && d.number.bytes().all(|b| b.is_ascii_digit()),
                    "{}",
                    d.number
                ),
                DocumentType::Passport => {
                    assert!(
                        d.number.len() == 9
                            && d.number.starts_with('N')
                            && d.number[1..].bytes().all(|b| b.is_ascii_digit())
                    )
                }
                other => panic!("unexpected document {other:?}"),
            }
        }
    }
    let regions: HashSet<_> = entries.iter().map(|e| e.region).collect();
    assert_eq!(regions.len(), 20);
    let men = entries
        .iter()
        .filter(|e| e.category != Category::MissingPerson && e.person.sex == Some(Sex::Male))
        .count();
    assert!(
        men as f64 / (n - missing as f64) > 0.75,
        "those evading justice are mostly men: {men}"
    );
}

/// Surname, given name, patronymic, as a registry writes them.
fn parts(e: &NewWatchEntry) -> (String, String, String) {
    assert_eq!(e.person.names.len(), 1);
    let name = &e.person.names[0];
    let words: Vec<&str> = name.split(' ').collect();
    let n = words.len();
    assert!(n >= 3, "{name}");
    // Kazakh surnames may be two words (Жансүгір ұлы); the given name and patronymic are one.
    (
        words[..n - 2].join(" "),
        words[n - 2].to_string(),
        words[n - 1].to_string(),
    )
}

#[test]
fn names_have_the_right_gender_forms_and_mix() {
    let (_, entries) = entries();
    let (mut kazakh, mut russian) = (0, 0);
    let (mut female_ova, mut female_kyzy, mut female_ovna) = (0, 0, 0);
    for e in &entries {
        let (surname, _given, patronymic) = parts(e);
        let female = e.person.sex == Some(Sex::Female);
        if patronymic.ends_with("ұлы") || patronymic.ends_with("қызы") {
            kazakh += 1;
            assert_eq!(patronymic.ends_with("қызы"), female, "{:?}", e.person.names);
            female_kyzy += usize::from(female);
        } else {
            russian += 1;
            if female {
                assert!(
                    patronymic.ends_with("вна") || patronymic.ends_with("ична"),
                    "{:?}",
                    e.person.names
                );
                female_ovna += 1;
            } else {
                assert!(patronymic.ends_with("ич"), "{:?}", e.person.names);
            }
        }
        let male_ending = ["ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ұлы"]
            .iter()
            .any(|s| surname.ends_with(s));
        let female_ending = ["ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "қызы"]
            .iter()
            .any(|s| surname.ends_with(s));
        if female {
            assert!(
                !male_ending,
                "a woman with a man's surname: {:?}",
                e.person.names
            );
            female_ova += usize::from(female_ending);
        } else {
            assert!(
                !female_ending,
                "a man with a woman's surname: {:?}",
                e.person.names
            );
        }
    }
    let share = kazakh as f64 / (kazakh + russian) as f64;
    assert!((0.62..0.78).contains(&share), "Kazakh names: {share}");
    assert!(
        female_ova > 100 && female_kyzy > 100 && female_ovna > 50,
        "{female_ova} {female_kyzy} {female_ovna}"
    );
}
