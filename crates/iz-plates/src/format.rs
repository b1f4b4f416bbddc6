//! The plate formats of Kazakhstan, as data, and the parser that reads a plate by them.
//!
//! Sources (public descriptions, read 2026-11; none is the regulation itself, so rows marked
//! [`Evidence::Unverified`] must be checked against the MIA Administrative Police Committee's
//! current order on state registration plates before anyone relies on the distinction):
//!
//! - English Wikipedia, "Vehicle registration plates of Kazakhstan": the 2012 format
//!   (`111 AAA` + two-digit area code, introduced 2011, issued from August 2012), the 1993
//!   format (area letter, three digits, two letters for organisations or three for
//!   individuals, e.g. `A 001 AA`, `A 585 CUO`), and the table of new codes against old letters
//!   used in [`REGIONS`]. Codes 18–20 (Abai, Jetisu, Ulytau) date from the 2022 regions.
//! - German Wikipedia, "Kfz-Kennzeichen (Kasachstan)", and autokennzeichen.de: yellow plates for
//!   foreign individuals (`F`) and foreign companies / joint ventures (`H`), four digits and the
//!   area code; police plates with dark-blue characters and the letters `KP`.
//! - Russian Wikipedia and the OLX Kazakhstan blog (as summarised in search results): red
//!   diplomatic plates with `D` (diplomats) and `T` (technical staff); `CMD` (head of mission)
//!   and `CD` are the usual international codes. The digit layouts of the diplomatic,
//!   military and transit rows are best guesses, marked unverified.

use std::fmt;

use serde::Serialize;

use crate::normalise::{is_plate_char, normalised_chars};

/// The longest plate or read this crate accepts, in characters after normalisation.
pub const MAX_LEN: usize = 16;

/// A region of Kazakhstan as encoded on plates: the two-digit code of the 2012 format, which
/// the older area letters map onto.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Region(u8);

/// Regions by code, with the 1993 area letters that map to each unambiguously.
/// `O` (Akmola or North Kazakhstan) and `W` (Akmola or Kostanay) were used by two regions and
/// map to none.
pub const REGIONS: [(u8, &str, &str); 20] = [
    (1, "Astana", "Z"),
    (2, "Almaty (city)", "A"),
    (3, "Akmola Region", "C"),
    (4, "Aktobe Region", "D"),
    (5, "Almaty Region", "BV"),
    (6, "Atyrau Region", "E"),
    (7, "West Kazakhstan Region", "L"),
    (8, "Zhambyl Region", "H"),
    (9, "Karaganda Region", "KM"),
    (10, "Kostanay Region", "P"),
    (11, "Kyzylorda Region", "N"),
    (12, "Mangystau Region", "R"),
    (13, "Turkistan Region", "X"),
    (14, "Pavlodar Region", "S"),
    (15, "North Kazakhstan Region", "T"),
    (16, "East Kazakhstan Region", "FU"),
    (17, "Shymkent (city)", ""),
    (18, "Abai Region", ""),
    (19, "Jetisu Region", ""),
    (20, "Ulytau Region", ""),
];

impl Region {
    /// The region with this 2012 code, 1 to 20.
    pub fn from_code(code: u8) -> Option<Region> {
        (1..=20).contains(&code).then_some(Region(code))
    }

    /// The region a 1993-format area letter stands for, where the letter names exactly one.
    pub fn from_legacy_letter(letter: char) -> Option<Region> {
        REGIONS
            .iter()
            .find(|(_, _, letters)| letters.contains(letter))
            .map(|(code, _, _)| Region(*code))
    }

    /// The two-digit code, 1 to 20.
    pub fn code(self) -> u8 {
        self.0
    }

    /// The region's English name.
    pub fn name(self) -> &'static str {
        REGIONS[usize::from(self.0 - 1)].1
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02} {}", self.0, self.name())
    }
}

/// What kind of plate a text is, by the row of [`FORMATS`] it matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlateFormat {
    /// Since 2012, a private person's car: three digits, three letters, region code.
    Civil2012Personal,
    /// Since 2012, an organisation's car: three digits, two letters, region code.
    Civil2012Organisation,
    /// Since 2012, a police car: three digits, `KP`, region code.
    Police2012,
    /// Yellow plate of a foreign individual: `F`, four digits, region code.
    ForeignIndividual,
    /// Yellow plate of a foreign company or joint venture: `H`, four digits, region code.
    ForeignCompany,
    /// Red plate of a head of a diplomatic mission.
    DiplomaticHeadOfMission,
    /// Red plate of a member of the diplomatic corps.
    DiplomaticCorps,
    /// Red plate of a diplomat.
    Diplomatic,
    /// Red plate of a mission's technical and administrative staff.
    DiplomaticTechnical,
    /// Armed forces.
    Military,
    /// Temporary (transit) plate for a vehicle being moved before registration.
    Transit,
    /// 1993–2012, a private person's car: area letter, three digits, three letters.
    Legacy1993Personal,
    /// 1993–2012, an organisation's car: area letter, three digits, two letters.
    Legacy1993Organisation,
    /// Not a Kazakhstan format this crate knows (a foreign country's plate, a new series):
    /// only from [`Plate::parse_any`].
    Other,
}

