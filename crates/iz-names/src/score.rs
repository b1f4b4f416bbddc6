//! Scoring two names, with birth dates and sex as further evidence, and explaining the score.

use chrono::{Datelike, NaiveDate};
use iz_model::Sex;
use serde::Serialize;

use crate::key::{Name, Token, TokenKind, parse};

/// Two words whose keys are less alike than this (Jaro-Winkler) do not align.
pub const FUZZY_CUTOFF: f64 = 0.85;

/// How two tokens aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Written the same (ignoring case).
    Exact,
    /// Different spellings with the same transliteration key (Тоқаев, Tokayev).
    SameKey,
    /// Keys alike but not equal (a typo, an unusual romanisation).
    Fuzzy,
    /// An initial and a word starting with the same key letter, or two such initials.
    Initial,
    /// Two patronymics from the same father's name (Ерланұлы, Erlanovich).
    Patronymic,
    /// The same surname with male and female endings (Иванов, Иванова): the same family.
    GenderEnding,
}

/// One token of each name, aligned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    pub a: String,
    pub b: String,
    pub how: How,
    /// In [0, 1]: how alike the two tokens are.
    pub similarity: f64,
}

/// What the birth dates say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateEvidence {
    /// One or both unknown.
    Unknown,
    Equal,
    /// Day and month swapped (a US-style date, or a clerk's slip).
    DayMonthSwapped,
    /// Same day and month, years one apart.
    OneYearApart,
    /// Same year only.
    SameYear,
    /// Nothing in common.
    Conflict,
}

/// What the sexes say: given by the callers (from an IIN or a document), or read weakly from the
/// names' endings (-ов/-ова, -ұлы/-қызы).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SexEvidence {
    Unknown,
    Agree,
    Conflict,
    /// A given sex disagrees with the other name's endings.
    EndingDisagrees,
}

/// A score in [0, 1] and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub score: f64,
    /// The score of the names alone.
    pub name_score: f64,
    pub aligned: Vec<Alignment>,
    /// Tokens of the first name that aligned with nothing.
    pub unmatched_a: Vec<String>,
    /// Tokens of the second name that aligned with nothing.
    pub unmatched_b: Vec<String>,
    pub birth_date: DateEvidence,
    pub sex: SexEvidence,
}

/// One side of a comparison: a name, and what else is known of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: Name,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
}

impl Person {
    pub fn new(name: &str, birth_date: Option<NaiveDate>, sex: Option<Sex>) -> Self {
        Person {
            name: parse(name),
            birth_date,
            sex,
        }
    }
}

/// Pair weights: a word counts 1, an initial half, a patronymic 0.4. A word met by an initial is
/// worth 0.45 of the 1 it asks for. An unaligned patronymic costs 0.1: a missing patronymic costs
/// little.
pub(crate) const UNALIGNED_WORD: f64 = 1.0;
pub(crate) const UNALIGNED_INITIAL: f64 = 0.5;
pub(crate) const UNALIGNED_PATRONYMIC: f64 = 0.1;
pub(crate) const PATRONYMIC_WEIGHT: f64 = 0.4;
pub(crate) const WORD_BY_INITIAL: f64 = 0.45;
/// A name with no word aligned with a word (only initials and patronymics) scores at most half.
pub(crate) const NO_WORD_CAP: f64 = 0.5;
const SAME_KEY: f64 = 0.98;
const GENDER_ENDING: f64 = 0.85;
/// Keys that differ only in ж against ш: German writes both as sch (Schukow for Жуков).
const HUSHING: f64 = 0.93;

fn hushing_alike(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (a.contains('ž') || a.contains('š'))
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == y || matches!((x, y), ('ž', 'š') | ('š', 'ž')))
}

fn unaligned_cost(t: &Token) -> f64 {
    match t.kind {
        TokenKind::Word => UNALIGNED_WORD,
        TokenKind::Initial => UNALIGNED_INITIAL,
        TokenKind::Patronymic => UNALIGNED_PATRONYMIC,
    }
}

