use iz_plates::{CONFUSION_COST, EDIT_COST, Pairing, Plate, PlateRead, compare, score, similarity};

fn plate(text: &str) -> Plate {
    Plate::parse(text).expect("plate")
}

fn read(text: &str) -> PlateRead {
    PlateRead::new(text, 1.0).expect("read")
}

#[test]
fn a_cyrillic_lookalike_read_matches_the_latin_plate() {
    let m = compare(&read("123 АВС 02"), &plate("123ABC02"));
    assert_eq!(m.distance, 0.0);
    assert_eq!(m.score, 1.0);
}

#[test]
fn an_o_read_as_zero_costs_less_than_a_real_difference() {
    let wanted = plate("A 123 BOD");
    let confused = compare(&read("A123B0D"), &wanted);
    let different = compare(&read("A123BXD"), &wanted);
    assert_eq!(confused.distance, CONFUSION_COST);
    assert_eq!(different.distance, EDIT_COST);
    assert!(confused.score > different.score);
    assert!(
        confused
            .alignment
            .iter()
            .any(|p| p.pairing == Pairing::OcrConfusion
                && p.read == Some('0')
                && p.plate == Some('O'))
    );
}

#[test]
fn every_listed_confusion_is_cheap() {
    for (a, b) in [
        ('0', 'O'),
        ('O', 'D'),
        ('Q', '0'),
        ('1', 'I'),
        ('7', '1'),
        ('8', 'B'),
        ('5', 'S'),
        ('2', 'Z'),
        ('6', 'G'),
        ('4', 'A'),
    ] {
        let s = similarity(&a.to_string(), &b.to_string());
        assert_eq!(s, 1.0 - CONFUSION_COST, "{a}/{b}");
    }
    assert_eq!(similarity("X", "Y"), 0.0);
}

#[test]
fn a_missing_or_extra_character_costs_one_edit() {
    let wanted = plate("123ABC02");
    let missing = compare(&read("123AC02"), &wanted);
    assert_eq!(missing.distance, EDIT_COST);
    assert!(
        missing
            .alignment
            .iter()
            .any(|p| p.pairing == Pairing::Missing && p.plate == Some('B'))
    );
    let extra = compare(&read("123ABXC02"), &wanted);
    assert_eq!(extra.distance, EDIT_COST);
    assert!(
        extra
            .alignment
            .iter()
            .any(|p| p.pairing == Pairing::Extra && p.read == Some('X'))
    );
}

#[test]
fn a_partial_read_scores_below_a_full_one() {
    let wanted = plate("123ABC02");
    let full = score(&read("123ABC02"), &wanted);
    let truncated = score(&PlateRead::partial("123ABC", 1.0).expect("read"), &wanted);
    let unread = score(&read("123AB?02"), &wanted);
    assert_eq!(full, 1.0);
    assert!(truncated < full && truncated > 0.0, "{truncated}");
    assert!(unread < full && unread > 0.0, "{unread}");
}

#[test]
fn a_partial_read_scores_by_how_much_was_read_and_the_confidence() {
    let wanted = plate("123ABC02");
    let m = compare(&PlateRead::partial("23ABC0", 0.5).expect("read"), &wanted);
    assert_eq!(m.distance, 0.0, "unread ends cost nothing");
    assert_eq!(m.coverage, 6.0 / 8.0);
    assert_eq!(m.score, 6.0 / 8.0 * 0.5);
    let pairings: Vec<_> = m.alignment.iter().map(|p| p.pairing).collect();
    assert_eq!(pairings.first(), Some(&Pairing::Unread));
    assert_eq!(pairings.last(), Some(&Pairing::Unread));
    assert_eq!(pairings.iter().filter(|p| **p == Pairing::Same).count(), 6);
}

#[test]
fn a_question_mark_is_a_character_seen_but_not_read() {
    let m = compare(&read("123AB?02"), &plate("123ABC02"));
    assert_eq!(m.distance, 0.0);
    assert_eq!(m.coverage, 7.0 / 8.0);
    assert!(
        m.alignment
            .iter()
            .any(|p| p.pairing == Pairing::Unread && p.plate == Some('C'))
    );
}

#[test]
fn confidence_scales_a_full_read_too() {
    let m = compare(
        &PlateRead::new("123ABC02", 0.8).expect("read"),
        &plate("123ABC02"),
    );
    assert_eq!(m.similarity, 1.0);
    assert_eq!(m.score, 0.8);
    let clamped = PlateRead::new("123ABC02", 7.0).expect("read");
    assert_eq!(clamped.confidence(), 1.0);
    assert_eq!(
        PlateRead::new("1", f32::NAN).expect("read").confidence(),
        0.0
    );
}

#[test]
fn the_explanation_serialises_for_an_operator() {
    let m = compare(
        &PlateRead::new("123A8C0Z", 0.9).expect("read"),
        &plate("123ABC02"),
    );
    let json = serde_json::to_value(&m).expect("json");
    assert_eq!(json["plate"], "123 ABC 02");
    assert_eq!(json["read"], "123A8C0Z");
    assert_eq!(
        json["alignment"][4],
        serde_json::json!({"read": "8", "plate": "B", "pairing": "ocr_confusion"})
    );
    assert_eq!(json["alignment"][0]["pairing"], "same");
    assert_eq!(json["distance"], 0.5);
    assert!((json["score"].as_f64().expect("score") - 0.9 * (1.0 - 0.5 / 8.0)).abs() < 1e-6);
}
