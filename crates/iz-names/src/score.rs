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
    /// One given name in two languages (Александр, Олександр, Аляксандр), or two patronymics
    /// from such a name (Григорьевич, Рыгоравіч).
    NameVariant,
    /// Too unlike to align (a different name, or a spelling no rule explains): credited a little
    /// for what they share, so that near misses rank above strangers. Both tokens still count as
    /// asked for in full.
    Weak,
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
/// One given name in two languages.
const NAME_VARIANT: f64 = 0.93;
/// A pair of words too unlike to align earns at most this much of the 2 they ask for, rising from
/// nothing at [`WEAK_FLOOR`] to this just below [`FUZZY_CUTOFF`]. Half a word at most: the
/// candidate index counts a word it finds no stem for as worth nothing, which stays an upper bound
/// while a weak pair earns no more than this.
pub(crate) const WEAK_MAX: f64 = 0.5;
/// Below this similarity two tokens earn nothing: Jaro-Winkler gives two unrelated surnames
/// ending in -ов about 0.6.
pub(crate) const WEAK_FLOOR: f64 = 0.6;
/// When both names have a patronymic and the two do not align, each costs this much instead of
/// [`UNALIGNED_PATRONYMIC`]: a missing patronymic is a habit of the writer, a different one is a
/// different father.
pub(crate) const CONFLICTING_PATRONYMIC: f64 = 1.0;

/// The credit for two tokens too unlike to align.
fn weak(sim: f64) -> f64 {
    WEAK_MAX * ((sim - WEAK_FLOOR) / (FUZZY_CUTOFF - WEAK_FLOOR)).clamp(0.0, 1.0)
}

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

/// How alike two keys are, the better of two readings. The letters: the mean of Jaro-Winkler
/// (which forgives a typo late in a word) and one minus the edit distance (adjacent swaps
/// counting one) over the longer length (which does not let a shared prefix make Нурлан and
/// Нурсултан alike). The sounds: one minus a weighted edit distance over the longer length, in
/// which the changes between Russian, Ukrainian and Belarusian spellings and their
/// romanisations cost less than a typo (Хоменко, Хаменка; Волков, Волкаў; Константин,
/// Канстанцін). The sounds are worked out only where the letters are somewhat alike
/// (Jaro-Winkler at least 0.6) and could lift the similarity above 0.6, below which it earns
/// nothing anywhere.
pub fn similarity(a: &str, b: &str) -> f64 {
    similarity_above(a, b, WEAK_FLOOR)
}

/// [`similarity`] where it is above `floor`; below, some number no greater than `floor`
/// (the sounds are not worked out where they cannot lift the similarity above it).
fn similarity_above(a: &str, b: &str, floor: f64) -> f64 {
    if a == b {
        return 1.0;
    }
    let mut ab = [0u32; 32];
    let mut bb = [0u32; 32];
    similarity_of_chars(to_buf(a, &mut ab), to_buf(b, &mut bb), floor)
}

/// [`similarity_above`] of two keys given as their first 32 characters, as the index keeps them.
pub(crate) fn similarity_of_chars(x: &[u32], y: &[u32], floor: f64) -> f64 {
    let longest = x.len().max(y.len());
    if longest == 0 {
        return 1.0;
    }
    let jw = jaro_winkler_chars(x, y);
    let letters = |jw: f64| {
        if jw < 2.0 * FUZZY_CUTOFF - 1.0 {
            jw
        } else {
            let ed = 1.0 - osa_distance(x, y) as f64 / longest as f64;
            (jw + ed) / 2.0
        }
    };
    let Some(sounds) = sounds_above(x, y, jw, floor) else {
        return letters(jw);
    };
    // No edit costs more in sounds than in letters, so the letters' edit similarity is at most
    // the sounds', and their mean with Jaro-Winkler beats the sounds only when Jaro-Winkler does.
    if sounds >= jw {
        sounds
    } else {
        sounds.max(letters(jw))
    }
}

/// The sounds' similarity of two keys (one minus their [`sound_distance`] over the longer length)
/// where it may be above `floor`, given their Jaro-Winkler; `None` where it surely is not.
fn sounds_above(x: &[u32], y: &[u32], jw: f64, floor: f64) -> Option<f64> {
    let longest = x.len().max(y.len()) as f64;
    // Keys that share few letters near their places do not sound alike either; and every edit
    // costs at least the cheapest change, so a difference in length bounds the sounds.
    let gap = x.len().abs_diff(y.len()) as f64 * CHEAPEST;
    if jw < SOUNDS_WORTH_IT || 1.0 - gap / longest <= floor {
        return None;
    }
    sound_distance(x, y, (1.0 - floor) * longest).map(|d| 1.0 - d / longest)
}

