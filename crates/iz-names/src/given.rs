//! Given names that are one name in several languages.
//!
//! Russian Александр is Ukrainian Олександр and Belarusian Аляксандр; Сергей is Сергій and
//! Сяргей; Николай is Микола and Мікалай; Григорий is Рыгор. The same person is written one way
//! in a Russian document and another in a Ukrainian or Belarusian one, and each has its own
//! romanisations (Oleksandr, Aliaksandr; Serhii, Siarhei; Mykola, Mikalai; Hryhorii, Ryhor). No
//! folding of letters makes these one key, so a table says which belong together. A patronymic is
//! formed from the father's given name (Сергеевич, Сергійович, Сяргеевіч), so a father's name is
//! looked up through its root: the stem of the patronymic, or the given name, without its final
//! vowels.
//!
//! The table lists common East Slavic given names in their Russian, Ukrainian and Belarusian
//! forms and in the romanisations that fold to a different key; it was written for this crate from
//! the usual correspondences of the three languages. A group is one name for one sex.

use std::sync::OnceLock;

use hashbrown::HashMap;

use crate::key::{fold, patronymic};

/// Men's names. Each line is one name; the spellings are folded, so only forms whose keys differ
/// need listing. A spelling that is a patronymic (Павлович) is the father's name as patronymics
/// write it, where that is not the given name's root.
const MEN: &[&str] = &[
    "Александр Олександр Аляксандр Alexander Aleksander Oleksandr Aliaksandr Alyaksandr",
    "Алексей Олексій Аляксей Oleksii Oleksiy Aliaksei Alyaksei",
    "Анатолий Анатолій Анатоль Anatoliy Anatol",
    "Андрей Андрій Андрэй Andrii Andriy",
    "Аркадий Аркадій Аркадзь Arkadz",
    "Артём Артем Арцём Artyom Artiom Artsiom Artsem",
    "Борис Барыс",
    "Вадим Вадзім Vadzim",
    "Валентин Валянцін Valiantsin Valyantsin",
    "Валерий Валерій Валерый",
    "Василий Василь Васіль",
    "Виктор Віктор Віктар Victor",
    "Виталий Віталій Віталь",
    "Владимир Володимир Уладзімір Uladzimir Volodymyr",
    "Владислав Уладзіслаў Uladzislau",
    "Вячеслав Вячаслаў Viachaslau Vyachaslau",
    "Геннадий Геннадій Генадзь Henadz Hennadii Hennadiy",
    "Георгий Георгій Heorhii Heorhiy",
    "Григорий Григорій Рыгор Hryhorii Hryhoriy Ryhor",
    "Денис Денис Дзяніс Dzianis Dzyanis",
    "Дмитрий Дмитро Дзмітрый Dmytro Dzmitry Dzmitryi",
    "Евгений Євген Яўген Yevhen Yauhen Jauhen Eugene",
    "Егор Ягор Yahor",
    "Иван Іван",
    "Игорь Ігор Ігар Ihor Ihar",
    "Илья Ілля Ільля Illia Illya",
    "Кирилл Кирило Кірыл Kyrylo Kiryl",
    "Константин Костянтин Канстанцін Kostiantyn Kostyantyn Kanstantsin",
    "Леонид Леонід Леанід Leanid",
    "Максим Максім Maksym",
    "Михаил Михайло Міхаіл Міхал Mykhailo Mykhaylo Michail Michal",
    "Никита Микита Мікіта Mykyta",
    "Николай Микола Мікалай Mykola Mikalai Mikalaj Nicholas",
    "Олег Алег Oleh Aleh",
    "Павел Павло Павал Pavlo Павлович Паўлавіч",
    "Пётр Петро Пятро Pyotr Piotr Petro Piatro Pyatro Peter",
    "Роман Раман Raman",
    "Семён Семен Сямён Semyon Siamion",
    "Сергей Сергій Сяргей Serhii Serhiy Siarhei Siarhiej Siarhej",
    "Станислав Станіслав Станіслаў Stanislau",
    "Степан Сцяпан Stsiapan Stsyapan",
    "Тимофей Тимофій Цімафей Tsimafei",
    "Фёдор Федір Фёдар Fyodor Fiodor Fedir Fiodar Fyodar",
    "Юрий Юрій Юрый Yurii Yuriy Iurii",
    "Ярослав Яраслаў Yaraslau",
];

