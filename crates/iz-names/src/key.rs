//! Folding a spelling into a key, and a name into tokens.
//!
//! A key is a short string over a phonetic-ish Latin alphabet: the vowels `a e i o u`, the
//! consonants as written in ASCII, and five letters for sounds that have many spellings: `ž` for ж
//! (zh, ž, ż, j, dzh, zj), `š` for ш (sh, ş, ś, s', sch, sz, sj), `č` for ч (ch, ç, ć, c', tsch,
//! cz, tj), `c` for ц (ts, tz) and `χ` for х/һ (kh, h, and ch where the name is romanised in a
//! European style); щ is `šč` (shch, szcz, schtsch, sjtj). A Latin x is `ks` (Alexander,
//! Maxim). Folding is total: a character it does not know is kept as its lowercase self, and
//! anything that is not a letter separates tokens. It is also idempotent: a key folds to itself.
//!
//! Two Latin letters read differently by who romanised the name. In English, ICAO and Kazakh
//! Latin, `ch` is ч and `j` is ж (Chernov, Nurjan, Jomart); in German, Swedish, Polish and Czech
//! romanisations (the EU's Swedish version writes Valentinovitj PASJKOV, German writes
//! Michail Nikolajewitsch) `ch` is х and `j` is the glide й (Jevgenij, Tatjana). A name is read in
//! the European [`Style`] when it shows one of those systems' marks (tj, sj, zj, sch, cz, sz, rz,
//! ł, ż, a háček, a German -ow/-ew/-witsch) and no Kazakh Latin letter (q, ä, ğ, ñ, ö, ū, ü, ı,
//! ş, ç, the accents of 2018, the apostrophes of 2017); the Swedish tj, sj, zj count only
//! without a Kazakh patronymic (-uly, -qyzy), for in Kazakh Latin they are т, с, з before ж
//! (Satjanuly), and are read as ч, ш, ж only in the European style. The French tch is ч only
//! outside it: in Polish or German it is т before х (Ajtchożin).

use iz_model::Sex;

/// What a token is in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenKind {
    /// A given name or a surname (their order is not trusted).
    Word,
    /// A single letter standing for a word, as in "Е. Тоқаев".
    Initial,
    /// A patronymic: -ұлы/-қызы, -ович/-овна and their romanisations.
    Patronymic,
}

/// One token of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// The folded key.
    pub key: String,
    /// The key without a gender ending (words) or patronymic suffix (patronymics).
    pub stem: String,
    /// The token as written, lowercased.
    pub raw: String,
    /// The sex the ending suggests, if any.
    pub gender: Option<Sex>,
    /// For a given name, the group of its equivalents across languages (Александр, Олександр,
    /// Аляксандр); for a patronymic, the group of the father's name. Derived from the key.
    pub group: Option<u16>,
}

fn sex_rank(s: Option<Sex>) -> u8 {
    match s {
        None => 0,
        Some(Sex::Male) => 1,
        Some(Sex::Female) => 2,
    }
}

impl Ord for Token {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (
            self.kind,
            &self.key,
            &self.stem,
            &self.raw,
            sex_rank(self.gender),
        )
            .cmp(&(o.kind, &o.key, &o.stem, &o.raw, sex_rank(o.gender)))
    }
}

impl PartialOrd for Token {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// Names longer than this keep their first tokens only.
pub const MAX_TOKENS: usize = 8;

/// A parsed name: its tokens in the order written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Name {
    pub tokens: Vec<Token>,
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | 'ʼ' | '`' | '´' | 'ʻ' | '‘' | 'ˈ' | '′' | 'ʹ'
    )
}

/// [`char::is_alphabetic`], with the Latin and Cyrillic blocks answered without the Unicode
/// tables (most of what a name is written in; parsing asked the tables for every character).
#[inline]
fn is_alphabetic(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        // Latin-1 and Latin Extended A and B but for × and ÷; Cyrillic but for its signs and
        // combining marks (҂ and U+0483–U+0489), and its supplement.
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{24f}' => true,
        '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => true,
        c if c.is_ascii() => false,
        c => c.is_alphabetic(),
    }
}