/// Whether [`similarity_of_chars`] reaches `floor`, for keys whose letters are known to fall
/// short of it (as the candidate index's bound knows): then only the sounds can get there, and
/// the letters' edit distance is not worked out.
pub(crate) fn sounds_reach(x: &[u32], y: &[u32], floor: f64) -> bool {
    if x.is_empty() && y.is_empty() {
        return true;
    }
    // The letters' counts rule out most pairs before Jaro-Winkler is worked out.
    let longest = x.len().max(y.len()) as f64;
    if sound_lower_bound_of(x, y) > 2 * sound_limit((1.0 - floor) * longest) {
        return false;
    }
    sounds_above(x, y, jaro_winkler_chars(x, y), floor).is_some_and(|s| s >= floor)
}

/// The cheapest change, in letters: what the sound distance charges at least per letter of a
/// difference in length.
const CHEAPEST: f64 = 0.3;
/// Below this Jaro-Winkler similarity the sounds are not compared: keys sharing so few letters
/// near their places are unrelated, as far as the weak credit is concerned.
const SOUNDS_WORTH_IT: f64 = WEAK_FLOOR;

/// Key letters by class: a–z, then ž š č χ, then any other letter.
const CLASSES: usize = 31;

const fn class(c: u32) -> usize {
    match c {
        0x61..=0x7a => (c - 0x61) as usize,
        0x17e => 26, // ž
        0x161 => 27, // š
        0x10d => 28, // č
        0x3c7 => 29, // χ
        _ => 30,
    }
}

const fn letter(class: usize) -> char {
    match class {
        0..=25 => (b'a' + class as u8) as char,
        26 => 'ž',
        27 => 'š',
        28 => 'č',
        29 => 'χ',
        _ => '\0',
    }
}

/// What replacing one key letter with another costs, in tenths and in either order: less where
/// languages or romanisations write one sound with either letter.
const fn substitution(x: char, y: char) -> u16 {
    let (x, y) = if x < y { (x, y) } else { (y, x) };
    match (x, y) {
        // Belarusian akanye writes the unstressed о as а (Хаменка, Хоменко).
        ('a', 'o') => 3,
        // Ukrainian и, і and е, Belarusian е and я (Олексій, Алексей).
        ('e', 'i') => 3,
        // ё written е or о (Артём, Арцём; Чернышёв, Чарнышоў).
        ('e', 'o') => 4,
        // Belarusian я for е (Пятровіч), German ei for ай.
        ('a', 'e') => 5,
        ('o', 'u') | ('a', 'i') | ('i', 'o') | ('i', 'u') | ('a', 'u') | ('e', 'u') => 6,
        // Ukrainian and Belarusian г is h (Hryhorii, Siarhei); Latin h and kh are х.
        ('g', 'χ') => 3,
        ('k', 'χ') => 5,
        // Belarusian ў for в, and for л after a vowel (Волкаў, Воўк).
        ('u', 'v') => 3,
        ('l', 'u') => 5,
        // Belarusian ц for т before a soft vowel (Канстанцін).
        ('c', 't') => 4,
        // German, Swedish and Czech ch is х, English ch is ч; Swedish tj is ч, German tj is ть.
        ('č', 'χ') => 4,
        ('t', 'č') | ('c', 'č') | ('č', 'š') => 5,
        // j is ж in one system and й in another (Jana, Яна; Jomart, Жомарт).
        ('i', 'ž') => 5,
        ('š', 'ž') => 3,
        ('s', 'z') | ('z', 'ž') | ('s', 'š') => 5,
        ('d', 't') | ('b', 'p') | ('f', 'v') | ('g', 'k') => 6,
        _ => 10,
    }
}

const SUBSTITUTION: [[u16; CLASSES]; CLASSES] = {
    let mut t = [[10u16; CLASSES]; CLASSES];
    let mut i = 0;
    while i < CLASSES - 1 {
        let mut j = 0;
        while j < CLASSES - 1 {
            t[i][j] = if i == j {
                0
            } else {
                substitution(letter(i), letter(j))
            };
            j += 1;
        }
        i += 1;
    }
    t
};

/// What inserting or deleting a key letter costs, in tenths, after the letter `prev`: the glide
/// i, a j that may be one, and the vowels cost less than a consonant, and the z of Belarusian дз
/// for д (Дзмітрый) least.
fn indel(c: usize, prev: Option<usize>) -> u16 {
    const D: usize = class('d' as u32);
    const Z: usize = class('z' as u32);
    const I: usize = class('i' as u32);
    const ZH: usize = class('ž' as u32);
    match c {
        Z if prev == Some(D) => 3,
        I => 4,
        // A Latin j read as ж may be the glide that Cyrillic writes inside a vowel (Jelena, Елена).
        ZH => 5,
        0 | 4 | 14 | 20 => 6, // a e o u
        _ => 10,
    }
}

