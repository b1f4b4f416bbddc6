//! Names as Kazakhstan's registries write them, from real name lists (see `data/SOURCES.md`).
//!
//! The data files hold given names, surnames in their male form and, for Russian, patronymic
//! pairs. Everything a registry needs beyond that follows rules, kept here so they can be
//! tested: a woman's surname from a man's (-ов/-ова, -ев/-ева, -ин/-ина, -ский/-ская,
//! -ұлы/-қызы), a Kazakh patronymic from the father's given name (+ұлы / +қызы), the Russian
//! spelling of Kazakh letters, and the Latin of a passport's machine-readable zone.

const KAZAKH: &str = include_str!("../data/names-kk.txt");
const RUSSIAN: &str = include_str!("../data/names-ru.txt");

/// The female form of a surname given in its male form. Surnames without a gendered ending
/// (Бойко, Ким, Адамович) are the same for women.
pub fn female_surname(male: &str) -> String {
    const RULES: [(&str, &str); 11] = [
        ("ұлы", "қызы"),
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("ий", "ая"),
        ("ой", "ая"),
        ("ый", "ая"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
        ("ын", "ына"),
    ];
    for (from, to) in RULES {
        if let Some(stem) = male.strip_suffix(from) {
            return format!("{stem}{to}");
        }
    }
    male.to_string()
}

/// A Kazakh patronymic: the father's given name joined with ұлы (son) or қызы (daughter).
pub fn kazakh_patronymic(father: &str, female: bool) -> String {
    format!("{father}{}", if female { "қызы" } else { "ұлы" })
}

/// The Russian spelling of a Kazakh letter (Серікұлы → Серикулы), as Russian-language forms
/// write Kazakh names; other characters are kept.
pub fn russian_letter(c: char) -> char {
    match c {
        'Ә' => 'А',
        'ә' => 'а',
        'Ғ' => 'Г',
        'ғ' => 'г',
        'Қ' => 'К',
        'қ' => 'к',
        'Ң' => 'Н',
        'ң' => 'н',
        'Ө' => 'О',
        'ө' => 'о',
        'Ұ' | 'Ү' => 'У',
        'ұ' | 'ү' => 'у',
        'Һ' => 'Х',
        'һ' => 'х',
        'І' => 'И',
        'і' => 'и',
        other => other,
    }
}

/// Upper-case Latin as in a passport's machine-readable zone (ICAO 9303 for Russian letters,
/// the Kazakh letters read as their nearest Latin letter): Жұмабаев → ZHUMABAEV.
pub fn passport_latin(cyrillic: &str) -> String {
    let mut out = String::with_capacity(cyrillic.len());
    for c in cyrillic.chars() {
        let lower: String = c.to_lowercase().collect();
        let latin = match lower.as_str() {
            "а" | "ә" => "A",
            "б" => "B",
            "в" => "V",
            "г" | "ғ" => "G",
            "д" => "D",
            "е" | "ё" | "э" => "E",
            "ж" => "ZH",
            "з" => "Z",
            "и" | "й" | "і" => "I",
            "к" | "қ" => "K",
            "л" => "L",
            "м" => "M",
            "н" | "ң" => "N",
            "о" | "ө" => "O",
            "п" => "P",
            "р" => "R",
            "с" => "S",
            "т" => "T",
            "у" | "ұ" | "ү" => "U",
            "ф" => "F",
            "х" => "KH",
            "һ" => "H",
            "ц" => "TS",
            "ч" => "CH",
            "ш" => "SH",
            "щ" => "SHCH",
            "ъ" => "IE",
            "ы" => "Y",
            "ь" => "",
            "ю" => "IU",
            "я" => "IA",
            " " => " ",
            "-" => "-",
            _ => "",
        };
        out.push_str(latin);
    }
    out
}

/// The Kazakh Latin alphabet of 2021 (Ä Ğ Q Ñ Ö Ū Ü Ş Ç, I for и and й, Y for ы), as newer
/// forms and a guest writing for foreigners may spell a name: Жұмабаев Серікұлы →
/// Jūmabaev Serıkūly. Capitals stay capitals; characters that are not letters are kept.
pub fn kazakh_latin_2021(cyrillic: &str) -> String {
    let mut out = String::with_capacity(cyrillic.len());
    for c in cyrillic.chars() {
        let upper = c.is_uppercase();
        let lower: String = c.to_lowercase().collect();
        let latin = match lower.as_str() {
            "а" => "a",
            "ә" => "ä",
            "б" => "b",
            "в" => "v",
            "г" => "g",
            "ғ" => "ğ",
            "д" => "d",
            "е" | "э" => "e",
            "ё" => "io",
            "ж" => "j",
            "з" => "z",
            "и" | "й" => "i",
            "к" => "k",
            "қ" => "q",
            "л" => "l",
            "м" => "m",
            "н" => "n",
            "ң" => "ñ",
            "о" => "o",
            "ө" => "ö",
            "п" => "p",
            "р" => "r",
            "с" => "s",
            "т" => "t",
            "у" => "u",
            "ұ" => "ū",
            "ү" => "ü",
            "ф" => "f",
            "х" | "һ" => "h",
            "ц" => "ts",
            "ч" => "ç",
            "ш" => "ş",
            "щ" => "şş",
            "ы" => "y",
            "і" => "ı",
            "ю" => "iu",
            "я" => "ia",
            "ъ" | "ь" => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        let mut letters = latin.chars();
        if let (true, Some(first)) = (upper, letters.next()) {
            out.extend(first.to_uppercase());
            out.push_str(letters.as_str());
        } else {
            out.push_str(latin);
        }
    }
    out
}

/// A name in Cyrillic and in passport Latin.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub cyr: Box<str>,
    pub lat: Box<str>,
}

impl Name {
    fn new(cyr: &str) -> Self {
        Name {
            cyr: cyr.into(),
            lat: passport_latin(cyr).into(),
        }
    }
}

/// One language's tables. Surnames and patronymics are `[male, female]` pairs.
#[derive(Debug, Clone)]
pub(crate) struct Lang {
    pub male: Vec<Name>,
    pub female: Vec<Name>,
    pub surnames: Vec<[Name; 2]>,
    pub patronymics: Vec<[Box<str>; 2]>,
}

impl Lang {
    fn parse(text: &str, kazakh: bool) -> Self {
        let mut lang = Lang {
            male: Vec::new(),
            female: Vec::new(),
            surnames: Vec::new(),
            patronymics: Vec::new(),
        };
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut fields = line.split('\t');
            match (fields.next(), fields.next(), fields.next()) {
                (Some("m"), Some(n), None) => lang.male.push(Name::new(n)),
                (Some("f"), Some(n), None) => lang.female.push(Name::new(n)),
                (Some("s"), Some(n), None) => lang
                    .surnames
                    .push([Name::new(n), Name::new(&female_surname(n))]),
                (Some("p"), Some(m), Some(f)) => lang.patronymics.push([m.into(), f.into()]),
                _ => {}
            }
        }
        if kazakh {
            lang.patronymics = lang
                .male
                .iter()
                .map(|n| {
                    [
                        kazakh_patronymic(&n.cyr, false).into(),
                        kazakh_patronymic(&n.cyr, true).into(),
                    ]
                })
                .collect();
        }
        lang
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub kk: Lang,
    pub ru: Lang,
}

impl Names {
    pub(crate) fn load() -> Self {
        Names {
            kk: Lang::parse(KAZAKH, true),
            ru: Lang::parse(RUSSIAN, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_take_the_female_ending() {
        assert_eq!(female_surname("Иванов"), "Иванова");
        assert_eq!(female_surname("Алексеев"), "Алексеева");
        assert_eq!(female_surname("Пушкин"), "Пушкина");
        assert_eq!(female_surname("Достоевский"), "Достоевская");
        assert_eq!(female_surname("Толстой"), "Толстая");
        assert_eq!(female_surname("Сүлейменұлы"), "Сүлейменқызы");
        assert_eq!(female_surname("Бойко"), "Бойко");
        assert_eq!(kazakh_patronymic("Серік", true), "Серікқызы");
    }

    #[test]
    fn latin_follows_the_passport_rules() {
        assert_eq!(passport_latin("Жұмабаев Ерлан"), "ZHUMABAEV ERLAN");
        assert_eq!(passport_latin("Щукина Юлия"), "SHCHUKINA IULIIA");
        assert_eq!(passport_latin("Әбдіқадыр"), "ABDIKADYR");
    }

    #[test]
    fn kazakh_latin_2021_has_its_own_letters() {
        assert_eq!(
            kazakh_latin_2021("Жұмабаев Ерлан Серікұлы"),
            "Jūmabaev Erlan Serıkūly"
        );
        assert_eq!(kazakh_latin_2021("Әбдіқадыр Шоқан"), "Äbdıqadyr Şoqan");
        assert_eq!(kazakh_latin_2021("Чингиз Ащы-Ңкем"), "Çingiz Aşşy-Ñkem");
    }

    #[test]
    fn the_tables_load_with_every_list_filled() {
        let names = Names::load();
        for lang in [&names.kk, &names.ru] {
            assert!(
                lang.male.len() > 100 && lang.female.len() > 100,
                "given names"
            );
            assert!(
                lang.surnames.len() > 150 && lang.patronymics.len() > 100,
                "surnames and patronymics"
            );
        }
        assert!(
            names
                .ru
                .patronymics
                .iter()
                .all(|[m, f]| m.ends_with("ич") && f.ends_with("на"))
        );
    }
}