/// Women's names, as [`MEN`].
const WOMEN: &[&str] = &[
    "Александра Олександра Аляксандра Alexandra Oleksandra Aliaksandra",
    "Анастасия Анастасія Настасся Nastassia",
    "Анна Ганна Hanna",
    "Валентина Валянціна Valiantsina",
    "Вера Віра Vira",
    "Виктория Вікторія Вікторыя",
    "Галина Галіна Halyna Halina",
    "Екатерина Катерина Кацярына Kateryna Katsiaryna Katsyaryna",
    "Елена Олена Алена Olena Alena Helena",
    "Ирина Ірина Ірына Iryna",
    "Лидия Лідія Лідзія Lidziya",
    "Людмила Людміла",
    "Мария Марія Марыя",
    "Наталья Наталія Наталля Nataliia Natallia Natalya",
    "Надежда Надія Надзея Nadiia Nadzeya",
    "Ольга Вольга Olha Volha",
    "Светлана Світлана Святлана Svitlana Sviatlana",
    "Татьяна Тетяна Тацяна Tatiana Tetiana Tatsiana Tatjana",
    "Юлия Юлія Yuliia Julija",
    "Евгения Євгенія Яўгенія Yevheniia Yauheniya",
    "Любовь Любов Любоў Liubou",
    "Раиса Раїса Раіса",
];

type Map = HashMap<String, u16, foldhash::fast::FixedState>;

struct Table {
    given: Map,
    fathers: Map,
    /// Per group, a bit for each first key letter of its spellings (Олександр and Александр
    /// both: an initial О. or А. may stand for either).
    initials: Vec<u64>,
}

/// The bit of a key letter in [`initials`].
pub(crate) fn letter_bit(c: char) -> u64 {
    1 << (c as u32 % 64)
}

/// A father's name without its final vowels: Сергей, Сергеевич, Сергійович and Сяргеевіч give
/// `serg` and `siarg`.
fn root(key: &str) -> &str {
    key.trim_end_matches(['a', 'e', 'i', 'o', 'u'])
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let hasher = foldhash::fast::FixedState::with_seed(0x6769_7665);
        let mut t = Table {
            given: Map::with_hasher(hasher),
            fathers: Map::with_hasher(hasher),
            initials: vec![0; MEN.len() + WOMEN.len()],
        };
        for (group, line) in MEN.iter().chain(WOMEN).enumerate() {
            let man = group < MEN.len();
            for spelling in line.split_whitespace() {
                let key = fold(spelling);
                if let Some(c) = key.chars().next() {
                    t.initials[group] |= letter_bit(c);
                }
                let father = match patronymic(&key) {
                    // A patronymic form, listed where the father's name changes before the
                    // suffix (Павел, Павлович): for patronymics only.
                    Some((stem, _)) => root(stem).to_string(),
                    None => {
                        let r = root(&key).to_string();
                        t.given.insert(key, group as u16);
                        r
                    }
                };
                if man {
                    t.fathers.insert(father, group as u16);
                }
            }
        }
        t
    })
}

/// The first key letters of a group's spellings, as bits of [`letter_bit`].
pub(crate) fn initials(group: u16) -> u64 {
    table()
        .initials
        .get(usize::from(group))
        .copied()
        .unwrap_or(0)
}

/// The group of a given name's key, if the table knows it.
pub(crate) fn given_name(key: &str) -> Option<u16> {
    table().given.get(key).copied()
}

/// The group of the father's name behind a patronymic's stem, if the table knows it.
pub(crate) fn father_name(stem: &str) -> Option<u16> {
    let r = root(stem);
    // A root of two letters says too little (Ильич, Юрьевич give `il`, `iur`: three is the least).
    if r.chars().count() < 3 {
        return None;
    }
    table().fathers.get(r).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spelling_belongs_to_two_names() {
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        for (group, line) in MEN.iter().chain(WOMEN).enumerate() {
            for spelling in line.split_whitespace() {
                let key = fold(spelling);
                if let Some(&other) = seen.get(&key) {
                    assert_eq!(other, group, "{spelling} ({key}) is in two groups");
                }
                seen.insert(key, group);
            }
        }
    }

    #[test]
    fn no_two_mens_names_share_a_root() {
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        for (group, line) in MEN.iter().enumerate() {
            for spelling in line.split_whitespace() {
                let key = fold(spelling);
                let r = root(&key).to_string();
                if let Some(&other) = seen.get(&r) {
                    assert_eq!(other, group, "{spelling} ({r}) is the root of two names");
                }
                seen.insert(r, group);
            }
        }
    }

    #[test]
    fn a_patronymic_finds_its_fathers_name_in_three_languages() {
        let sergei = given_name(&fold("Сергей"));
        assert!(sergei.is_some());
        for p in [
            "Сергеевич",
            "Сергійович",
            "Сяргеевіч",
            "Serhiyovych",
            "Siarheevich",
        ] {
            let key = fold(p);
            let stem = patronymic(&key)
                .map(|(s, _)| s.to_string())
                .unwrap_or_default();
            assert_eq!(father_name(&stem), sergei, "{p}");
        }
    }
}