/// How alike two keys are: the mean of Jaro-Winkler (which forgives a typo late in a word) and
/// one minus the edit distance (adjacent swaps counting one) over the longer length (which does
/// not let a shared prefix make Нурлан and Нурсултан alike).
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let jw = jaro_winkler(a, b);
    if jw < 2.0 * FUZZY_CUTOFF - 1.0 {
        return jw;
    }
    let mut ab = [0u32; 32];
    let mut bb = [0u32; 32];
    let (x, y) = (to_buf(a, &mut ab), to_buf(b, &mut bb));
    let longest = x.len().max(y.len());
    if longest == 0 {
        return 1.0;
    }
    let ed = 1.0 - osa_distance(x, y) as f64 / longest as f64;
    (jw + ed) / 2.0
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours, each costing one.
fn osa_distance(a: &[u32], b: &[u32]) -> usize {
    let m = b.len();
    // Three rolling rows: two back (for swaps), one back, and this one.
    let mut rows = [[0usize; 33]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(m + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
        }
    }
    rows[a.len() % 3][m]
}

/// Jaro-Winkler similarity of two keys, by characters.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let mut ab = [0u32; 32];
    let mut bb = [0u32; 32];
    let a = to_buf(a, &mut ab);
    let b = to_buf(b, &mut bb);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = [false; 32];
    let mut b_match = [false; 32];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && b[j] == ca {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut k = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_match[i] {
            while !b_match[k] {
                k += 1;
            }
            if ca != b[k] {
                t += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - (t / 2) as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

fn to_buf<'b>(s: &str, buf: &'b mut [u32; 32]) -> &'b [u32] {
    let mut n = 0;
    for c in s.chars().take(32) {
        buf[n] = c as u32;
        n += 1;
    }
    &buf[..n]
}

/// How two tokens align, if at all: the kind, the similarity, and the pair's numerator and
/// denominator in the name score.
pub(crate) fn pair(a: &Token, b: &Token) -> Option<(How, f64, f64, f64)> {
    use TokenKind::*;
    let first = |t: &Token| t.key.chars().next();
    match (a.kind, b.kind) {
        (Word, Word) => {
            let (how, sim) = if a.raw == b.raw {
                (How::Exact, 1.0)
            } else if a.key == b.key {
                (How::SameKey, SAME_KEY)
            } else if a.stem == b.stem {
                (How::GenderEnding, GENDER_ENDING)
            } else if hushing_alike(&a.key, &b.key) {
                (How::Fuzzy, HUSHING)
            } else {
                let sim = similarity(&a.key, &b.key);
                if sim < FUZZY_CUTOFF {
                    return None;
                }
                (How::Fuzzy, sim * SAME_KEY)
            };
            Some((how, sim, sim, 1.0))
        }
        (Initial, Initial) => (first(a) == first(b)).then_some((How::Initial, 1.0, 0.5, 0.5)),
        (Initial, Word) | (Word, Initial) => {
            (first(a) == first(b)).then_some((How::Initial, WORD_BY_INITIAL, WORD_BY_INITIAL, 1.0))
        }
        (Initial, Patronymic) | (Patronymic, Initial) => (first(a) == first(b)).then_some((
            How::Initial,
            0.5,
            0.5 * PATRONYMIC_WEIGHT,
            PATRONYMIC_WEIGHT,
        )),
        (Patronymic, Patronymic) => {
            let sim = if a.raw == b.raw {
                1.0
            } else if a.key == b.key {
                SAME_KEY
            } else if a.stem == b.stem {
                if a.gender == b.gender {
                    0.95
                } else {
                    GENDER_ENDING
                }
            } else {
                let sim = similarity(&a.stem, &b.stem);
                if sim < FUZZY_CUTOFF {
                    return None;
                }
                sim * 0.95
            };
            let how = if sim == 1.0 {
                How::Exact
            } else if sim == SAME_KEY {
                How::SameKey
            } else {
                How::Patronymic
            };
            Some((how, sim, sim * PATRONYMIC_WEIGHT, PATRONYMIC_WEIGHT))
        }
        (Word, Patronymic) | (Patronymic, Word) => {
            // A surname that looks like a patronymic (Оңдасынұлы) read as one on one side only.
            let sim = if a.key == b.key {
                SAME_KEY
            } else {
                similarity(&a.key, &b.key)
            };
            if sim < FUZZY_CUTOFF {
                return None;
            }
            let w = (1.0 + PATRONYMIC_WEIGHT) / 2.0;
            Some((How::Patronymic, sim, sim * w, w))
        }
    }
}

/// The best alignment of two token lists: a dynamic programme over subsets of `b`. Returns the
/// name score and the aligned index pairs.
fn align(a: &[Token], b: &[Token], pairs_out: Option<&mut Vec<(usize, usize, How, f64)>>) -> f64 {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return 0.0;
    }
    // Gains and pair values; a pair is only worth aligning when it beats leaving both unaligned.
    let mut table =
        [[None::<(How, f64, f64, f64)>; crate::key::MAX_TOKENS]; crate::key::MAX_TOKENS];
    for i in 0..n {
        for j in 0..m {
            table[i][j] = pair(&a[i], &b[j]);
        }
    }
    let gain = |i: usize, j: usize| -> Option<f64> {
        let (_, _, num, den) = table[i][j]?;
        let g = num - 0.5 * (den - unaligned_cost(&a[i]) - unaligned_cost(&b[j]));
        (g > 0.0).then_some(g)
    };
    let states = 1usize << m;
    // best[i][mask]: the best gain over a[i..] with the b tokens in mask used.
    let size = (n + 1) * states;
    let mut stack = [0.0f64; 160];
    let mut heap = Vec::new();
    let best: &mut [f64] = if size <= stack.len() {
        &mut stack[..size]
    } else {
        heap.resize(size, 0.0);
        &mut heap
    };
    for i in (0..n).rev() {
        for mask in 0..states {
            let mut v = best[(i + 1) * states + mask];
            for j in 0..m {
                if mask & (1 << j) == 0
                    && let Some(g) = gain(i, j)
                {
                    let w = g + best[(i + 1) * states + (mask | (1 << j))];
                    if w > v {
                        v = w;
                    }
                }
            }
            best[i * states + mask] = v;
        }
    }
    // Walk the choices again to find the alignment.
    let mut num = 0.0;
    let mut den = 0.0;
    let mut used_a = [false; crate::key::MAX_TOKENS];
    let mut mask = 0usize;
    let mut word_aligned = false;
    let mut chosen = Vec::new();
    for i in 0..n {
        let here = best[i * states + mask];
        let mut pick = None;
        if here != best[(i + 1) * states + mask] {
            for j in 0..m {
                if mask & (1 << j) == 0
                    && let Some(g) = gain(i, j)
                    && g + best[(i + 1) * states + (mask | (1 << j))] == here
                {
                    pick = Some(j);
                    break;
                }
            }
        }
        if let Some(j) = pick {
            mask |= 1 << j;
            used_a[i] = true;
            if let Some((how, sim, pn, pd)) = table[i][j] {
                num += pn;
                den += pd;
                word_aligned |= a[i].kind == TokenKind::Word && b[j].kind == TokenKind::Word;
                chosen.push((i, j, how, sim));
            }
        }
    }
    for (i, t) in a.iter().enumerate() {
        if !used_a[i] {
            den += unaligned_cost(t);
        }
    }
    for (j, t) in b.iter().enumerate() {
        if mask & (1 << j) == 0 {
            den += unaligned_cost(t);
        }
    }
    if let Some(out) = pairs_out {
        *out = chosen;
    }
    let s = if den > 0.0 { num / den } else { 0.0 };
    let s = if word_aligned { s } else { s * NO_WORD_CAP };
    s.clamp(0.0, 1.0)
}