/// Calls `f` with each character of [`char::to_lowercase`], with ASCII and the Russian
/// alphabet answered without the Unicode tables.
#[inline]
fn for_lowercase(c: char, mut f: impl FnMut(char)) {
    match c {
        'A'..='Z' | 'А'..='Я' => f(char::from_u32(u32::from(c) + 0x20).unwrap_or(c)),
        'a'..='z' | 'а'..='я' => f(c),
        c => c.to_lowercase().for_each(f),
    }
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// The first stage: one character into Latin-ish letters, the sound classes included.
fn map_char(c: char, out: &mut Vec<char>) {
    let s: &str = match c {
        // Cyrillic, Russian and Kazakh.
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' | 'й' | 'і' | 'ы' => "i",
        'к' | 'қ' | 'ĸ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' | 'ү' | 'ў' => "u",
        'ф' => "f",
        'х' | 'һ' => "χ",
        'ц' => "c",
        'ч' => "č",
        'ш' => "š",
        'щ' => "šč",
        'ъ' | 'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        'ї' => "i",
        'є' => "e",
        // Latin with diacritics: Kazakh 2018 and 2021, Turkish, German, Polish, Czech.
        'ä' | 'á' | 'à' | 'â' | 'ã' | 'å' | 'ą' | 'ā' => "a",
        'ğ' | 'ǵ' => "g",
        'ñ' | 'ń' | 'ň' => "n",
        'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' | 'ō' => "o",
        'ü' | 'ú' | 'ù' | 'û' | 'ū' | 'ů' | 'ý' | 'ÿ' => "u",
        'ı' | 'í' | 'ì' | 'î' | 'ï' | 'ī' | 'y' => "i",
        'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' | 'ē' => "e",
        'ş' | 'š' | 'ś' | 'ß' => "š",
        'ç' | 'č' | 'ć' => "č",
        'ž' | 'ż' | 'ź' => "ž",
        'ł' => "l",
        'ř' => "r",
        'ď' => "d",
        'ť' => "t",
        'q' => "k",
        'w' => "v",
        'x' => "ks",
        _ => {
            out.push(c);
            return;
        }
    };
    out.extend(s.chars());
}

/// Kazakh Latin of 2017 marks letters with an apostrophe: a' ә, g' ғ, n' ң, o' ө, u' ү/ұ, s' ш,
/// c' ч, i' і, y' ұ. Only s' and c' change the key; elsewhere the apostrophe is dropped.
fn apply_apostrophe(out: &mut [char]) {
    if let Some(last) = out.last_mut() {
        match *last {
            's' => *last = 'š',
            'c' => *last = 'č',
            _ => {}
        }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// How the Latin letters of a name were romanised, as far as `ch` and `j` tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// English, ICAO 9303 and Kazakh Latin: `ch` is ч, `j` is ж unless it is plainly a glide.
    #[default]
    Plain,
    /// German, Swedish, Polish, Czech: `ch` is х and `j` is always the glide й.
    European,
}

impl Style {
    /// The style a whole name is written in (see the module notes).
    pub fn of(name: &str) -> Style {
        if !name.bytes().any(|b| b.is_ascii_alphabetic()) {
            return Style::Plain;
        }
        // Swedish tj, sj, zj are also Kazakh Latin т, с, з before ж: they count only without a
        // Kazakh patronymic.
        let (mut european, mut swedish) = (false, false);
        let (mut prev2, mut prev) = (' ', ' ');
        for c in name.chars().chain([' ']) {
            let c = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            match c {
                'q' | 'ä' | 'ğ' | 'ñ' | 'ö' | 'ū' | 'ü' | 'ı' | 'ş' | 'ç' | 'á' | 'ǵ' | 'ń'
                | 'ó' | 'ú' | 'ý' | 'ś' | 'ć' => return Style::Plain,
                c if is_apostrophe(c) && prev.is_ascii_alphabetic() => return Style::Plain,
                'č' | 'š' | 'ž' | 'ř' | 'ě' | 'ů' | 'ł' | 'ż' => european = true,
                'j' if matches!(prev, 't' | 's' | 'z') => swedish = true,
                'z' if matches!(prev, 'c' | 's' | 'r') => european = true,
                'h' if prev == 'c' && prev2 == 's' => european = true,
                // German -ow, -ew (Tokajew, Belusow) at the end of a word, or before a.
                c if (!c.is_ascii_alphabetic() || c == 'a')
                    && prev == 'w'
                    && matches!(prev2, 'o' | 'e') =>
                {
                    european = true
                }
                _ => {}
            }
            prev2 = prev;
            prev = c;
        }
        // Kazakh patronymics romanised without Kazakh letters (Satjanuly, Nurlanqyzy).
        let kazakh = swedish
            && name.split(|c: char| !is_alphabetic(c)).any(|w| {
                let w = w.to_ascii_lowercase();
                w.len() > 5
                    && ["uly", "uli", "ulı", "kyzy", "qyzy", "kizi", "qizi"]
                        .iter()
                        .any(|e| w.ends_with(e))
            });
        if european || (swedish && !kazakh) {
            Style::European
        } else {
            Style::Plain
        }
    }
}

/// One pass of digraphs, glides and doubled letters. Every rule shortens the text or removes a
/// letter that no key contains (h, j), so passes reach a fixed point.
fn fold_pass(s: &[char], style: Style, out: &mut Vec<char>) {
    let mut i = 0;
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    let mut stage: Vec<char> = Vec::with_capacity(s.len());
    while i < s.len() {
        let (c1, c2, c3, c4) = (at(i), at(i + 1), at(i + 2), at(i + 3));
        let (sym, len) = match (c1, c2, c3, c4) {
            ('t', 's', 'c', 'h') => ('č', 4),
            // French tch (Timtchenko); in German, Polish or Czech it is т and х (Ajtchożin).
            ('t', 'c', 'h', _) if style == Style::Plain => ('č', 3),
            ('t', 'c', 'h', _) => ('t', 1),
            // Swedish: tj ч, sj ш, zj ж (Valentinovitj PASJKOV, ZJIGULIN); in Kazakh Latin the
            // same letters are т and ж (Sátjanuly).
            ('t', 'j', _, _) if style == Style::European => ('č', 2),
            ('s', 'j', _, _) if style == Style::European => ('š', 2),
            ('z', 'j', _, _) if style == Style::European => ('ž', 2),
            ('s', 'c', 'h', _) => ('š', 3),
            ('d', 'z', 'h', _) => ('ž', 3),
            ('s', 'h', _, _) | ('s', 'z', _, _) => ('š', 2),
            ('z', 'h', _, _) | ('d', 'ž', _, _) => ('ž', 2),
            ('c', 'h', _, _) if style == Style::European => ('χ', 2),
            ('c', 'h', _, _) | ('c', 'z', _, _) | ('t', 'č', _, _) => ('č', 2),
            ('k', 'h', _, _) => ('χ', 2),
            ('g', 'h', _, _) => ('g', 2),
            ('p', 'h', _, _) => ('f', 2),
            ('t', 's', _, _) | ('t', 'z', _, _) | ('t', 'c', _, _) => ('c', 2),
            ('h', _, _, _) => ('χ', 1),
            ('j', _, _, _) if style == Style::European => ('i', 1),
            ('j', next, _, _) => {
                // After a vowel and before e, a consonant or the end, j is the glide й (German
                // and Polish Tokajew, Sergej, Kojbagarow); elsewhere ж as in Kazakh Latin and
                // English (Jomart, Qojamqulov, Bekhojina).
                if stage.last().is_some_and(|&b| is_vowel(b)) && (next == 'e' || !is_vowel(next)) {
                    ('i', 1)
                } else {
                    ('ž', 1)
                }
            }
            (b, _, _, _) => (b, 1),
        };
        stage.push(sym);
        i += len;
    }
    // The glide before e (Tokayev, Tokajew, Yerlan against Токаев, Ерлан) and doubled letters
    // (Kassym, Aliia) are dropped.
    for (i, &b) in stage.iter().enumerate() {
        if b == 'i' && stage.get(i + 1) == Some(&'e') && (i == 0 || is_vowel(stage[i - 1])) {
            continue;
        }
        if out.last() == Some(&b) {
            continue;
        }
        out.push(b);
    }
}

/// Folds one token's letters into its key, read in the plain style. Total: never panics; and a
/// key folds to itself.
pub fn fold(token: &str) -> String {
    fold_in(token, Style::Plain)
}

/// Cyrillic letters of the languages folded here (the only Cyrillic that never reaches a key).
fn is_known_cyrillic(c: char) -> bool {
    matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | 'ә' | 'Ә' | 'ғ' | 'Ғ' | 'қ' | 'Қ' | 'ң' | 'Ң'
        | 'ө' | 'Ө' | 'ұ' | 'Ұ' | 'ү' | 'Ү' | 'һ' | 'Һ' | 'і' | 'І' | 'ї' | 'Ї' | 'є' | 'Є'
        | 'ґ' | 'Ґ' | 'ў' | 'Ў')
}

/// The Cyrillic letter a Latin one stands for in a Cyrillic word, where the two look alike
/// (a clerk's keyboard layout: Cергей with a Latin C, ДЗМIТРЫЙ with a Latin I).
fn cyrillic_look_alike(c: char) -> Option<char> {
    Some(match c {
        'a' | 'A' => 'а',
        'c' | 'C' => 'с',
        'e' | 'E' => 'е',
        'o' | 'O' => 'о',
        'p' | 'P' => 'р',
        'x' | 'X' => 'х',
        'y' => 'у',
        'Y' => 'у',
        'i' | 'I' => 'і',
        'k' | 'K' => 'к',
        'B' => 'в',
        'H' => 'н',
        'M' => 'м',
        'T' => 'т',
        _ => return None,
    })
}

/// Folds one token's letters into its key, read in the given style.
pub fn fold_in(token: &str, style: Style) -> String {
    let mut latin: Vec<char> = Vec::with_capacity(token.len() + 4);
    // A word written mostly in Cyrillic reads its Latin look-alikes as Cyrillic.
    let (cyrillic, other) = token.chars().fold((0usize, 0usize), |(c, o), ch| {
        if is_known_cyrillic(ch) {
            (c + 1, o)
        } else if ch.is_ascii_alphabetic() {
            (c, o + 1)
        } else {
            (c, o)
        }
    });
    let look_alikes = other > 0 && cyrillic > other;
    for c in token.chars() {
        let c = if look_alikes {
            cyrillic_look_alike(c).unwrap_or(c)
        } else {
            c
        };
        if is_apostrophe(c) {
            apply_apostrophe(&mut latin);
            continue;
        }
        if is_combining(c) {
            continue;
        }
        for_lowercase(c, |l| {
            if !is_combining(l) {
                map_char(l, &mut latin);
            }
        });
    }
    let mut next = Vec::with_capacity(latin.len());
    for _ in 0..16 {
        next.clear();
        fold_pass(&latin, style, &mut next);
        if next == latin {
            break;
        }
        std::mem::swap(&mut latin, &mut next);
    }
    latin.into_iter().collect()
}

/// Kazakh -ұлы/-қызы; Russian and Ukrainian -ович/-евич, -овна/-евна/-ична; Ukrainian -івна
/// (Сергіївна); Belarusian -авіч, -аўна/-еўна/-оўна (Рыгоравіч, Міхайлаўна, Мікалаеўна).
const PATRONYMIC_SUFFIXES: [(&str, Sex); 14] = [
    ("uli", Sex::Male),
    ("kizi", Sex::Female),
    ("ovič", Sex::Male),
    ("evič", Sex::Male),
    ("avič", Sex::Male),
    ("ovna", Sex::Female),
    ("evna", Sex::Female),
    ("ivna", Sex::Female),
    ("auna", Sex::Female),
    ("euna", Sex::Female),
    ("ouna", Sex::Female),
    ("ična", Sex::Female),
    ("inična", Sex::Female),
    ("ič", Sex::Male),
];

/// Recognises a patronymic by its key; gives the stem (the father's name) and the sex.
pub(crate) fn patronymic(key: &str) -> Option<(&str, Sex)> {
    // Longest suffix first, so that -инична is not read as -ична.
    let mut best: Option<(&str, Sex)> = None;
    for (suffix, sex) in PATRONYMIC_SUFFIXES {
        if let Some(stem) = key.strip_suffix(suffix)
            && stem.len() >= 3
            && best.is_none_or(|(b, _)| stem.len() < b.len())
        {
            // -ич alone needs a longer stem: Ильич, Кузьмич, but not every name ending in -ич.
            if suffix == "ič" && stem.len() < 4 {
                continue;
            }
            best = Some((stem, sex));
        }
    }
    best
}

const GENDER_ENDINGS: [(&str, &str, Sex); 9] = [
    ("ova", "ov", Sex::Female),
    ("eva", "ev", Sex::Female),
    ("ina", "in", Sex::Female),
    ("skaia", "sk", Sex::Female),
    ("ska", "sk", Sex::Female),
    ("ov", "ov", Sex::Male),
    ("ev", "ev", Sex::Male),
    ("in", "in", Sex::Male),
    ("ski", "sk", Sex::Male),
];

/// The stem of a word without its gender ending, and the sex the ending suggests. The stem keeps
/// the male ending so that Иванов and Иванова share `ivanov`.
pub fn gender_stem(key: &str) -> (String, Option<Sex>) {
    if key.len() >= 5 {
        for (ending, male, sex) in GENDER_ENDINGS {
            if let Some(stem) = key.strip_suffix(ending)
                && stem.len() >= 2
            {
                let mut s = String::with_capacity(stem.len() + male.len());
                s.push_str(stem);
                s.push_str(male);
                return (s, Some(sex));
            }
        }
    }
    (key.to_string(), None)
}

/// Standalone patronymic words: "Ерлан ұлы" is written as two words at times, and the
/// Azerbaijani оглы/кызы always is (Фикрет Габдулла оглы).
fn is_patronymic_word(key: &str) -> bool {
    matches!(key, "uli" | "kizi" | "ogli" | "oglu")
}

/// Splits a name as written into tokens and folds each.
pub fn parse(name: &str) -> Name {
    let style = Style::of(name);
    let mut tokens: Vec<Token> = Vec::new();
    // Per token: written in capitals, followed by a comma.
    let mut shapes: Vec<(bool, bool)> = Vec::new();
    let mut chars = name.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if !(is_alphabetic(c) || is_combining(c)) {
            chars.next();
            continue;
        }
        let mut end = start;
        let mut letters = 0usize;
        while let Some(&(i, c)) = chars.peek() {
            if is_alphabetic(c) || is_combining(c) || is_apostrophe(c) {
                if is_alphabetic(c) {
                    letters += 1;
                }
                end = i + c.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let next = name[end..].chars().find(|c| !c.is_whitespace());
        let dotted = chars.peek().is_some_and(|&(_, c)| c == '.');
        let text = &name[start..end];
        let key = fold_in(text, style);
        if key.is_empty() {
            continue;
        }
        let mut raw = String::with_capacity(text.len());
        let mut lower = 0usize;
        for c in text.chars() {
            let mut first = true;
            for_lowercase(c, |l| {
                if first {
                    lower += usize::from(l == c && is_alphabetic(c));
                    first = false;
                }
                raw.push(l);
            });
        }
        if is_patronymic_word(&key)
            && let Some(prev) = tokens.last_mut()
            && prev.kind == TokenKind::Word
        {
            prev.key.push_str(&key);
            prev.raw.push(' ');
            prev.raw.push_str(&raw);
            prev.kind = TokenKind::Patronymic;
            prev.stem = prev.key[..prev.key.len() - key.len()].to_string();
            prev.gender = Some(if key == "kizi" {
                Sex::Female
            } else {
                Sex::Male
            });
            continue;
        }
        let initial = letters == 1 || (dotted && letters <= 3 && key.chars().count() == 1);
        let token = if initial {
            Token {
                kind: TokenKind::Initial,
                stem: key.clone(),
                key,
                raw,
                gender: None,
                group: None,
            }
        } else if let Some((stem, sex)) = patronymic(&key) {
            Token {
                kind: TokenKind::Patronymic,
                stem: stem.to_string(),
                key: key.clone(),
                raw,
                gender: Some(sex),
                group: None,
            }
        } else {
            let (stem, gender) = gender_stem(&key);
            Token {
                kind: TokenKind::Word,
                stem,
                key,
                raw,
                gender,
                group: None,
            }
        };
        tokens.push(token);
        shapes.push((letters >= 2 && lower == 0, next == Some(',')));
        if tokens.len() == MAX_TOKENS {
            break;
        }
    }
    // A token in capitals in a mixed-case name, or one followed by a comma, is a surname
    // ("PEYGANOVICH Yuri", "BUTKEVICH, Igor").
    let mixed_case = shapes.iter().any(|&(caps, _)| !caps);
    let surname_marks: Vec<bool> = shapes
        .iter()
        .map(|&(caps, comma)| (mixed_case && caps) || comma)
        .collect();
    one_patronymic(&mut tokens, &surname_marks);
    for t in &mut tokens {
        t.group = match t.kind {
            TokenKind::Word => crate::given::given_name(&t.key),
            TokenKind::Patronymic => crate::given::father_name(&t.stem),
            TokenKind::Initial => None,
        };
    }
    Name { tokens }
}

/// A name has one patronymic at most, and it follows the given name: "Given Patronymic
/// SURNAME", "SURNAME Given Patronymic", "SURNAME, Given Patronymic". So a token that looks like
/// a patronymic is a surname when it comes first (Абрамович Роман, the Kazakh surname
/// Оңдасынұлы), when it is written in capitals in a mixed-case name or followed by a comma
/// (Aliaksandr Aliaksandravich ZAKHVITSEVICH, BUTKEVICH, Igor). Of several left, the one right
/// after a word is the patronymic (Ерлан Аңсарұлы Оңдасынұлы), else the last.
fn one_patronymic(tokens: &mut [Token], surname_marks: &[bool]) {
    let is_p = |t: &Token| t.kind == TokenKind::Patronymic;
    if !tokens.iter().any(is_p) {
        return;
    }
    let multi = tokens.len() > 1;
    let mut keep: Vec<bool> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            is_p(t) && !(multi && i == 0) && !surname_marks.get(i).copied().unwrap_or(false)
        })
        .collect();
    if keep.iter().filter(|&&k| k).count() > 1 {
        let chosen = (1..tokens.len())
            .find(|&i| keep[i] && tokens[i - 1].kind == TokenKind::Word && !keep[i - 1])
            .or_else(|| keep.iter().rposition(|&k| k));
        for (i, k) in keep.iter_mut().enumerate() {
            *k = Some(i) == chosen;
        }
    }
    for (t, keep) in tokens.iter_mut().zip(keep) {
        if is_p(t) && !keep {
            let (stem, gender) = gender_stem(&t.key);
            t.kind = TokenKind::Word;
            t.stem = stem;
            t.gender = gender;
        }
    }
}