/// Two letters against one, as one cheap change: a glide and a vowel against е (ё written е or
/// romanised io: Ковалёв, Kovalev, Kavaliou; Belarusian я for Russian е: Сяргей, Сергей); т and
/// a hushing letter against ч (German tsch is ч, or т before sch, ж: Satschanuly, Сәтжанұлы).
fn one_for_two(x1: usize, x2: usize, y: usize) -> bool {
    const I: usize = class('i' as u32);
    const E: usize = class('e' as u32);
    const A: usize = class('a' as u32);
    const O: usize = class('o' as u32);
    const T: usize = class('t' as u32);
    const ZH: usize = class('ž' as u32);
    const SH: usize = class('š' as u32);
    const CH: usize = class('č' as u32);
    (x1 == I && (x2 == A || x2 == O) && y == E) || (x1 == T && (x2 == ZH || x2 == SH) && y == CH)
}

/// What a difference of one in the count of a letter class costs the sound distance at least,
/// in twentieths of a letter (twice the tenths of the edit costs, to keep halves whole). Every
/// edit moves the weighted difference of the two keys' counts by no more than it costs: a
/// letter inserted or deleted by at most its weight (no more than its cheapest insertion), a
/// substitution by the two letters' weights (no more than its cost), a [`one_for_two`] by the
/// three letters' weights (no more than its 3 tenths), a swap or an equal letter not at all. So
/// the weighted difference of counts is a lower bound of the distance. Vowels, the glide and the
/// hushing letters are cheap to change into one another and weigh little; m, n, r and the like
/// cost a full letter whatever replaces them, and weigh half of it each. Unit tests check the
/// weights against every cost.
const SOUND_WEIGHT: [u16; CLASSES] = {
    let mut w = [10u16; CLASSES];
    let cheap: [(char, u16); 22] = [
        ('a', 3),
        ('b', 8),
        ('c', 4),
        ('d', 8),
        ('e', 3),
        ('f', 9),
        ('g', 3),
        ('i', 0),
        ('k', 7),
        ('l', 7),
        ('o', 3),
        ('p', 4),
        ('s', 4),
        ('t', 4),
        ('u', 3),
        ('v', 3),
        ('z', 6),
        ('ž', 2),
        ('š', 2),
        ('č', 0),
        ('χ', 3),
        ('\0', 0),
    ];
    let mut k = 0;
    while k < cheap.len() {
        let (c, weight) = cheap[k];
        w[if c == '\0' {
            CLASSES - 1
        } else {
            class(c as u32)
        }] = weight;
        k += 1;
    }
    w
};

/// The lower bound of [`SOUND_WEIGHT`], in twentieths of a letter, of keys given by classes.
fn sound_lower_bound(ca: &[usize], cb: &[usize]) -> u16 {
    let mut counts = [0i8; CLASSES];
    for &c in ca {
        counts[c] += 1;
    }
    for &c in cb {
        counts[c] -= 1;
    }
    weighted(&counts)
}

/// [`sound_lower_bound`] of two keys given as characters.
fn sound_lower_bound_of(x: &[u32], y: &[u32]) -> u16 {
    let mut counts = [0i8; CLASSES];
    for &c in x {
        counts[class(c)] += 1;
    }
    for &c in y {
        counts[class(c)] -= 1;
    }
    weighted(&counts)
}

fn weighted(counts: &[i8; CLASSES]) -> u16 {
    counts
        .iter()
        .zip(SOUND_WEIGHT)
        .map(|(&d, w)| u16::from(d.unsigned_abs()) * w)
        .sum()
}

/// A limit of the sound distance, in letters, as the tenths that [`sound_distance`] counts in.
fn sound_limit(limit: f64) -> u16 {
    (limit * 10.0).floor().clamp(0.0, f64::from(u16::MAX / 4)) as u16
}

/// For each letter of a key (by class), the letter that it and the one before it may stand for
/// as one ([`one_for_two`]), or [`NO_CLASS`].
const NO_CLASS: usize = usize::MAX;

fn one_for_two_targets(c: &[usize], out: &mut [usize; 32]) {
    const E: usize = class('e' as u32);
    const CH: usize = class('č' as u32);
    for k in 0..c.len() {
        out[k] = NO_CLASS;
        if k > 0 {
            for y in [E, CH] {
                if one_for_two(c[k - 1], c[k], y) {
                    out[k] = y;
                }
            }
        }
    }
}

