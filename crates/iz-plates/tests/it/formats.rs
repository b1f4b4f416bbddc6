use iz_plates::{Evidence, FORMATS, Plate, PlateError, PlateFormat, Region};

#[test]
fn each_format_parses_its_example() {
    for row in FORMATS {
        let plate = Plate::parse(row.example)
            .unwrap_or_else(|e| panic!("{} ({:?}): {e}", row.example, row.format));
        assert_eq!(plate.format(), row.format, "{}", row.example);
        assert_eq!(
            plate.to_string(),
            row.example,
            "printed as its format groups it"
        );
    }
}

#[test]
fn each_format_is_listed_once() {
    for (i, row) in FORMATS.iter().enumerate() {
        assert!(
            FORMATS[i + 1..]
                .iter()
                .all(|other| other.format != row.format),
            "{:?} twice",
            row.format
        );
    }
}

#[test]
fn the_2012_civil_formats_carry_their_region_code() {
    let personal = Plate::parse("123 ABC 02").expect("plate");
    assert_eq!(personal.format(), PlateFormat::Civil2012Personal);
    assert_eq!(personal.region(), Region::from_code(2));
    assert_eq!(personal.region().map(Region::name), Some("Almaty (city)"));

    let organisation = Plate::parse("777 AB 17").expect("plate");
    assert_eq!(organisation.format(), PlateFormat::Civil2012Organisation);
    assert_eq!(organisation.region().map(Region::code), Some(17));
}

#[test]
fn a_1993_plate_takes_its_region_from_the_area_letter() {
    let plate = Plate::parse("A 123 BCD").expect("plate");
    assert_eq!(plate.format(), PlateFormat::Legacy1993Personal);
    assert_eq!(plate.region().map(Region::code), Some(2));
    assert_eq!(
        Plate::parse("Z 001 AA")
            .expect("plate")
            .region()
            .map(Region::code),
        Some(1)
    );
}

#[test]
fn an_area_letter_two_regions_used_names_no_region() {
    let plate = Plate::parse("O 123 BCD").expect("plate");
    assert_eq!(plate.format(), PlateFormat::Legacy1993Personal);
    assert_eq!(plate.region(), None);
}

#[test]
fn a_region_code_outside_01_to_20_is_refused_by_name() {
    assert_eq!(
        Plate::parse("123 ABC 21"),
        Err(PlateError::UnknownRegion(21))
    );
    assert_eq!(
        Plate::parse("123 ABC 00"),
        Err(PlateError::UnknownRegion(0))
    );
}

#[test]
fn police_plates_win_over_the_organisation_format_they_resemble() {
    assert_eq!(
        Plate::parse("123 KP 02").expect("plate").format(),
        PlateFormat::Police2012
    );
    assert_eq!(
        Plate::parse("123 KR 02").expect("plate").format(),
        PlateFormat::Civil2012Organisation
    );
}

#[test]
fn a_cyrillic_typed_plate_parses_as_the_latin_one() {
    let typed = Plate::parse("123 АВС 02").expect("Cyrillic А В С");
    assert_eq!(typed, Plate::parse("123ABC02").expect("Latin"));
}

#[test]
fn text_that_is_no_plate_says_why() {
    assert_eq!(Plate::parse(" - "), Err(PlateError::Empty));
    assert_eq!(Plate::parse("12Ж"), Err(PlateError::InvalidCharacter('Ж')));
    assert!(matches!(
        Plate::parse("ABCDEFGH"),
        Err(PlateError::UnknownFormat(text)) if text == "ABCDEFGH"
    ));
    assert_eq!(Plate::parse(&"1".repeat(40)), Err(PlateError::TooLong));
}

#[test]
fn a_foreign_countrys_plate_is_kept_as_other_when_asked() {
    let plate = Plate::parse_any("A 123 BC 777").expect("Russian-style plate");
    assert_eq!(plate.format(), PlateFormat::Other);
    assert_eq!(plate.as_str(), "A123BC777");
    assert_eq!(plate.region(), None);
    assert_eq!(
        Plate::parse_any("123 ABC 02").expect("plate").format(),
        PlateFormat::Civil2012Personal
    );
}

#[test]
fn unverified_rows_are_marked_so() {
    let unverified: Vec<_> = FORMATS
        .iter()
        .filter(|row| row.evidence == Evidence::Unverified)
        .map(|row| row.format)
        .collect();
    assert!(unverified.contains(&PlateFormat::Military));
    assert!(!unverified.contains(&PlateFormat::Civil2012Personal));
}
