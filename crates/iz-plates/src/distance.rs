//! OCR-aware comparison of a camera's read with a plate, and its explanation.

use serde::Serialize;

use crate::format::{MAX_LEN, Plate, PlateError};
use crate::normalise::{UNREAD, is_plate_char, normalised_chars};

/// Cost of substituting one character of a confusion class for another (`O` read as `0`).
pub const CONFUSION_COST: f32 = 0.25;
/// Cost of any other substitution, and of a character inserted or left out.
pub const EDIT_COST: f32 = 1.0;

/// Characters a plate-reading OCR mistakes for one another. Every pair inside a class costs
/// [`CONFUSION_COST`]; the first character names the class in [`confusion_class`].
pub const CONFUSION_CLASSES: [&str; 7] = ["0ODQ", "1I7", "8B", "5S", "2Z", "6G", "4A"];

const UNREAD_BYTE: u8 = UNREAD as u8;

/// The representative of `c`'s confusion class (the class's first character), or `c` itself:
/// two characters an OCR may confuse have the same representative.
pub fn confusion_class(c: u8) -> u8 {
    match c {
        b'0' | b'O' | b'D' | b'Q' => b'0',
        b'1' | b'I' | b'7' => b'1',
        b'8' | b'B' => b'8',
        b'5' | b'S' => b'5',
        b'2' | b'Z' => b'2',
        b'6' | b'G' => b'6',
        b'4' | b'A' => b'4',
        other => other,
    }
}

/// How a read character and a plate character were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pairing {
    /// The same character.
    Same,
    /// Different characters an OCR confuses (`0` and `O`).
    OcrConfusion,
    /// Different characters.
    Different,
    /// A plate character the read does not have.
    Missing,
    /// A read character the plate does not have.
    Extra,
    /// A plate position the camera did not read: a `?` in the read, or outside what a partial
    /// read covers. Costs nothing but lowers the coverage.
    Unread,
}

/// One column of the alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AlignedPair {
    pub read: Option<char>,
    pub plate: Option<char>,
    pub pairing: Pairing,
}

/// What a camera read: the normalised characters (with `?` where it saw a character but could
/// not read it), its confidence, and whether it may have missed characters at either end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlateRead {
    text: String,
    confidence: f32,
    partial: bool,
}

impl PlateRead {
    /// A read of the whole plate. `?` marks a character seen but not read. The confidence is
    /// clamped to [0, 1] (NaN reads as 0).
    pub fn new(text: &str, confidence: f32) -> Result<PlateRead, PlateError> {
        PlateRead::make(text, confidence, false)
    }

    /// A read of part of the plate: characters may be missing at either end (the plate left the
    /// frame, a tow bar hid it). Unread ends cost nothing but lower the coverage.
    pub fn partial(text: &str, confidence: f32) -> Result<PlateRead, PlateError> {
        PlateRead::make(text, confidence, true)
    }

    /// A perfect read of `plate`, confidence 1.
    pub fn exact(plate: &Plate) -> PlateRead {
        PlateRead {
            text: plate.as_str().to_owned(),
            confidence: 1.0,
            partial: false,
        }
    }

    fn make(text: &str, confidence: f32, partial: bool) -> Result<PlateRead, PlateError> {
        let mut out = String::new();
        for c in normalised_chars(text) {
            if !(is_plate_char(c) || c == UNREAD) {
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
        let confidence = if confidence.is_nan() {
            0.0
        } else {
            confidence.clamp(0.0, 1.0)
        };
        Ok(PlateRead {
            text: out,
            confidence,
            partial,
        })
    }

    /// The normalised characters, `?` for unread ones.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn confidence(&self) -> f32 {
        self.confidence
    }

    pub fn is_partial(&self) -> bool {
        self.partial
    }

    /// How many characters were actually read (not `?`).
    pub fn known(&self) -> usize {
        self.text.bytes().filter(|&b| b != UNREAD_BYTE).count()
    }
}

/// Why a read matched a plate, for an operator to check: the alignment character by
/// character, the weighted distance, and how the score was made:
/// `score = similarity × coverage × confidence`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlateMatch {
    /// The plate as printed, `123 ABC 02`.
    pub plate: String,
    /// The read's normalised characters.
    pub read: String,
    pub partial: bool,
    pub alignment: Vec<AlignedPair>,
    /// Weighted edit distance: [`CONFUSION_COST`] per OCR confusion, [`EDIT_COST`] per other
    /// difference; `?` and (for a partial read) unread ends cost nothing.
    pub distance: f32,
    /// `1 − distance / length` (length: the longer of read and plate; for a partial read, the
    /// read), in [0, 1].
    pub similarity: f32,
    /// The share of the plate actually read: characters read over the read's length, or, for
    /// a partial read, over the plate's length.
    pub coverage: f32,
    pub confidence: f32,
    pub score: f32,
}

