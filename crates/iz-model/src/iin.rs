//! The individual identification number (IIN, ЖСН/ИИН).
//!
//! Twelve digits: `YYMMDD` birth date, one digit for century and sex, a four-digit serial and a
//! check digit. The check digit is the weighted sum of the first eleven digits modulo 11 with
//! weights 1..=11; when that gives 10 the sum is taken again with weights 3..=11,1,2, and when it
//! is 10 again the number cannot be valid. An IIN is only accepted when its check digit, its birth
//! date and its century digit all agree.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Sex as recorded in a registry, the IIN's seventh digit or a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// A validated IIN. Stored as the number it spells, so that comparing and hashing are cheap.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iin(u64);

/// Why a string is not an IIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN has 12 digits, this has {0} characters")]
    Length(usize),
    #[error("an IIN has only digits, this has {0:?}")]
    NotDigit(char),
    #[error("the century and sex digit is {0}; only 1 to 6 exist")]
    CenturyDigit(u8),
    #[error("the birth date {0} does not exist")]
    BirthDate(String),
    #[error("the check digit is {found}, the first eleven digits give {expected}")]
    CheckDigit { found: u8, expected: u8 },
    #[error("the first eleven digits give no valid check digit")]
    NoCheckDigit,
}

const WEIGHTS_FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit the first eleven digits call for, or `None` when none can be valid.
pub fn check_digit(first_eleven: &[u8; 11]) -> Option<u8> {
    let weighted = |weights: &[u32; 11]| {
        first_eleven
            .iter()
            .zip(weights)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    match weighted(&WEIGHTS_FIRST) {
        10 => match weighted(&WEIGHTS_SECOND) {
            10 => None,
            d => Some(d as u8),
        },
        d => Some(d as u8),
    }
}

impl Iin {
    /// Parses and validates twelve ASCII digits.
    pub fn parse(text: &str) -> Result<Self, IinError> {
        if let Some(bad) = text.chars().find(|c| !c.is_ascii_digit()) {
            return Err(IinError::NotDigit(bad));
        }
        let bytes = text.as_bytes();
        if bytes.len() != 12 {
            return Err(IinError::Length(bytes.len()));
        }
        let mut digits = [0u8; 12];
        for (slot, &b) in digits.iter_mut().zip(bytes) {
            *slot = b - b'0';
        }
        let century_digit = digits[6];
        let century = match century_digit {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            other => return Err(IinError::CenturyDigit(other)),
        };
        let year = century + i32::from(digits[0] * 10 + digits[1]);
        let month = u32::from(digits[2] * 10 + digits[3]);
        let day = u32::from(digits[4] * 10 + digits[5]);
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err(IinError::BirthDate(format!(
                "{year:04}-{month:02}-{day:02}"
            )));
        }
        let mut first_eleven = [0u8; 11];
        first_eleven.copy_from_slice(&digits[..11]);
        match check_digit(&first_eleven) {
            None => Err(IinError::NoCheckDigit),
            Some(expected) if expected != digits[11] => Err(IinError::CheckDigit {
                found: digits[11],
                expected,
            }),
            Some(_) => Ok(Iin(digits.iter().fold(0u64, |n, d| n * 10 + u64::from(*d)))),
        }
    }

    /// The IIN as the number its digits spell (leading zeros dropped).
    pub fn as_u64(self) -> u64 {
        self.0
    }

    fn digit(self, index: u32) -> u8 {
        ((self.0 / 10u64.pow(11 - index)) % 10) as u8
    }

    /// The birth date the IIN encodes.
    pub fn birth_date(self) -> NaiveDate {
        let century = match self.digit(6) {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        let year = century + i32::from(self.digit(0) * 10 + self.digit(1));
        let month = u32::from(self.digit(2) * 10 + self.digit(3));
        let day = u32::from(self.digit(4) * 10 + self.digit(5));
        // Validated in `parse`; the fallback is never taken.
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }

    /// The sex the IIN encodes: odd century digits are male, even ones female.
    pub fn sex(self) -> Sex {
        if self.digit(6) % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Builds a valid IIN for a birth date, sex and serial (used by the scenario generator and
    /// tests). Returns `None` when no check digit exists for that serial; try the next one.
    pub fn compose(birth_date: NaiveDate, sex: Sex, serial: u16) -> Option<Self> {
        use chrono::Datelike;
        let year = birth_date.year();
        let century_base: u8 = match year {
            1800..=1899 => 1,
            1900..=1999 => 3,
            2000..=2099 => 5,
            _ => return None,
        };
        let century_digit = century_base + u8::from(sex == Sex::Female);
        let yy = (year % 100) as u8;
        let (mm, dd) = (birth_date.month() as u8, birth_date.day() as u8);
        let serial = serial % 10_000;
        let first_eleven = [
            yy / 10,
            yy % 10,
            mm / 10,
            mm % 10,
            dd / 10,
            dd % 10,
            century_digit,
            (serial / 1000) as u8,
            (serial / 100 % 10) as u8,
            (serial / 10 % 10) as u8,
            (serial % 10) as u8,
        ];
        let check = check_digit(&first_eleven)?;
        let n = first_eleven
            .iter()
            .chain(std::iter::once(&check))
            .fold(0u64, |n, d| n * 10 + u64::from(*d));
        Some(Iin(n))
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012}", self.0)
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({:012})", self.0)
    }
}

impl std::str::FromStr for Iin {
    type Err = IinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iin::parse(s)
    }
}

impl Serialize for Iin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Iin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Iin::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Iin {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[0-9]{12}$"))
            .description(Some(
                "IIN: 12 digits, birth date YYMMDD, century/sex digit, serial, check digit",
            ))
            .examples([serde_json::json!("900514300121")])
            .into()
    }
}
#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Iin {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_valid_iin_gives_its_birth_date_and_sex() {
        let iin = Iin::parse("900514300121").expect("valid");
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(1990, 5, 14).expect("date")
        );
        assert_eq!(iin.sex(), Sex::Male);
        assert_eq!(iin.to_string(), "900514300121");
        let woman = Iin::parse("881122400450").expect("valid");
        assert_eq!(woman.sex(), Sex::Female);
    }

    #[test]
    fn a_wrong_check_digit_is_named() {
        assert_eq!(
            Iin::parse("900514300122"),
            Err(IinError::CheckDigit {
                found: 2,
                expected: 1
            })
        );
    }

    #[test]
    fn impossible_dates_and_century_digits_are_refused() {
        assert!(matches!(
            Iin::parse("901345300121"),
            Err(IinError::BirthDate(_))
        ));
        // 29 February 1990 never was.
        assert!(matches!(
            Iin::parse("900229300121"),
            Err(IinError::BirthDate(_))
        ));
        assert_eq!(Iin::parse("900514700121"), Err(IinError::CenturyDigit(7)));
        assert_eq!(Iin::parse("900514000121"), Err(IinError::CenturyDigit(0)));
    }

    #[test]
    fn length_and_characters_are_checked_first() {
        assert_eq!(Iin::parse("90051430012"), Err(IinError::Length(11)));
        assert_eq!(Iin::parse("9005143001ab"), Err(IinError::NotDigit('a')));
        assert_eq!(
            Iin::parse("９００５１４３００１２１"),
            Err(IinError::NotDigit('９'))
        );
    }

    #[test]
    fn the_second_weighting_is_used_when_the_first_gives_ten() {
        // Find a serial whose first weighting gives 10, and check the second one decides.
        let date = NaiveDate::from_ymd_opt(1985, 3, 7).expect("date");
        let mut second_used = false;
        for serial in 0..10_000u16 {
            if let Some(iin) = Iin::compose(date, Sex::Female, serial) {
                let s = iin.to_string();
                let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
                let first: u32 = d[..11].iter().zip(1..=11).map(|(a, w)| a * w).sum::<u32>() % 11;
                if first == 10 {
                    second_used = true;
                    assert_eq!(Iin::parse(&s), Ok(iin));
                }
            }
        }
        assert!(second_used, "some serial must need the second weighting");
    }

    proptest! {
        #[test]
        fn composed_iins_parse_back(days in 0i64..80_000, female in any::<bool>(), serial in 0u16..10_000) {
            let date = NaiveDate::from_ymd_opt(1850, 1, 1).expect("date") + chrono::Duration::days(days);
            let sex = if female { Sex::Female } else { Sex::Male };
            if let Some(iin) = Iin::compose(date, sex, serial) {
                let parsed = Iin::parse(&iin.to_string()).expect("composed IIN parses");
                prop_assert_eq!(parsed.birth_date(), date);
                prop_assert_eq!(parsed.sex(), sex);
            }
        }

        #[test]
        fn any_string_parses_or_errs_without_panic(s in "\\PC{0,16}") {
            let _ = Iin::parse(&s);
        }

        #[test]
        fn a_changed_check_digit_is_always_caught(delta in 1u8..10) {
            let mut bytes = b"900514300121".to_vec();
            bytes[11] = b'0' + (bytes[11] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            let caught = matches!(Iin::parse(&changed), Err(IinError::CheckDigit { .. }));
            prop_assert!(caught);
        }
    }
}
