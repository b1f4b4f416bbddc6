//! # iz-names: matching person names across scripts
//!
//! A name in Kazakhstan is written in many ways. The civil registry writes Тоқаев Қасым-Жомарт
//! Кемелұлы; a Russian-language form writes Токаев, dropping the Kazakh letters; a passport writes
//! TOKAYEV KASSYM-ZHOMART (ICAO Doc 9303 and local habit); a German or Polish visa writes Tokajew;
//! documents of 2017–2021 write Toqaev in one of three Kazakh Latin alphabets (apostrophes in
//! 2017, acute accents in 2018, Ä Ğ Q Ñ Ö Ū Ü Ş Ç in 2021). Patronymics come and go (-ұлы,
//! -улы, -uly, -ович, -ovich), women's surnames end in -ова where their fathers' end in -ов, the
//! given name comes first or last, and a hotel book writes "Е. Тоқаев". This crate says how
//! likely two such writings name the same person, and why.
//!
//! ## How
//!
//! 1. **Keys** ([`fold`]). Every token is folded into a phonetic-ish Latin key: Cyrillic,
//!    Kazakh, Ukrainian and Belarusian letters included, is transliterated; Latin variants are
//!    folded (q→k, ğ/gh→g, kh/h/х → one class, zh/ž/ż/j/zj → one class, sh/ş/ś/s'/sch/sz/sj,
//!    ch/ç/ć/c'/tsch/cz/tj, ts/ц, x→ks; y, ı, і, и, й all read as i; ä, ö, ü, ū read as their
//!    base vowel); the glide before e (Tokayev, Tokajew, Yerlan) and doubled letters (Kassym)
//!    are dropped. So Тоқаев, Токаев, Tokayev, Tokaev, Toqaev and Tokajew all share the key
//!    `tokaev`. Two Latin letters depend on who romanised the name: a name showing German,
//!    Swedish, Polish or Czech habits (Valentinovitj, Nikolajewitsch, -ow) reads ch as х and j as
//!    й, one showing Kazakh Latin letters or none reads them as ч and ж ([`Style`]). Latin
//!    look-alikes typed inside a Cyrillic word (Cергей with a Latin C) read as Cyrillic. Folding
//!    is total and idempotent.
//! 2. **Tokens** ([`parse`]). A name splits at anything that is not a letter (hyphenated and
//!    double surnames become two tokens). A single letter, or one or two letters before a full
//!    stop, is an *initial*; a token ending in -ұлы/-қызы/-ович/-овна (in any script, with the
//!    Ukrainian -івна and the Belarusian -авіч, -аўна) is a *patronymic* unless its place says it
//!    is a surname: first in the name (Абрамович Роман), in capitals among mixed case or before
//!    a comma (NEKRASHEVICH, BUTKEVICH, Igor), or after another patronymic that follows the given
//!    name (a standalone ұлы, қызы or the Azerbaijani оглы joins the word before it); every other token is a *word*, given name or surname alike, since their order is not
//!    trusted. A word's *stem* drops a gender ending (-ов/-ова, -ев/-ева, -ин/-ина,
//!    -ский/-ская), a patronymic's stem is the father's name. A table of given names that are
//!    one name in Russian, Ukrainian and Belarusian (Александр, Олександр, Аляксандр; Григорий,
//!    Рыгор) gives given names and the fathers' names behind patronymics a *group*.
//! 3. **Alignment** ([`explain`], [`score_value`]). Tokens of the two names are aligned one to
//!    one by an exact search over subsets (names have at most eight tokens). A pair of words is
//!    *exact*, has the *same key*, differs only by a *gender ending*, is *one name in two
//!    languages* (same group), or is *fuzzy*: at least 0.85 in [`similarity`], the better of the
//!    letters (the mean of Jaro-Winkler and normalised edit similarity) and the sounds (an edit
//!    distance in which the changes between Russian, Ukrainian and Belarusian spellings and
//!    their romanisations cost less than a typo: Хоменко, Хаменка; Волков, Волкаў; Голуб, Holub).
//!    An initial meets a word starting with its letter or with the first letter of another
//!    language's form of the name (О. for Александр, via Олександр; a Latin Y. for Е), weakly;
//!    two patronymics meet on their stems or groups. The name score is the weighted similarity of the aligned pairs over the
//!    weight asked for by all tokens: a word weighs 1, an initial ½, a patronymic 0.4, and a
//!    patronymic left unaligned costs only 0.1, so a missing patronymic costs little; but when
//!    both names have one and they do not align, each costs 1, for a different father is a
//!    different person. Words left unaligned on both sides are paired once more for a *weak*
//!    credit, up to half a word, rising with their similarity from 0.6 to 0.85, so that a near
//!    miss ranks above a stranger without becoming a match. Without a word aligned to a word,
//!    the score is at most ½.
//! 4. **Evidence**. Equal birth dates raise a good name score, day and month swapped less; a
//!    year apart or only the year in common lowers it a little, a conflicting date a lot. Sexes
//!    given by the caller (from an IIN or a document) that differ halve the score; a given sex
//!    that disagrees with the other name's endings (-ова for a man) lowers it slightly.
//!
//! Scores are in [0, 1] and symmetric: the two sides are put in a fixed order before the
//! arithmetic, so score(a, b) and score(b, a) are the same number. A [`Score`] serialises the
//! explanation: which tokens aligned, how, and what the birth dates and sexes said.
//!
//! ## Candidates
//!
//! Scoring a pair takes one or two microseconds; a watch-list has a hundred thousand entries. A
//! [`NameIndex`] keeps its entries in birth-date order: a query with a birth date looks up the
//! entries whose dates agree with it (equal, day and month swapped, a year apart: some twenty of
//! a hundred thousand), which is all the wanted-person matcher needs ([`BirthDates::MustAgree`]).
//! Other entries are found by blocking on token stems within one or two edits of each other,
//! with the score's own arithmetic deciding how many of a query's tokens an entry may fail to
//! share and still reach the threshold. Either way, an upper bound of the score computed from
//! the tokens' lengths and letters rules out almost every candidate before it is scored, so a
//! query is scored against about one entry. The lookup by date and the bound are exact; the
//! recall of the stem blocking against exhaustive comparison is measured by tests over
//! generated names (the sound-alike costs align some words more edits apart, Хоменко and
//! Хаменка, which the stem blocking does not look for yet).
//!
//! The crate is pure: no I/O, no clock, no async. Matchers and the `iz names` command call it.

#![deny(clippy::unwrap_used)]

mod given;
mod index;
mod key;
mod score;
#[cfg(feature = "synth")]
pub mod synth;

pub use index::{BirthDates, DEFAULT_THRESHOLD, NameIndex, dates_agree};
pub use iz_model::Sex;
pub use key::{MAX_TOKENS, Name, Style, Token, TokenKind, fold, fold_in, gender_stem, parse};
pub use score::{
    Alignment, DateEvidence, FUZZY_CUTOFF, How, Person, Score, SexEvidence, apply_date,
    date_evidence, explain, jaro_winkler, score_names, score_value, similarity,
};