/// A weighted edit distance between two keys (insertions, deletions, substitutions, swaps of
/// neighbours, and [`one_for_two`]), with the costs of [`substitution`] and [`indel`], in
/// letters; or `None` once it is plainly more than `limit`: where the letters' counts say so
/// ([`sound_lower_bound`]), or once two rows of the table exceed it. Every change of length
/// costs at least [`CHEAPEST`], so only the cells near enough to the diagonals are worked out:
/// a cell `k` places off the diagonal, with the two keys' lengths `D` apart, lies on paths that
/// change the length at least `|k| + |D - k|` times.
fn sound_distance(a: &[u32], b: &[u32], limit: f64) -> Option<f64> {
    // In tenths; a row whose every cell exceeds the limit only grows.
    let limit = sound_limit(limit);
    let mut ca = [0usize; 32];
    let mut cb = [0usize; 32];
    for (k, &c) in a.iter().enumerate() {
        ca[k] = class(c);
    }
    for (k, &c) in b.iter().enumerate() {
        cb[k] = class(c);
    }
    let (ca, cb) = (&ca[..a.len()], &cb[..b.len()]);
    if sound_lower_bound(ca, cb) > 2 * limit {
        return None;
    }
    let (n, m) = (ca.len(), cb.len());
    // The least cost of a change of length, in tenths: `indel` charges no less.
    const SHIFT: usize = 3;
    let gap = n.abs_diff(m);
    let steps = usize::from(limit) / SHIFT;
    if gap > steps {
        return None;
    }
    // Diagonals `i - j` in `lo..=hi` may lie on a path within the limit.
    let spare = (steps - gap) / 2;
    let (lo, hi) = (
        (n.min(m) as isize - m as isize) - spare as isize,
        (n as isize - n.min(m) as isize) + spare as isize,
    );
    const FAR: u16 = u16::MAX / 2;
    let mut ins = [0u16; 32];
    for j in 0..m {
        ins[j] = indel(cb[j], j.checked_sub(1).map(|k| cb[k]));
    }
    let (mut twos_a, mut twos_b) = ([NO_CLASS; 32], [NO_CLASS; 32]);
    one_for_two_targets(ca, &mut twos_a);
    one_for_two_targets(cb, &mut twos_b);
    let mut rows = [[FAR; 33]; 3];
    rows[0][0] = 0;
    for j in 1..=m.min(lo.unsigned_abs()) {
        rows[0][j] = rows[0][j - 1] + ins[j - 1];
    }
    let mut prev_least = 0u16;
    for i in 1..=n {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        let del = indel(ca[i - 1], i.checked_sub(2).map(|k| ca[k]));
        rows[cur][0] = rows[prev][0].saturating_add(del).min(FAR);
        // Columns `j` with `i - j` in `lo..=hi`.
        let first = (i as isize - hi).max(1) as usize;
        let last = (i as isize - lo).min(m as isize) as usize;
        rows[cur][first.saturating_sub(2).max(1)..first].fill(FAR);
        let mut least = if i as isize <= hi { rows[cur][0] } else { FAR };
        let sub_row = &SUBSTITUTION[ca[i - 1]];
        let two_a = twos_a[i - 1];
        for j in first..=last {
            let sub = if a[i - 1] == b[j - 1] {
                0
            } else {
                sub_row[cb[j - 1]]
            };
            let mut v = (rows[prev][j] + del)
                .min(rows[cur][j - 1] + ins[j - 1])
                .min(rows[prev][j - 1] + sub);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 10);
            }
            if two_a == cb[j - 1] {
                v = v.min(rows[prev2][j - 1] + 3);
            }
            if twos_b[j - 1] == ca[i - 1] {
                v = v.min(rows[prev][j - 2] + 3);
            }
            let v = v.min(FAR);
            rows[cur][j] = v;
            least = least.min(v);
        }
        if last < m {
            rows[cur][last + 1] = FAR;
        }
        // A swap reaches back two rows, so both must be past the limit.
        if least > limit && i > 1 && prev_least > limit {
            return None;
        }
        prev_least = least;
    }
    let d = rows[n % 3][m];
    (d <= limit).then(|| f64::from(d) / 10.0)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours, each costing one.
pub(crate) fn osa_distance(a: &[u32], b: &[u32]) -> usize {
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
    jaro_winkler_chars(to_buf(a, &mut ab), to_buf(b, &mut bb))
}

