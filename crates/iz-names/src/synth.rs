//! A seeded generator of people and of the many ways their names get written, for tests and
//! benches (feature `synth`).
//!
//! Names are drawn from the real Kazakh and Russian lists of `iz-scenario` (mimesis 22.2.0, MIT;
//! see `crates/iz-scenario/data/SOURCES.md`); female surnames and Kazakh patronymics are derived
//! by rule. A spelling picks a script or romanisation (Kazakh Cyrillic, its Russian spelling,
//! ICAO 9303, English, German, Polish, Kazakh Latin of 2017, 2018 and 2021), then may drop the
//! patronymic, swap the order, shorten the given name to an initial, change case and
//! punctuation, or make one typo.

use chrono::NaiveDate;
use iz_model::Sex;

const KK: &str = include_str!("../../iz-scenario/data/names-kk.txt");
const RU: &str = include_str!("../../iz-scenario/data/names-ru.txt");

/// SplitMix64: small, seeded, the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

#[derive(Debug, Default)]
struct Lists {
    male: Vec<&'static str>,
    female: Vec<&'static str>,
    surnames: Vec<&'static str>,
    patronymics: Vec<(&'static str, &'static str)>,
}

fn lists(text: &'static str) -> Lists {
    let mut l = Lists::default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        match (f.next(), f.next(), f.next()) {
            (Some("m"), Some(n), _) => l.male.push(n),
            (Some("f"), Some(n), _) => l.female.push(n),
            (Some("s"), Some(n), _) => l.surnames.push(n),
            (Some("p"), Some(m), Some(w)) => l.patronymics.push((m, w)),
            _ => {}
        }
    }
    l
}

/// A person as a registry knows them, in Cyrillic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthPerson {
    pub surname: String,
    pub given: String,
    pub patronymic: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub kazakh: bool,
}

impl SynthPerson {
    /// "Surname Given Patronymic", the registry's order.
    pub fn full_name(&self) -> String {
        format!("{} {} {}", self.surname, self.given, self.patronymic)
    }
}

/// How a name is spelt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    Cyrillic,
    /// Kazakh letters replaced by their Russian look-alikes (Тоқаев → Токаев).
    RussianCyrillic,
    Icao,
    English,
    German,
    Polish,
    KazakhLatin2017,
    KazakhLatin2018,
    KazakhLatin2021,
}

pub const SPELLINGS: [Spelling; 9] = [
    Spelling::Cyrillic,
    Spelling::RussianCyrillic,
    Spelling::Icao,
    Spelling::English,
    Spelling::German,
    Spelling::Polish,
    Spelling::KazakhLatin2017,
    Spelling::KazakhLatin2018,
    Spelling::KazakhLatin2021,
];

fn vowel(c: char) -> bool {
    "аәеёиоөуұүыіэюяaeiou".contains(c)
}

