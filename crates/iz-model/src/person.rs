//! A person as a trace shows them, or as a watch entry describes them: identifiers, names as
//! written, birth date and sex. Every field is optional on an event; a watch entry needs at
//! least one identifier.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::iin::{Iin, Sex};

/// The kinds of identity document Iz knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    IdCard,
    Passport,
    ForeignPassport,
    ResidencePermit,
    StatelessCertificate,
    DrivingLicence,
    BirthCertificate,
}

impl DocumentType {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::IdCard => "id_card",
            DocumentType::Passport => "passport",
            DocumentType::ForeignPassport => "foreign_passport",
            DocumentType::ResidencePermit => "residence_permit",
            DocumentType::StatelessCertificate => "stateless_certificate",
            DocumentType::DrivingLicence => "driving_licence",
            DocumentType::BirthCertificate => "birth_certificate",
        }
    }
}

/// An identity document. `number` is kept as written; [`normalise_document_number`] gives the
/// form that is compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    #[serde(rename = "type")]
    pub doc_type: DocumentType,
    pub number: String,
    /// ISO 3166-1 alpha-3 code of the issuing country, e.g. `KAZ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Document {
    /// The normalised number, for comparing.
    pub fn normalised_number(&self) -> String {
        normalise_document_number(&self.number)
    }
}

/// Document numbers are compared without case, spaces, dashes, dots or slashes, and with Cyrillic
/// letters that look like Latin ones (as typed into hotel books) read as the Latin letter. One
/// letter is special: a clerk on a Cyrillic keyboard writes the passport series N as Н (the same
/// sound), which looks like Latin H; so N, H and Н are read as one letter, N.
pub fn normalise_document_number(number: &str) -> String {
    normalised_document_chars(number).collect()
}

/// The characters of the normalised number, without building it (for hashing on hot paths).
pub fn normalised_document_chars(number: &str) -> impl Iterator<Item = char> + '_ {
    number
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '/' | '\u{a0}' | '\t' | '№'))
        .map(|c| fold_lookalike(c).to_ascii_uppercase())
}

fn fold_lookalike(c: char) -> char {
    match c {
        'А' | 'а' => 'A',
        'В' | 'в' => 'B',
        'Е' | 'е' => 'E',
        'К' | 'к' => 'K',
        'М' | 'м' => 'M',
        'Н' | 'н' | 'H' | 'h' => 'N',
        'О' | 'о' => 'O',
        'Р' | 'р' => 'P',
        'С' | 'с' => 'C',
        'Т' | 'т' => 'T',
        'У' | 'у' => 'Y',
        'Х' | 'х' => 'X',
        other => other,
    }
}

/// A person's identifiers and descriptors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "900514300121"))]
    pub iin: Option<Iin>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// Names as written in the source, in whatever script and order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
}

impl Person {
    /// Whether anything in this record can identify someone.
    pub fn has_identifier(&self) -> bool {
        self.iin.is_some() || !self.documents.is_empty() || !self.names.is_empty()
    }

    /// Contradictions inside the record itself: an IIN whose birth date or sex disagrees with
    /// the stated ones.
    pub fn inconsistencies(&self) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(iin) = self.iin {
            if let Some(date) = self.birth_date
                && iin.birth_date() != date
            {
                found.push(format!(
                    "birth_date {date} disagrees with the IIN's {}",
                    iin.birth_date()
                ));
            }
            if let Some(sex) = self.sex
                && iin.sex() != sex
            {
                found.push(format!(
                    "sex {sex:?} disagrees with the IIN's {:?}",
                    iin.sex()
                ));
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_compare_without_layout_or_lookalikes() {
        assert_eq!(normalise_document_number("n 1234-5678"), "N12345678");
        // Cyrillic Н typed for Latin N, or read as the H it looks like: all one letter.
        assert_eq!(normalise_document_number("Н12345678"), "N12345678");
        assert_eq!(normalise_document_number("h12345678"), "N12345678");
        assert_eq!(normalise_document_number("АВ 12-34"), "AB1234");
        assert_eq!(normalise_document_number("№ 041 234 567"), "041234567");
    }

    #[test]
    fn an_iin_that_disagrees_with_the_stated_birth_date_is_reported() {
        let person = Person {
            iin: Some(Iin::parse("900514300121").expect("valid")),
            birth_date: NaiveDate::from_ymd_opt(1991, 5, 14),
            ..Person::default()
        };
        assert_eq!(person.inconsistencies().len(), 1);
    }
}