/// How well a row of [`FORMATS`] is supported by its sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Described by the public sources named in this module's documentation.
    Published,
    /// The letters are described; the digit layout is a best guess.
    Unverified,
}

/// One plate format: a pattern, an example that parses by it, and how sure we are of it.
///
/// Pattern language: `#` a digit; `@` a letter; `^` the 1993 area letter (any letter; the
/// region where [`Region::from_legacy_letter`] knows it); `%` the two-digit region code 01–20;
/// an upper-case letter or a digit stands for itself; a space only separates groups for
/// display.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FormatRow {
    pub format: PlateFormat,
    pub pattern: &'static str,
    pub example: &'static str,
    pub evidence: Evidence,
}

const fn row(
    format: PlateFormat,
    pattern: &'static str,
    example: &'static str,
    evidence: Evidence,
) -> FormatRow {
    FormatRow {
        format,
        pattern,
        example,
        evidence,
    }
}

/// The formats, most specific first: a text takes the first row it fits.
pub const FORMATS: &[FormatRow] = {
    use Evidence::*;
    use PlateFormat::*;
    &[
        row(Police2012, "### KP %", "123 KP 02", Published),
        row(Civil2012Personal, "### @@@ %", "123 ABC 02", Published),
        row(Civil2012Organisation, "### @@ %", "777 AB 17", Published),
        row(ForeignIndividual, "F #### %", "F 1234 02", Published),
        row(ForeignCompany, "H #### %", "H 1234 02", Published),
        row(DiplomaticHeadOfMission, "CMD ####", "CMD 0101", Unverified),
        row(DiplomaticCorps, "CD ####", "CD 0102", Unverified),
        row(Diplomatic, "D #####", "D 01123", Unverified),
        row(DiplomaticTechnical, "T #####", "T 01123", Unverified),
        row(Transit, "T #### %", "T 1234 02", Unverified),
        row(Military, "#### @@", "1234 KZ", Unverified),
        row(Legacy1993Personal, "^ ### @@@", "A 123 BCD", Published),
        row(Legacy1993Organisation, "^ ### @@", "A 001 AA", Published),
    ]
};

/// Why a text is not a plate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlateError {
    #[error("the plate is empty")]
    Empty,
    #[error("{0:?} cannot appear on a plate (Latin letters and digits only)")]
    InvalidCharacter(char),
    #[error("a plate has at most {MAX_LEN} characters")]
    TooLong,
    #[error("region code {0:02} does not exist (01–20)")]
    UnknownRegion(u8),
    #[error("{0} is not a known Kazakhstan plate format")]
    UnknownFormat(String),
}

/// A licence plate: its normalised characters, the format they fit, and the region where the
/// format encodes one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Plate {
    text: String,
    format: PlateFormat,
    region: Option<Region>,
}

impl Plate {
    /// Parses a Kazakhstan plate in any spelling [`crate::normalise`] accepts, recognising its
    /// format.
    ///
    /// ```
    /// use iz_plates::{Plate, PlateFormat};
    /// let plate = Plate::parse("123 авс 02").unwrap();
    /// assert_eq!(plate.as_str(), "123ABC02");
    /// assert_eq!(plate.format(), PlateFormat::Civil2012Personal);
    /// assert_eq!(plate.region().map(|r| r.code()), Some(2));
    /// ```
    pub fn parse(text: &str) -> Result<Plate, PlateError> {
        let text = plate_text(text)?;
        let mut bad_region = None;
        for row in FORMATS {
            match fit(row.pattern, text.as_bytes()) {
                Fit::Yes(region) => {
                    return Ok(Plate {
                        text,
                        format: row.format,
                        region,
                    });
                }
                Fit::BadRegion(code) => bad_region = bad_region.or(Some(code)),
                Fit::No => {}
            }
        }
        Err(match bad_region {
            Some(code) => PlateError::UnknownRegion(code),
            None => PlateError::UnknownFormat(text),
        })
    }