/// Spells a lowercase Cyrillic word.
pub fn spell(word: &str, how: Spelling) -> String {
    use Spelling::*;
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in word.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let after_vowel = prev.is_none_or(|p| vowel(p) || p == 'ь' || p == 'ъ');
        let s: &str = match (how, lower) {
            (Cyrillic, _) => {
                out.push(lower);
                prev = Some(lower);
                continue;
            }
            (RussianCyrillic, k) => match k {
                'ә' => "а",
                'ғ' => "г",
                'қ' => "к",
                'ң' => "н",
                'ө' => "о",
                'ұ' | 'ү' => "у",
                'һ' => "х",
                'і' => "и",
                _ => {
                    out.push(k);
                    prev = Some(k);
                    continue;
                }
            },
            (_, 'а') => "a",
            (_, 'б') => "b",
            (German | Polish, 'в') => "w",
            (_, 'в') => "v",
            (_, 'г') => "g",
            (_, 'д') => "d",
            (English, 'е') if after_vowel => "ye",
            (German | Polish, 'е') if after_vowel && prev.is_some() => "je",
            (_, 'е' | 'э') => "e",
            (English, 'ё') => "yo",
            (German | Polish, 'ё') => "jo",
            (_, 'ё') => "e",
            (Icao | English, 'ж') => "zh",
            (German, 'ж') => "sch",
            (Polish, 'ж') => "ż",
            (_, 'ж') => "j",
            (_, 'з') => "z",
            (KazakhLatin2018, 'и' | 'й') => "ı",
            (English, 'й') => "y",
            (German | Polish, 'й') => "j",
            (_, 'и' | 'й') => "i",
            (KazakhLatin2017 | KazakhLatin2018 | KazakhLatin2021, 'қ') => "q",
            (_, 'к' | 'қ') => "k",
            (_, 'л') => "l",
            (_, 'м') => "m",
            (_, 'н') => "n",
            (_, 'о') => "o",
            (_, 'п') => "p",
            (_, 'р') => "r",
            (_, 'с') => "s",
            (_, 'т') => "t",
            (KazakhLatin2018, 'у') => "ý",
            (_, 'у') => "u",
            (_, 'ф') => "f",
            (Icao | English, 'х') => "kh",
            (German | Polish, 'х') => "ch",
            (_, 'х' | 'һ') => "h",
            (German, 'ц') => "z",
            (Polish, 'ц') => "c",
            (_, 'ц') => "ts",
            (German, 'ч') => "tsch",
            (Polish, 'ч') => "cz",
            (KazakhLatin2017, 'ч') => "c'",
            (KazakhLatin2018, 'ч') => "ć",
            (KazakhLatin2021, 'ч') => "ç",
            (_, 'ч') => "ch",
            (German, 'ш') => "sch",
            (Polish, 'ш') => "sz",
            (KazakhLatin2017, 'ш') => "s'",
            (KazakhLatin2018, 'ш') => "ś",
            (KazakhLatin2021, 'ш') => "ş",
            (_, 'ш') => "sh",
            (German, 'щ') => "schtsch",
            (Polish, 'щ') => "szcz",
            (_, 'щ') => "shch",
            (Icao, 'ъ') => "ie",
            (_, 'ъ' | 'ь') => "",
            (_, 'ы') => "y",
            (English, 'ю') => "yu",
            (German | Polish, 'ю') => "ju",
            (_, 'ю') => "iu",
            (English, 'я') => "ya",
            (German | Polish, 'я') => "ja",
            (_, 'я') => "ia",
            (KazakhLatin2017, 'ә') => "a'",
            (KazakhLatin2018, 'ә') => "á",
            (KazakhLatin2021, 'ә') => "ä",
            (_, 'ә') => "a",
            (KazakhLatin2017, 'ғ') => "g'",
            (KazakhLatin2018, 'ғ') => "ǵ",
            (KazakhLatin2021, 'ғ') => "ğ",
            (_, 'ғ') => "g",
            (KazakhLatin2017, 'ң') => "n'",
            (KazakhLatin2018, 'ң') => "ń",
            (KazakhLatin2021, 'ң') => "ñ",
            (_, 'ң') => "n",
            (KazakhLatin2017, 'ө') => "o'",
            (KazakhLatin2018, 'ө') => "ó",
            (KazakhLatin2021, 'ө') => "ö",
            (_, 'ө') => "o",
            (KazakhLatin2017, 'ү') => "u'",
            (KazakhLatin2018, 'ү') => "ú",
            (KazakhLatin2021, 'ү') => "ü",
            (KazakhLatin2021, 'ұ') => "ū",
            (_, 'ұ' | 'ү') => "u",
            (KazakhLatin2017, 'і') => "i'",
            (_, 'і') => "i",
            (_, other) => {
                out.push(other);
                prev = Some(other);
                continue;
            }
        };
        out.push_str(s);
        prev = Some(lower);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn female_surname(s: &str) -> String {
    for (m, f) in [
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("ий", "ая"),
        ("ый", "ая"),
        ("ой", "ая"),
        ("ұлы", "қызы"),
    ] {
        if let Some(stem) = s.strip_suffix(m) {
            return format!("{stem}{f}");
        }
    }
    for m in ["ов", "ев", "ёв", "ин", "ын"] {
        if s.ends_with(m) {
            return format!("{s}а");
        }
    }
    s.to_string()
}

/// The generator.
#[derive(Debug)]
pub struct Synth {
    pub rng: Rng,
    kk: Lists,
    ru: Lists,
}

impl Synth {
    pub fn new(seed: u64) -> Self {
        Synth {
            rng: Rng::new(seed),
            kk: lists(KK),
            ru: lists(RU),
        }
    }

    /// A new person: Kazakh three times in five, otherwise Russian.
    pub fn person(&mut self) -> SynthPerson {
        let kazakh = self.rng.chance(0.6);
        let sex = if self.rng.chance(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let l = if kazakh { &self.kk } else { &self.ru };
        let given = match sex {
            Sex::Male => self.rng.pick(&l.male),
            Sex::Female => self.rng.pick(&l.female),
        }
        .to_string();
        let surname = self.rng.pick(&l.surnames);
        let surname = match sex {
            Sex::Male => surname.to_string(),
            Sex::Female => female_surname(surname),
        };
        let patronymic = if kazakh {
            let father = self.rng.pick(&self.kk.male);
            match sex {
                Sex::Male => format!("{father}ұлы"),
                Sex::Female => format!("{father}қызы"),
            }
        } else {
            let (m, f) = self.ru.patronymics[self.rng.below(self.ru.patronymics.len())];
            match sex {
                Sex::Male => m.to_string(),
                Sex::Female => f.to_string(),
            }
        };
        let days = self.rng.below(365 * 55) as i64;
        let birth_date = NaiveDate::from_ymd_opt(1950, 1, 1)
            .and_then(|d| d.checked_add_signed(chrono::TimeDelta::days(days)))
            .unwrap_or_default();
        SynthPerson {
            surname,
            given,
            patronymic,
            sex,
            birth_date,
            kazakh,
        }
    }

    /// The name spelt one way, with no noise.
    pub fn spelt(&self, p: &SynthPerson, how: Spelling) -> String {
        let w = |s: &str| capitalise(&spell(&s.to_lowercase(), how));
        format!("{} {} {}", w(&p.surname), w(&p.given), w(&p.patronymic))
    }

    /// The name as some registry or document might write it: a random spelling and noise.
    pub fn variant(&mut self, p: &SynthPerson) -> String {
        let how = SPELLINGS[self.rng.below(SPELLINGS.len())];
        let w = |s: &str| capitalise(&spell(&s.to_lowercase(), how));
        let mut surname = w(&p.surname);
        let mut given = w(&p.given);
        if self.rng.chance(0.08) {
            given = format!("{}.", given.chars().next().unwrap_or('X'));
        }
        let typo = self.rng.chance(0.1);
        if typo {
            if self.rng.chance(0.5) {
                surname = self.typo(&surname);
            } else if !given.ends_with('.') {
                given = self.typo(&given);
            }
        }
        let mut parts = vec![surname, given];
        if self.rng.chance(0.5) {
            parts.push(w(&p.patronymic));
        }
        if self.rng.chance(0.3) {
            parts.swap(0, 1);
        }
        let sep = match self.rng.below(6) {
            0 => ", ",
            1 => "  ",
            _ => " ",
        };
        let mut name = parts.join(sep);
        if self.rng.chance(0.25) {
            name = name.to_uppercase();
        }
        name
    }

    /// One typo: a letter dropped, doubled, swapped with the next, or replaced by another of the
    /// same word.
    pub fn typo(&mut self, word: &str) -> String {
        let mut c: Vec<char> = word.chars().collect();
        if c.len() < 4 {
            return word.to_string();
        }
        let i = 1 + self.rng.below(c.len() - 2);
        match self.rng.below(4) {
            0 => {
                c.remove(i);
            }
            1 => c.insert(i, c[i]),
            2 => c.swap(i, i + 1),
            _ => {
                let j = self.rng.below(c.len());
                c[i] = c[j];
            }
        }
        c.into_iter().collect()
    }

    /// A birth date as another source records it: mostly the same, sometimes swapped or a year
    /// off, sometimes missing.
    pub fn recorded_date(&mut self, d: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        match self.rng.below(20) {
            0..=13 => Some(d),
            14 => NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).or(Some(d)),
            15 => d.with_year(d.year() + 1).or(Some(d)),
            _ => None,
        }
    }

    /// A watch-list of `n` people: each entry has its registry (Cyrillic) name and, for half of
    /// them, a passport (ICAO) spelling.
    pub fn watch_list(&mut self, n: usize) -> (Vec<SynthPerson>, Vec<WatchRow>) {
        let mut people = Vec::with_capacity(n);
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let p = self.person();
            let mut spellings = vec![p.full_name()];
            if self.rng.chance(0.5) {
                spellings.push(self.spelt(&p, Spelling::Icao));
            }
            rows.push((i as u32, spellings, Some(p.birth_date), Some(p.sex)));
            people.push(p);
        }
        (people, rows)
    }
}

/// An entry as [`crate::NameIndex::build`] takes it, owned.
pub type WatchRow = (u32, Vec<String>, Option<NaiveDate>, Option<Sex>);
