//! From what a camera or a clerk typed to the characters of a plate.

/// The character a read uses for a position it saw but could not read.
pub const UNREAD: char = '?';

/// Normalises plate text: upper case; spaces, dashes, dots and underscores removed; Cyrillic
/// letters that look like Latin ones (А В Е К М Н О Р С Т У Х, and the Kazakh І) read as
/// their Latin twin, since Kazakhstan plates carry Latin letters only. Other characters are
/// kept (upper-cased) so that [`crate::Plate::parse`] can name the one it rejects.
///
/// ```
/// assert_eq!(iz_plates::normalise("123 авс-02"), "123ABC02");
/// ```
pub fn normalise(text: &str) -> String {
    normalised_chars(text).collect()
}

/// [`normalise`] as an iterator, for callers that hash or compare without allocating.
pub fn normalised_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| !is_separator(*c))
        .flat_map(char::to_uppercase)
        .map(latin_twin)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—' | '.' | '·' | '_')
}

/// The Latin letter an upper-case Cyrillic look-alike stands for; any other character as is.
fn latin_twin(c: char) -> char {
    match c {
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' => 'Y',
        'Х' => 'X',
        'І' => 'I',
        other => other,
    }
}

/// Whether `c` may appear on a plate after normalisation.
pub(crate) fn is_plate_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cyrillic_lookalike_becomes_its_latin_twin() {
        assert_eq!(normalise("АВЕКМНОРСТУХ"), "ABEKMHOPCTYX");
        assert_eq!(normalise("авекмнорстух"), "ABEKMHOPCTYX");
    }

    #[test]
    fn separators_and_case_do_not_matter() {
        assert_eq!(normalise(" 123-abc.02 "), "123ABC02");
        assert_eq!(normalise("A\t123_bcd"), "A123BCD");
    }

    #[test]
    fn other_characters_are_kept_for_the_parser_to_reject() {
        assert_eq!(normalise("12ж"), "12Ж");
        assert_eq!(normalise("12?"), "12?");
    }
}