/// The date evidence, symmetric in its arguments.
pub fn date_evidence(a: Option<NaiveDate>, b: Option<NaiveDate>) -> DateEvidence {
    let (Some(a), Some(b)) = (a, b) else {
        return DateEvidence::Unknown;
    };
    if a == b {
        DateEvidence::Equal
    } else if a.year() == b.year() && a.day() == b.month() && a.month() == b.day() {
        DateEvidence::DayMonthSwapped
    } else if a.month() == b.month() && a.day() == b.day() && (a.year() - b.year()).abs() == 1 {
        DateEvidence::OneYearApart
    } else if a.year() == b.year() {
        DateEvidence::SameYear
    } else {
        DateEvidence::Conflict
    }
}

/// Raises or lowers a name score by the birth-date evidence. Agreement raises a good name score
/// more than a poor one: a shared birthday does not make strangers namesakes.
pub fn apply_date(s: f64, e: DateEvidence) -> f64 {
    match e {
        DateEvidence::Unknown => s,
        DateEvidence::Equal => s + (1.0 - s) * 0.3 * s,
        DateEvidence::DayMonthSwapped => s + (1.0 - s) * 0.15 * s,
        DateEvidence::OneYearApart => s * 0.95,
        DateEvidence::SameYear => s * 0.85,
        DateEvidence::Conflict => s * 0.6,
    }
}