/// Compares a read with a plate and explains the result.
pub fn compare(read: &PlateRead, plate: &Plate) -> PlateMatch {
    let r = read.text.as_bytes();
    let p = plate.as_str().as_bytes();
    let table = Table::fill(r, p, read.partial);
    let (distance, end) = table.best(read.partial);
    let (similarity, coverage, score) = scores(read, p.len(), distance);
    PlateMatch {
        plate: plate.to_string(),
        read: read.text.clone(),
        partial: read.partial,
        alignment: table.trace(r, p, end, read.partial),
        distance,
        similarity,
        coverage,
        confidence: read.confidence,
        score,
    }
}

/// The score [`compare`] would give, without building the explanation.
pub fn score(read: &PlateRead, plate: &Plate) -> f32 {
    let p = plate.as_str().as_bytes();
    let table = Table::fill(read.text.as_bytes(), p, read.partial);
    scores(read, p.len(), table.best(read.partial).0).2
}

/// The highest score `read` could reach against any plate of at least `min_len` characters:
/// lets an index skip reads that cannot pass a threshold.
pub(crate) fn best_possible_score(read: &PlateRead, min_len: usize) -> f32 {
    let coverage = if read.partial {
        (read.known() as f32 / min_len.max(1) as f32).min(1.0)
    } else {
        read.known() as f32 / read.text.len() as f32
    };
    coverage * read.confidence
}

/// An upper bound of the score `read` can reach against a plate of `plate_len` characters,
/// from the lengths alone: a full read is at least the length difference away, a partial read
/// covers at most its known characters of the plate.
pub(crate) fn score_bound(read: &PlateRead, plate_len: usize) -> f32 {
    let m = read.text.len();
    let known = read.known() as f32;
    let bound = if read.partial {
        (known / plate_len.max(1) as f32).min(1.0)
    } else {
        let longer = m.max(plate_len) as f32;
        (1.0 - m.abs_diff(plate_len) as f32 / longer) * known / m as f32
    };
    bound * read.confidence
}

fn scores(read: &PlateRead, plate_len: usize, distance: f32) -> (f32, f32, f32) {
    let m = read.text.len();
    let known = read.known() as f32;
    let (length, coverage) = if read.partial {
        (m, (known / plate_len as f32).min(1.0))
    } else {
        (m.max(plate_len), known / m as f32)
    };
    let similarity = (1.0 - distance / length as f32).clamp(0.0, 1.0);
    (
        similarity,
        coverage,
        similarity * coverage * read.confidence,
    )
}

/// Similarity in [0, 1] of two texts as plates (normalised first; no wildcards): 1 for the
/// same plate, `1 − distance / longer length` otherwise. Symmetric.
///
/// ```
/// assert_eq!(iz_plates::similarity("123 ABC 02", "123авс02"), 1.0);
/// assert!(iz_plates::similarity("123ABC02", "123ABCO2") > iz_plates::similarity("123ABC02", "123ABCX2"));
/// ```
pub fn similarity(a: &str, b: &str) -> f32 {
    let a: Vec<u8> = normalised_bytes(a);
    let b: Vec<u8> = normalised_bytes(b);
    similarity_bytes(&a, &b)
}

/// Normalised text as bytes for comparison; characters outside a plate's alphabet become a
/// byte no plate has, so they count as differences but never crash or match.
fn normalised_bytes(text: &str) -> Vec<u8> {
    normalised_chars(text)
        .map(|c| if is_plate_char(c) { c as u8 } else { 0xff })
        .collect()
}

pub(crate) fn similarity_bytes(a: &[u8], b: &[u8]) -> f32 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let d = distance_bytes(a, b);
    (1.0 - d / longest as f32).clamp(0.0, 1.0)
}