/// Jaro-Winkler of keys of at most 32 characters. A character of `a` matches the first unmatched
/// equal character of `b` within the window: with a bit per position of `b` for each letter
/// class, that is the lowest bit of the class's positions, within the window, not yet matched
/// (a class holds one character, but for the last: other characters are checked one by one).
fn jaro_winkler_chars(a: &[u32], b: &[u32]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    debug_assert!(a.len() <= 32 && b.len() <= 32);
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut at = [0u32; CLASSES];
    for (j, &c) in b.iter().enumerate() {
        at[class(c)] |= 1 << j;
    }
    let (mut a_match, mut b_match) = (0u32, 0u32);
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        if lo >= hi {
            continue;
        }
        let within = ((1u64 << hi) - (1u64 << lo)) as u32;
        let mut free = at[class(ca)] & within & !b_match;
        while free != 0 {
            let j = free.trailing_zeros();
            if b[j as usize] == ca {
                a_match |= 1 << i;
                b_match |= 1 << j;
                break;
            }
            free &= free - 1;
        }
    }
    let matches = a_match.count_ones();
    if matches == 0 {
        return 0.0;
    }
    // Transpositions: the matched characters of each, in order, that differ.
    let mut t = 0usize;
    let (mut x, mut y) = (a_match, b_match);
    while x != 0 {
        let (i, j) = (x.trailing_zeros(), y.trailing_zeros());
        t += usize::from(a[i as usize] != b[j as usize]);
        x &= x - 1;
        y &= y - 1;
    }
    let m = f64::from(matches);
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
    // An initial stands for a word that starts with its letter, or with the first letter of
    // another language's form of the name (О. for Олександр is Александр); a Latin Y or J for
    // the glide of Е (Y. Zlenko for Елена Зленко).
    let stands_for = |initial: &Token, word: &Token| {
        let (Some(i), Some(w)) = (first(initial), first(word)) else {
            return false;
        };
        i == w
            || (w == 'e' && matches!(initial.raw.chars().next(), Some('y' | 'j')))
            || word
                .group
                .is_some_and(|g| crate::given::initials(g) & crate::given::letter_bit(i) != 0)
    };
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
            } else if a.group.is_some() && a.group == b.group {
                (How::NameVariant, NAME_VARIANT)
            } else {
                let sim = similarity_above(&a.key, &b.key, FUZZY_CUTOFF);
                if sim < FUZZY_CUTOFF {
                    return None;
                }
                (How::Fuzzy, sim * SAME_KEY)
            };
            Some((how, sim, sim, 1.0))
        }
        (Initial, Initial) => (first(a) == first(b)).then_some((How::Initial, 1.0, 0.5, 0.5)),
        (Initial, Word) | (Initial, Patronymic) if !stands_for(a, b) => None,
        (Word, Initial) | (Patronymic, Initial) if !stands_for(b, a) => None,
        (Initial, Word) | (Word, Initial) => {
            Some((How::Initial, WORD_BY_INITIAL, WORD_BY_INITIAL, 1.0))
        }
        (Initial, Patronymic) | (Patronymic, Initial) => Some((
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
            } else if a.group.is_some() && a.group == b.group {
                let sim = if a.gender == b.gender {
                    NAME_VARIANT
                } else {
                    GENDER_ENDING
                };
                return Some((
                    How::NameVariant,
                    sim,
                    sim * PATRONYMIC_WEIGHT,
                    PATRONYMIC_WEIGHT,
                ));
            } else {
                let sim = similarity_above(&a.stem, &b.stem, FUZZY_CUTOFF);
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
            // A surname that looks like a patronymic (Оңдасынұлы, ABRAMOVICH) read as one on one
            // side only. A word that does not look like one is a given name, and a given name
            // against a patronymic is a father against his son (Сергей, Сергеевич).
            let word = if a.kind == Word { a } else { b };
            crate::key::patronymic(&word.key)?;
            let sim = if a.key == b.key {
                SAME_KEY
            } else {
                similarity_above(&a.key, &b.key, FUZZY_CUTOFF)
            };
            if sim < FUZZY_CUTOFF {
                return None;
            }
            let w = (1.0 + PATRONYMIC_WEIGHT) / 2.0;
            Some((How::Patronymic, sim, sim * w, w))
        }
    }
}

/// The one-to-one choice of pairs `(i, j)`, `i < n`, `j < m`, with the greatest total gain: a
/// dynamic programme over subsets of the `j`s (names have at most eight tokens).
fn best_pairs(
    n: usize,
    m: usize,
    gain: impl Fn(usize, usize) -> Option<f64>,
) -> Vec<(usize, usize)> {
    let states = 1usize << m;
    // best[i][mask]: the best gain over i.. with the js in mask used.
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
    // Walk the choices again.
    let mut mask = 0usize;
    let mut chosen = Vec::new();
    for i in 0..n {
        let here = best[i * states + mask];
        if here == best[(i + 1) * states + mask] {
            continue;
        }
        for j in 0..m {
            if mask & (1 << j) == 0
                && let Some(g) = gain(i, j)
                && g + best[(i + 1) * states + (mask | (1 << j))] == here
            {
                mask |= 1 << j;
                chosen.push((i, j));
                break;
            }
        }
    }
    chosen
}