impl Name {
    /// The sex the name's endings suggest: a patronymic says it plainly, a surname ending weakly.
    /// `None` when there is no hint or the hints disagree.
    pub fn gender_hint(&self) -> Option<Sex> {
        let mut hint = None;
        for t in &self.tokens {
            if let Some(g) = t.gender {
                if t.kind == TokenKind::Word && t.stem.ends_with("in") {
                    // -ин/-ина is also the end of given names (Марина, Галина): no hint.
                    continue;
                }
                match hint {
                    None => hint = Some(g),
                    Some(h) if h != g => return None,
                    Some(_) => {}
                }
            }
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_quick_letter_tests_agree_with_unicode() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            let mut quick = String::new();
            for_lowercase(c, |l| quick.push(l));
            assert_eq!(quick, c.to_lowercase().collect::<String>(), "{c:?}");
        }
    }

    use super::*;

    fn keys(name: &str) -> Vec<String> {
        parse(name).tokens.into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn spellings_of_tokayev_share_a_key() {
        let k = fold("Тоқаев");
        for s in [
            "Токаев",
            "Tokayev",
            "Tokaev",
            "Toqaev",
            "Tokajew",
            "TOKAYEV",
            "Toqaev",
        ] {
            assert_eq!(fold(s), k, "{s}");
        }
    }

    #[test]
    fn kazakh_latin_alphabets_fold_to_the_cyrillic_key() {
        // Жақсылық Әбішұлы Шәріпов in Cyrillic and in the Latin alphabets of 2017, 2018, 2021.
        let k = keys("Жақсылық Әбішұлы Шәріпов");
        assert_eq!(keys("Jaqsylyq Äbişūly Şäripov"), k);
        assert_eq!(keys("Jaqsylyq A'bis'uly S'a'ripov"), k);
        assert_eq!(keys("Jaqsylyq Ábiśuly Śáripov"), k);
    }

    #[test]
    fn german_and_polish_spellings_fold_like_russian() {
        // German sch is both ш and ж: Schukow keys as Шуков, one letter from Жуков.
        assert_eq!(fold("Schukow"), fold("Шуков"));
        assert_eq!(fold("Żukow"), fold("Жуков"));
        assert_eq!(fold("Zhukov"), fold("Жуков"));
        assert_eq!(fold("Tschernow"), fold("Чернов"));
        assert_eq!(fold("Czernow"), fold("Чернов"));
    }

    #[test]
    fn swedish_digraphs_fold_like_cyrillic() {
        let swedish = |s: &str| fold_in(s, Style::of(s));
        assert_eq!(swedish("Pasjkov"), fold("Пашков"));
        assert_eq!(swedish("Zjukov"), fold("Жуков"));
        assert_eq!(swedish("Valentinovitj"), fold("Валентинович"));
        assert_eq!(swedish("Sjtjerbakov"), fold("Щербаков"));
        // In Kazakh Latin the same letters are т before ж.
        assert_eq!(Style::of("Satjanuly"), Style::Plain);
        assert_eq!(fold("Satjanuly"), fold("Сәтжанұлы"));
    }

    #[test]
    fn ch_and_j_are_read_by_the_style_of_the_name() {
        assert_eq!(Style::of("Michail Jurjevitj TICHONOV"), Style::European);
        assert_eq!(Style::of("Michail Nikolajewitsch"), Style::European);
        assert_eq!(Style::of("Tokajew Kassym"), Style::European);
        assert_eq!(Style::of("Chernov Sergei"), Style::Plain);
        assert_eq!(Style::of("Jaqsylyq Şäripov"), Style::Plain);
        assert_eq!(
            Style::of("Jeñis Tokajew"),
            Style::Plain,
            "Kazakh letters win"
        );
        assert_eq!(Style::of("Тихонов"), Style::Plain);
        assert_eq!(fold_in("Michail", Style::European), fold("Михаил"));
        assert_eq!(fold_in("Jurij", Style::European), fold("Юрий"));
        assert_eq!(fold("Chernov"), fold("Чернов"));
        assert_eq!(fold("Jomart"), fold("Жомарт"));
    }

    #[test]
    fn a_latin_x_is_ks_and_ukrainian_g_is_g() {
        assert_eq!(fold("Maxim"), fold("Максим"));
        assert_eq!(fold("Alexander"), fold("Aleksander"));
        assert_eq!(fold("Ґудзь"), fold("Гудзь"));
    }

    #[test]
    fn latin_look_alikes_in_cyrillic_words() {
        assert_eq!(fold("Cергей"), fold("Сергей"));
        assert_eq!(fold("ДЗМIТРЫЙ"), fold("Дзмітрый"));
        assert_eq!(fold("Ниĸолай"), fold("Николай"));
        // A Latin word with one Cyrillic letter stays Latin.
        assert_eq!(fold("Sergeй"), fold("Sergei"));
    }

    #[test]
    fn a_key_folds_to_itself() {
        for s in ["Sjtjerbakov", "Michail", "Ajtchożin", "Timtchenko"] {
            let k = fold_in(s, Style::European);
            assert_eq!(fold_in(&k, Style::European), k, "{s}");
            assert_eq!(fold(&k), k, "{s}");
        }
        for s in [
            "Исхак",
            "Тсой",
            "Tokayev",
            "Щербакова",
            "Çalışkan",
            "Dżugaszwili",
            "Maxim",
            "Хаменка",
            "Cергей",
        ] {
            let k = fold(s);
            assert_eq!(fold(&k), k, "{s}");
        }
    }

    #[test]
    fn initials_and_patronymics_are_recognised() {
        let n = parse("Тоқаев Е. Қасымұлы");
        let kinds: Vec<_> = n.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [TokenKind::Word, TokenKind::Initial, TokenKind::Patronymic]
        );
        let n = parse("Ivanova Anna Sergeevna");
        assert_eq!(n.tokens[2].kind, TokenKind::Patronymic);
        assert_eq!(n.gender_hint(), Some(Sex::Female));
        let n = parse("Ерлан ұлы");
        assert_eq!(n.tokens.len(), 1);
        assert_eq!(n.tokens[0].kind, TokenKind::Patronymic);
    }
}