/// Weighted edit distance of two byte strings of any length (two rows, no wildcards).
fn distance_bytes(a: &[u8], b: &[u8]) -> f32 {
    let mut prev: Vec<f32> = (0..=b.len()).map(|j| j as f32 * EDIT_COST).collect();
    let mut cur = vec![0.0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        cur[0] = (i + 1) as f32 * EDIT_COST;
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + substitution(x, y, false))
                .min(prev[j + 1] + EDIT_COST)
                .min(cur[j] + EDIT_COST);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Cost of pairing read byte `x` with plate byte `y`.
#[inline]
fn substitution(x: u8, y: u8, wildcard: bool) -> f32 {
    if x == y || (wildcard && x == UNREAD_BYTE) {
        0.0
    } else if confusion_class(x) == confusion_class(y) {
        CONFUSION_COST
    } else {
        EDIT_COST
    }
}

const N: usize = MAX_LEN + 1;

/// The dynamic-programming table of read (rows) against plate (columns); both are at most
/// [`MAX_LEN`] long, so it lives on the stack.
struct Table {
    d: [[f32; N]; N],
    m: usize,
    n: usize,
}

impl Table {
    /// Global alignment; for a partial read, plate characters before and after the read cost
    /// nothing (semi-global).
    fn fill(r: &[u8], p: &[u8], partial: bool) -> Table {
        let (m, n) = (r.len().min(MAX_LEN), p.len().min(MAX_LEN));
        let mut d = [[0.0f32; N]; N];
        for (j, cell) in d[0].iter_mut().enumerate().take(n + 1) {
            *cell = if partial { 0.0 } else { j as f32 * EDIT_COST };
        }
        for i in 1..=m {
            d[i][0] = i as f32 * EDIT_COST;
            let x = r[i - 1];
            for j in 1..=n {
                d[i][j] = (d[i - 1][j - 1] + substitution(x, p[j - 1], true))
                    .min(d[i - 1][j] + EDIT_COST)
                    .min(d[i][j - 1] + EDIT_COST);
            }
        }
        Table { d, m, n }
    }

    /// The distance, and the plate column where the alignment ends.
    fn best(&self, partial: bool) -> (f32, usize) {
        if !partial {
            return (self.d[self.m][self.n], self.n);
        }
        let mut best = (self.d[self.m][self.n], self.n);
        for j in (0..self.n).rev() {
            if self.d[self.m][j] < best.0 {
                best = (self.d[self.m][j], j);
            }
        }
        best
    }

    fn trace(&self, r: &[u8], p: &[u8], end: usize, partial: bool) -> Vec<AlignedPair> {
        let mut out = Vec::with_capacity(self.m.max(self.n) + 2);
        for &y in p[end..self.n].iter().rev() {
            out.push(pair(None, Some(y), Pairing::Unread));
        }
        let (mut i, mut j) = (self.m, end);
        while i > 0 || j > 0 {
            if i == 0 {
                let pairing = if partial {
                    Pairing::Unread
                } else {
                    Pairing::Missing
                };
                out.push(pair(None, Some(p[j - 1]), pairing));
                j -= 1;
                continue;
            }
            let here = self.d[i][j];
            let x = r[i - 1];
            if j > 0 {
                let y = p[j - 1];
                let cost = substitution(x, y, true);
                if close(here, self.d[i - 1][j - 1] + cost) {
                    let pairing = if x == UNREAD_BYTE {
                        Pairing::Unread
                    } else if x == y {
                        Pairing::Same
                    } else if cost < EDIT_COST {
                        Pairing::OcrConfusion
                    } else {
                        Pairing::Different
                    };
                    out.push(pair(Some(x), Some(y), pairing));
                    i -= 1;
                    j -= 1;
                    continue;
                }
                if close(here, self.d[i][j - 1] + EDIT_COST) {
                    out.push(pair(None, Some(y), Pairing::Missing));
                    j -= 1;
                    continue;
                }
            }
            out.push(pair(Some(x), None, Pairing::Extra));
            i -= 1;
        }
        out.reverse();
        out
    }
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-4
}

fn pair(read: Option<u8>, plate: Option<u8>, pairing: Pairing) -> AlignedPair {
    AlignedPair {
        read: read.map(char::from),
        plate: plate.map(char::from),
        pairing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_confusion_class_member_maps_to_the_class_head() {
        for class in CONFUSION_CLASSES {
            let head = class.as_bytes()[0];
            for c in class.bytes() {
                assert_eq!(confusion_class(c), head);
            }
        }
        assert_eq!(confusion_class(b'X'), b'X');
    }

    #[test]
    fn the_two_distance_implementations_agree_without_wildcards() {
        let pairs = [("123ABC02", "123ABCO2"), ("A123BCD", "123BCD"), ("", "ABC")];
        for (a, b) in pairs {
            let t = Table::fill(a.as_bytes(), b.as_bytes(), false);
            assert!(close(
                t.best(false).0,
                distance_bytes(a.as_bytes(), b.as_bytes())
            ));
        }
    }
}