/// What two tokens left unaligned earn for being alike: a word pair up to [`WEAK_MAX`], a
/// patronymic pair the same share of the conflict two patronymics are charged.
fn weak_pair(a: &Token, b: &Token) -> Option<(f64, f64)> {
    let sim = match (a.kind, b.kind) {
        (TokenKind::Word, TokenKind::Word) => similarity(&a.key, &b.key),
        (TokenKind::Patronymic, TokenKind::Patronymic) => similarity(&a.stem, &b.stem),
        _ => return None,
    };
    let credit = weak_credit(a.kind, sim);
    (credit > 0.0).then_some((sim, credit))
}

/// The similarity below which two unaligned tokens of `kind` earn less than `credit`, rounded
/// down a little: where a bound needs a credit of at least `credit` to change anything, the
/// similarity needs working out only from there ([`WEAK_FLOOR`] where any credit counts).
pub(crate) fn weak_similarity_for(kind: TokenKind, credit: f64) -> f64 {
    let most = match kind {
        TokenKind::Word => WEAK_MAX,
        TokenKind::Patronymic => WEAK_MAX * CONFLICTING_PATRONYMIC,
        TokenKind::Initial => return WEAK_FLOOR,
    };
    if credit <= 0.0 {
        return WEAK_FLOOR;
    }
    let sim = WEAK_FLOOR + credit.min(most) / most * (FUZZY_CUTOFF - WEAK_FLOOR);
    (sim - 1e-9).max(WEAK_FLOOR)
}

/// What two unaligned tokens of `kind` earn at similarity `sim` (of their keys, of their stems
/// for patronymics).
pub(crate) fn weak_credit(kind: TokenKind, sim: f64) -> f64 {
    match kind {
        TokenKind::Word => weak(sim),
        TokenKind::Patronymic => weak(sim) * CONFLICTING_PATRONYMIC,
        TokenKind::Initial => 0.0,
    }
}

