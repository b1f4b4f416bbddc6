use iz_plates::{Plate, PlateRead, compare, normalise, similarity};
use proptest::prelude::*;

fn plate_like() -> impl Strategy<Value = String> {
    "[0-9A-ZАВЕКМНОРСТУХ0OQ? -]{0,12}"
}

proptest! {
    #[test]
    fn parse_and_normalise_never_panic(text in any::<String>()) {
        let _ = Plate::parse(&text);
        let _ = Plate::parse_any(&text);
        let _ = PlateRead::new(&text, 0.5);
        let _ = PlateRead::partial(&text, 0.5);
        let n = normalise(&text);
        prop_assert_eq!(normalise(&n), n, "normalising is idempotent");
    }

    #[test]
    fn similarity_is_symmetric_and_in_unit_range(a in any::<String>(), b in any::<String>()) {
        let ab = similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&ab));
        prop_assert_eq!(ab, similarity(&b, &a));
    }

    #[test]
    fn similarity_of_plate_like_texts_is_symmetric(a in plate_like(), b in plate_like()) {
        let ab = similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&ab));
        prop_assert_eq!(ab, similarity(&b, &a));
    }

    #[test]
    fn identical_plates_score_one(text in "[0-9A-Z]{1,12}") {
        prop_assert_eq!(similarity(&text, &text), 1.0);
        let plate = Plate::parse_any(&text).expect("letters and digits");
        prop_assert_eq!(plate.similarity(&plate), 1.0);
        prop_assert_eq!(compare(&PlateRead::exact(&plate), &plate).score, 1.0);
    }

    #[test]
    fn every_score_is_in_unit_range_and_explained(
        read in "[0-9A-Z?]{1,14}",
        plate in "[0-9A-Z]{1,14}",
        confidence in -1.0f32..2.0,
        partial in any::<bool>(),
    ) {
        let plate = Plate::parse_any(&plate).expect("plate");
        let read = if partial { PlateRead::partial(&read, confidence) } else { PlateRead::new(&read, confidence) }
            .expect("read");
        let m = compare(&read, &plate);
        prop_assert!((0.0..=1.0).contains(&m.score));
        prop_assert!((0.0..=1.0).contains(&m.similarity));
        prop_assert_eq!(m.score, iz_plates::score(&read, &plate));
        // The alignment spells out both strings.
        let read_chars: String = m.alignment.iter().filter_map(|p| p.read).collect();
        let plate_chars: String = m.alignment.iter().filter_map(|p| p.plate).collect();
        prop_assert_eq!(read_chars, read.as_str());
        prop_assert_eq!(plate_chars, plate.as_str());
    }
}