fn sex_evidence(a: &Person, b: &Person) -> SexEvidence {
    match (a.sex, b.sex) {
        (Some(x), Some(y)) if x == y => SexEvidence::Agree,
        (Some(_), Some(_)) => SexEvidence::Conflict,
        (Some(x), None) if b.name.gender_hint().is_some_and(|h| h != x) => {
            SexEvidence::EndingDisagrees
        }
        (None, Some(y)) if a.name.gender_hint().is_some_and(|h| h != y) => {
            SexEvidence::EndingDisagrees
        }
        _ => SexEvidence::Unknown,
    }
}

fn apply_sex(s: f64, e: SexEvidence) -> f64 {
    match e {
        SexEvidence::Unknown | SexEvidence::Agree => s,
        SexEvidence::Conflict => s * 0.5,
        SexEvidence::EndingDisagrees => s * 0.9,
    }
}

/// Scores two people without building an explanation. Symmetric: the two sides are put in a
/// fixed order first, so that score(a, b) and score(b, a) run the same arithmetic.
pub fn score_value(a: &Person, b: &Person) -> f64 {
    let (x, y) = ordered(a, b);
    let s = align(&x.name.tokens, &y.name.tokens, None);
    let s = apply_date(s, date_evidence(a.birth_date, b.birth_date));
    apply_sex(s, sex_evidence(a, b)).clamp(0.0, 1.0)
}

fn ordered<'p>(a: &'p Person, b: &'p Person) -> (&'p Person, &'p Person) {
    if a.name <= b.name { (a, b) } else { (b, a) }
}

/// Scores two people and explains the score.
pub fn explain(a: &Person, b: &Person) -> Score {
    let swapped = a.name > b.name;
    let (x, y) = if swapped { (b, a) } else { (a, b) };
    let mut pairs = Vec::new();
    let name_score = align(&x.name.tokens, &y.name.tokens, Some(&mut pairs));
    let birth_date = date_evidence(a.birth_date, b.birth_date);
    let sex = sex_evidence(a, b);
    let score = apply_sex(apply_date(name_score, birth_date), sex).clamp(0.0, 1.0);
    let mut aligned = Vec::with_capacity(pairs.len());
    let mut used_x = vec![false; x.name.tokens.len()];
    let mut used_y = vec![false; y.name.tokens.len()];
    for (i, j, how, similarity) in pairs {
        used_x[i] = true;
        used_y[j] = true;
        let (ta, tb) = if swapped {
            (&y.name.tokens[j], &x.name.tokens[i])
        } else {
            (&x.name.tokens[i], &y.name.tokens[j])
        };
        aligned.push(Alignment {
            a: ta.raw.clone(),
            b: tb.raw.clone(),
            how,
            similarity,
        });
    }
    let rest = |toks: &[Token], used: &[bool]| -> Vec<String> {
        toks.iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| t.raw.clone())
            .collect()
    };
    let (ux, uy) = (rest(&x.name.tokens, &used_x), rest(&y.name.tokens, &used_y));
    let (unmatched_a, unmatched_b) = if swapped { (uy, ux) } else { (ux, uy) };
    Score {
        score,
        name_score,
        aligned,
        unmatched_a,
        unmatched_b,
        birth_date,
        sex,
    }
}

/// Scores two names as written, with nothing else known.
pub fn score_names(a: &str, b: &str) -> f64 {
    score_value(&Person::new(a, None, None), &Person::new(b, None, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn osa(a: &str, b: &str) -> usize {
        let a: Vec<u32> = a.chars().map(|c| c as u32).collect();
        let b: Vec<u32> = b.chars().map(|c| c as u32).collect();
        osa_distance(&a, &b)
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert_eq!(osa("tokaev", "tokaev"), 0);
        assert_eq!(osa("tokaev", "tokeav"), 1);
        assert_eq!(osa("nurlan", "nursultan"), 3);
        assert_eq!(osa("", "abc"), 3);
        assert_eq!(osa("abc", ""), 3);
        assert_eq!(osa("kitten", "sitting"), 3);
    }
}