/// The best alignment of two token lists, and the name score. Tokens align one to one where a
/// pair beats leaving both unaligned; then the tokens left on both sides are paired once more,
/// one to one, for the weak credit of near misses, which adds to the score without counting as
/// an alignment.
fn align(a: &[Token], b: &[Token], pairs_out: Option<&mut Vec<(usize, usize, How, f64)>>) -> f64 {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return 0.0;
    }
    let mut table =
        [[None::<(How, f64, f64, f64)>; crate::key::MAX_TOKENS]; crate::key::MAX_TOKENS];
    for i in 0..n {
        for j in 0..m {
            table[i][j] = pair(&a[i], &b[j]);
        }
    }
    // A pair's gain is what it adds to the numerator less half what it adds to the denominator
    // over leaving both tokens unaligned.
    let strong = best_pairs(n, m, |i, j| {
        let (_, _, num, den) = table[i][j]?;
        let g = num - 0.5 * (den - unaligned_cost(&a[i]) - unaligned_cost(&b[j]));
        (g > 0.0).then_some(g)
    });
    let mut num = 0.0;
    let mut den = 0.0;
    let mut used_a = [false; crate::key::MAX_TOKENS];
    let mut used_b = [false; crate::key::MAX_TOKENS];
    let mut word_aligned = false;
    let mut chosen = Vec::new();
    for &(i, j) in &strong {
        if let Some((how, sim, pn, pd)) = table[i][j] {
            used_a[i] = true;
            used_b[j] = true;
            num += pn;
            den += pd;
            word_aligned |= a[i].kind == TokenKind::Word && b[j].kind == TokenKind::Word;
            chosen.push((i, j, how, sim));
        }
    }
    let free = |toks: &[Token], used: &[bool]| -> Vec<usize> {
        (0..toks.len())
            .filter(|&k| !used[k] && toks[k].kind != TokenKind::Initial)
            .collect()
    };
    let (left_a, left_b) = (free(a, &used_a), free(b, &used_b));
    // Two patronymics that align with nothing disagree.
    let patronymic_left = |toks: &[Token], left: &[usize]| {
        left.iter().any(|&k| toks[k].kind == TokenKind::Patronymic)
    };
    if patronymic_left(a, &left_a) && patronymic_left(b, &left_b) {
        den += 2.0 * (CONFLICTING_PATRONYMIC - UNALIGNED_PATRONYMIC);
    }
    if !left_a.is_empty() && !left_b.is_empty() {
        let mut weak = [[None::<(f64, f64)>; crate::key::MAX_TOKENS]; crate::key::MAX_TOKENS];
        for (x, &i) in left_a.iter().enumerate() {
            for (y, &j) in left_b.iter().enumerate() {
                weak[x][y] = weak_pair(&a[i], &b[j]);
            }
        }
        for (x, y) in best_pairs(left_a.len(), left_b.len(), |x, y| weak[x][y].map(|w| w.1)) {
            if let Some((sim, credit)) = weak[x][y] {
                num += credit;
                chosen.push((left_a[x], left_b[y], How::Weak, sim));
            }
        }
    }
    for (t, used) in a.iter().zip(used_a) {
        if !used {
            den += unaligned_cost(t);
        }
    }
    for (t, used) in b.iter().zip(used_b) {
        if !used {
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

    fn sound(a: &str, b: &str) -> f64 {
        let a: Vec<u32> = a.chars().map(|c| c as u32).collect();
        let b: Vec<u32> = b.chars().map(|c| c as u32).collect();
        sound_distance(&a, &b, 100.0).unwrap_or(f64::INFINITY)
    }

    /// The sound distance and Jaro-Winkler as they were before the lower bound, the band and
    /// the bits: the fast ones must give the same numbers.
    fn reference_sound_distance(a: &[u32], b: &[u32], limit: f64) -> Option<f64> {
        // In tenths; a row whose every cell exceeds the limit only grows.
        let limit = (limit * 10.0).floor().clamp(0.0, f64::from(u16::MAX)) as u16;
        let mut ca = [0usize; 32];
        let mut cb = [0usize; 32];
        for (k, &c) in a.iter().enumerate() {
            ca[k] = class(c);
        }
        for (k, &c) in b.iter().enumerate() {
            cb[k] = class(c);
        }
        let (ca, cb) = (&ca[..a.len()], &cb[..b.len()]);
        let m = cb.len();
        let mut ins = [0u16; 32];
        for j in 0..m {
            ins[j] = indel(cb[j], j.checked_sub(1).map(|k| cb[k]));
        }
        let mut rows = [[0u16; 33]; 3];
        for j in 1..=m {
            rows[0][j] = rows[0][j - 1] + ins[j - 1];
        }
        for i in 1..=ca.len() {
            let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
            let del = indel(ca[i - 1], i.checked_sub(2).map(|k| ca[k]));
            rows[cur][0] = rows[prev][0] + del;
            let sub_row = &SUBSTITUTION[ca[i - 1]];
            let mut least = rows[cur][0];
            for j in 1..=m {
                let sub = if a[i - 1] == b[j - 1] {
                    0
                } else {
                    sub_row[cb[j - 1]]
                };
                let mut v = (rows[prev][j] + del)
                    .min(rows[cur][j - 1] + ins[j - 1])
                    .min(rows[prev][j - 1] + sub);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(rows[prev2][j - 2] + 10);
                }
                if i > 1 && one_for_two(ca[i - 2], ca[i - 1], cb[j - 1]) {
                    v = v.min(rows[prev2][j - 1] + 3);
                }
                if j > 1 && one_for_two(cb[j - 2], cb[j - 1], ca[i - 1]) {
                    v = v.min(rows[prev][j - 2] + 3);
                }
                rows[cur][j] = v;
                least = least.min(v);
            }
            // A swap reaches back two rows, so both must be past the limit.
            if least > limit && i > 1 && rows[prev].iter().take(m + 1).all(|&v| v > limit) {
                return None;
            }
        }
        let d = rows[ca.len() % 3][m];
        (d <= limit).then(|| f64::from(d) / 10.0)
    }

    fn reference_jaro_winkler(a: &[u32], b: &[u32]) -> f64 {
        if a == b {
            return 1.0;
        }
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

    fn generated_keys() -> Vec<Vec<u32>> {
        use crate::synth::{SPELLINGS, Synth};
        let mut synth = Synth::new(11);
        let mut keys: Vec<Vec<u32>> = Vec::new();
        for _ in 0..60 {
            let p = synth.person();
            for how in SPELLINGS {
                let name = synth.spelt(&p, how);
                let typo = synth.typo(&name);
                for t in parse(&name).tokens.into_iter().chain(parse(&typo).tokens) {
                    for k in [t.key, t.stem] {
                        keys.push(k.chars().take(32).map(u32::from).collect());
                    }
                }
            }
        }
        for k in [
            "dzmitrii",
            "siargei",
            "satšanuli",
            "tžeta",
            "x9y",
            "ééé",
            "a",
            "",
        ] {
            keys.push(k.chars().map(u32::from).collect());
        }
        keys.push((0..32).map(|i| u32::from(b'a') + i % 7).collect());
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn the_fast_sound_distance_and_jaro_winkler_agree_with_the_plain_ones() {
        let keys = generated_keys();
        let (mut pairs, mut within) = (0usize, 0usize);
        for (i, a) in keys.iter().enumerate() {
            for b in keys.iter().skip(i % 5).step_by(5) {
                pairs += 1;
                let jw = jaro_winkler_chars(a, b);
                assert_eq!(
                    jw.to_bits(),
                    reference_jaro_winkler(a, b).to_bits(),
                    "{a:?} {b:?}"
                );
                let longest = a.len().max(b.len()) as f64;
                for floor in [FUZZY_CUTOFF, WEAK_FLOOR, 0.0] {
                    let limit = (1.0 - floor) * longest;
                    let d = sound_distance(a, b, limit);
                    assert_eq!(
                        d,
                        reference_sound_distance(a, b, limit),
                        "{a:?} {b:?} {limit}"
                    );
                    within += usize::from(d.is_some());
                }
            }
        }
        assert!(pairs > 10_000 && within > 1_000, "{pairs} {within}");
    }

    proptest::proptest! {
        #[test]
        fn the_fast_distances_agree_on_keys_of_the_cheap_letters(
            a in "[aeiouzdtžščχgkvlcsbpmnx9]{0,32}|[aeioudtzžšč]{0,9}",
            b in "[aeiouzdtžščχgkvlcsbpmnx9]{0,32}|[aeioudtzžšč]{0,9}",
            floor in 0.0f64..1.0,
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) =
                (a.chars().map(u32::from).collect(), b.chars().map(u32::from).collect());
            let jw = jaro_winkler_chars(&a, &b);
            proptest::prop_assert_eq!(jw.to_bits(), reference_jaro_winkler(&a, &b).to_bits());
            let limit = (1.0 - floor) * a.len().max(b.len()) as f64;
            proptest::prop_assert_eq!(
                sound_distance(&a, &b, limit),
                reference_sound_distance(&a, &b, limit)
            );
        }
    }

    #[test]
    fn the_sound_weights_cost_no_more_than_the_changes_they_stand_for() {
        let w = |c: usize| u32::from(SOUND_WEIGHT[c]);
        for (x, costs) in SUBSTITUTION.iter().enumerate() {
            for prev in std::iter::once(None).chain((0..CLASSES).map(Some)) {
                assert!(w(x) <= 2 * u32::from(indel(x, prev)), "{x} after {prev:?}");
            }
            for (y, &cost) in costs.iter().enumerate() {
                if x != y {
                    assert!(w(x) + w(y) <= 2 * u32::from(cost), "{x} {y}");
                }
                for z in 0..CLASSES {
                    if one_for_two(x, y, z) {
                        assert!(w(x) + w(y) + w(z) <= 2 * 3, "{x} {y} {z}");
                    }
                }
            }
        }
        // Other characters (class 30) may differ among themselves at no change of counts.
        assert_eq!(SOUND_WEIGHT[CLASSES - 1], 0);
    }

    #[test]
    fn sound_distance_charges_less_for_changes_between_languages() {
        // Хоменко, Хаменка: two akanye vowels.
        assert!((sound("χomenko", "χamenka") - 0.6).abs() < 1e-9);
        // Волков, Волкаў; Сергей, Сяргей; Ковалёв, Kavaliou.
        assert!((sound("volkov", "volkau") - 0.6).abs() < 1e-9);
        assert!((sound("sergei", "siargei") - 0.3).abs() < 1e-9);
        assert!((sound("kovalev", "kavaliou") - 0.9).abs() < 1e-9);
        // Other consonants cost one, as in letters; a vowel and s for z less.
        assert!((sound("ivanov", "ivakov") - 1.0).abs() < 1e-9);
        assert!((sound("ozerov", "serov") - 1.1).abs() < 1e-9);
        for (a, b) in [
            ("χomenko", "χamenka"),
            ("kovalev", "kavaliou"),
            ("nurlan", "nursultan"),
        ] {
            assert_eq!(sound(a, b), sound(b, a), "{a} {b}");
            assert!(sound(a, b) <= osa(a, b) as f64, "{a} {b}");
        }
        // Pairs are looked up in either order.
        for (x, y) in [('a', 'o'), ('g', 'χ'), ('č', 'š'), ('š', 'ž'), ('i', 'ž')] {
            let (i, j) = (class(x as u32), class(y as u32));
            assert!(SUBSTITUTION[i][j] < 10 && SUBSTITUTION[i][j] == SUBSTITUTION[j][i]);
        }
        assert_eq!(
            sound_distance(&[1, 2, 3], &[4, 5, 6], 0.5),
            None,
            "more than the limit"
        );
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