    /// As [`Plate::parse`], but a text of Latin letters and digits that fits no row is kept as
    /// [`PlateFormat::Other`] (a plate from abroad on a watch list) instead of refused.
    pub fn parse_any(text: &str) -> Result<Plate, PlateError> {
        match Plate::parse(text) {
            Err(PlateError::UnknownFormat(_) | PlateError::UnknownRegion(_)) => Ok(Plate {
                text: plate_text(text)?,
                format: PlateFormat::Other,
                region: None,
            }),
            other => other,
        }
    }

    /// The normalised characters, without separators: `123ABC02`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn format(&self) -> PlateFormat {
        self.format
    }

    /// The region the plate encodes: the code of a 2012-style plate, or the area letter of a
    /// 1993 one where that letter names one region.
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    /// Similarity of two plates in [0, 1], see [`crate::similarity`].
    pub fn similarity(&self, other: &Plate) -> f32 {
        crate::distance::similarity_bytes(self.text.as_bytes(), other.text.as_bytes())
    }
}

impl fmt::Display for Plate {
    /// The plate grouped as its format prints it: `123 ABC 02`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pattern = FORMATS
            .iter()
            .find(|row| row.format == self.format)
            .map_or("", |row| row.pattern);
        let mut chars = self.text.chars();
        for p in pattern.chars() {
            match p {
                ' ' => f.write_str(" ")?,
                '%' => {
                    for c in chars.by_ref().take(2) {
                        write!(f, "{c}")?;
                    }
                }
                _ => {
                    if let Some(c) = chars.next() {
                        write!(f, "{c}")?;
                    }
                }
            }
        }
        for c in chars {
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// The normalised text of a would-be plate, checked for length and alphabet only.
fn plate_text(text: &str) -> Result<String, PlateError> {
    let mut out = String::new();
    for c in normalised_chars(text) {
        if !is_plate_char(c) {
            return Err(PlateError::InvalidCharacter(c));
        }
        if out.len() == MAX_LEN {
            return Err(PlateError::TooLong);
        }
        out.push(c);
    }
    if out.is_empty() {
        return Err(PlateError::Empty);
    }
    Ok(out)
}

enum Fit {
    Yes(Option<Region>),
    BadRegion(u8),
    No,
}

/// Whether the normalised `text` fits `pattern` exactly, and the region it encodes.
fn fit(pattern: &str, text: &[u8]) -> Fit {
    let mut i = 0;
    let mut region = None;
    let mut bad_region = None;
    for p in pattern.bytes() {
        let need = if p == b'%' { 2 } else { 1 };
        if p == b' ' {
            continue;
        }
        let Some(got) = text.get(i..i + need) else {
            return Fit::No;
        };
        i += need;
        let c = got[0];
        let ok = match p {
            b'#' => c.is_ascii_digit(),
            b'@' => c.is_ascii_uppercase(),
            b'^' => {
                region = Region::from_legacy_letter(char::from(c));
                c.is_ascii_uppercase()
            }
            b'%' => {
                if !got.iter().all(u8::is_ascii_digit) {
                    false
                } else {
                    let code = (got[0] - b'0') * 10 + (got[1] - b'0');
                    region = Region::from_code(code);
                    if region.is_none() {
                        bad_region = Some(code);
                    }
                    true
                }
            }
            literal => c == literal,
        };
        if !ok {
            return Fit::No;
        }
    }
    if i != text.len() {
        return Fit::No;
    }
    match bad_region {
        Some(code) => Fit::BadRegion(code),
        None => Fit::Yes(region),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_code_has_a_name_and_letters_map_to_one_region() {
        for (code, name, letters) in REGIONS {
            let region = Region::from_code(code).expect("code in range");
            assert_eq!(region.name(), name);
            for letter in letters.chars() {
                assert_eq!(Region::from_legacy_letter(letter), Some(region));
            }
        }
        assert_eq!(Region::from_legacy_letter('O'), None);
        assert_eq!(Region::from_legacy_letter('W'), None);
        assert_eq!(Region::from_code(0), None);
        assert_eq!(Region::from_code(21), None);
    }

    #[test]
    fn no_example_fits_an_earlier_row_than_its_own() {
        for (i, row) in FORMATS.iter().enumerate() {
            let text = crate::normalise(row.example);
            for earlier in &FORMATS[..i] {
                assert!(
                    matches!(fit(earlier.pattern, text.as_bytes()), Fit::No),
                    "{} also fits {}",
                    row.example,
                    earlier.pattern
                );
            }
        }
    }
}
