//! People, derived on demand from the seed and their number — never stored.
//!
//! Citizen `k` (of `population`) gets a birth date, sex and IIN serial through a keyed
//! permutation of `k` (see [`crate::rng::Feistel`]), so no two citizens share an IIN, and an ID
//! card and passport number through two more, so no two share a document. Everything else —
//! home region, whether the family's names are Kazakh or Russian, which names — comes from a
//! stream keyed by `k`. Wanted persons are citizens too; the event stream simply never draws
//! them as "everyone else", which is why an ordinary event can never carry a wanted identifier.

use chrono::{Datelike, NaiveDate};
use iz_model::{Iin, Sex};

use crate::names::{Lang, Names};
use crate::rng::{Feistel, Rng, cumulative};

/// Residents per region, in thousands (approximately the official estimates for 2024), in the order of
/// [`iz_model::REGIONS`].
pub(crate) const REGION_POPULATION: [f64; 20] = [
    610.0, 790.0, 930.0, 1_530.0, 700.0, 690.0, 1_220.0, 700.0, 1_140.0, 830.0, 830.0, 790.0,
    750.0, 530.0, 2_140.0, 220.0, 730.0, 1_430.0, 2_230.0, 1_230.0,
];

/// [`REGION_POPULATION`] as running totals, for [`Rng::pick`].
pub(crate) const REGION_CUMULATIVE: [f64; 20] = cumulative(REGION_POPULATION);

/// The share of people whose names a registry writes in Kazakh form, per region (roughly the
/// Kazakh share of each region's population; higher in the south and west, lower in the north
/// and east). Over the whole population this comes to about 70 %.
pub(crate) const KAZAKH_NAME_SHARE: [f64; 20] = [
    0.75, 0.55, 0.88, 0.70, 0.93, 0.75, 0.75, 0.70, 0.55, 0.45, 0.95, 0.92, 0.52, 0.40, 0.85, 0.80,
    0.50, 0.80, 0.62, 0.75,
];

/// IIN serials 0..5000 are drawn; a serial without a check digit moves to serial + 5000.
const SERIALS: u64 = 5_000;
/// Document numbers are eight digits after their prefix: 10,000,000 plus a number below 2^26
/// (a power of two, so the permutation needs no cycle walking). This bounds the population.
const DOCUMENT_SPACE: u64 = 1 << 26;
const DOCUMENT_BASE: u64 = 10_000_000;
/// How many foreign visitors the stream draws from.
pub(crate) const FOREIGNERS: u64 = 2_000_000;

const PERSON: u64 = 0x7065_7273;
const FOREIGN: u64 = 0x666f_7265;

/// A citizen of Kazakhstan, as their registries know them.
#[derive(Debug, Clone)]
pub(crate) struct Citizen {
    pub iin: Iin,
    pub birth: NaiveDate,
    pub sex: Sex,
    /// Index into [`iz_model::REGIONS`].
    pub home: u8,
    pub kazakh: bool,
    pub surname: u16,
    pub given: u16,
    /// Index into the language's patronymics (a Kazakh patronymic is the father's given name).
    pub father: u16,
    /// The ID card number is `0` followed by these eight digits.
    pub id_card: u32,
    /// The passport number is `N` followed by these eight digits.
    pub passport: Option<u32>,
}

impl Citizen {
    pub(crate) fn lang<'a>(&self, names: &'a Names) -> &'a Lang {
        if self.kazakh { &names.kk } else { &names.ru }
    }
}

/// A foreign visitor: a passport and a Latin name, no IIN.
#[derive(Debug, Clone)]
pub(crate) struct Foreigner {
    pub country: Country,
    pub sex: Sex,
    pub birth: NaiveDate,
    pub surname: u16,
    pub given: u16,
    pub passport: u32,
}

impl Foreigner {
    /// Russians carry Russian names; visitors from Central Asia names close to Kazakh ones.
    pub(crate) fn lang<'a>(&self, names: &'a Names) -> &'a Lang {
        if self.country == Country::Rus {
            &names.ru
        } else {
            &names.kk
        }
    }
}

/// The countries whose citizens most often cross into Kazakhstan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Country {
    Rus,
    Uzb,
    Kgz,
    Tjk,
}

impl Country {
    const ALL: [Country; 4] = [Country::Rus, Country::Uzb, Country::Kgz, Country::Tjk];
    const WEIGHTS: [f64; 4] = [0.45, 0.30, 0.15, 0.10];

    /// ISO 3166-1 alpha-3.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Country::Rus => "RUS",
            Country::Uzb => "UZB",
            Country::Kgz => "KGZ",
            Country::Tjk => "TJK",
        }
    }

    /// The passport number's series (the layout is approximate, not an official format).
    pub(crate) fn series(self) -> &'static str {
        match self {
            Country::Rus => "75",
            Country::Uzb => "FA",
            Country::Kgz => "AC",
            Country::Tjk => "40",
        }
    }
}

/// Derives people from their number.
#[derive(Debug, Clone)]
pub(crate) struct People {
    seed: u64,
    pub population: u64,
    first_birth: NaiveDate,
    days: u64,
    capacity: u64,
    iin: Feistel,
    id_card: Feistel,
    passport: Feistel,
    foreign_passport: Feistel,
}

impl People {
    pub(crate) fn new(seed: u64, population: u64) -> Self {
        let first_birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default();
        let last_birth = NaiveDate::from_ymd_opt(2010, 12, 31).unwrap_or_default();
        let days = (last_birth - first_birth).num_days() as u64 + 1;
        let capacity = days * 2 * SERIALS; // about 259 million, below 2^28
        People {
            seed,
            population: population.clamp(1, capacity.min(DOCUMENT_SPACE)),
            first_birth,
            days,
            capacity,
            iin: Feistel::new(14, seed, 1),
            id_card: Feistel::new(13, seed, 2),
            passport: Feistel::new(13, seed, 3),
            foreign_passport: Feistel::new(12, seed, 4),
        }
    }

    /// Citizen `k`, `k < population`.
    pub(crate) fn citizen(&self, names: &Names, k: u64) -> Citizen {
        let x = self.iin.permute_below(k, self.capacity);
        let day = x % self.days;
        let rest = x / self.days;
        let sex = if rest & 1 == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let serial = (rest / 2) as u16;
        let birth = self.first_birth + chrono::Days::new(day);
        let Some(iin) = Iin::compose(birth, sex, serial)
            .or_else(|| Iin::compose(birth, sex, serial + SERIALS as u16))
        else {
            // A serial has no check digit only when its first weighted sum is 10 (mod 11);
            // adding 5000 adds 5·8 = 40 ≡ 7 to that sum, so serial + 5000 always has one.
            unreachable!("serial {serial} and serial + 5000 both lack a check digit");
        };
        let mut r = Rng::new(&[self.seed, PERSON, k]);
        let home = r.pick(&REGION_CUMULATIVE);
        let kazakh = r.chance(KAZAKH_NAME_SHARE[home]);
        let lang = if kazakh { &names.kk } else { &names.ru };
        let given_list = if sex == Sex::Female {
            &lang.female
        } else {
            &lang.male
        };
        Citizen {
            iin,
            birth,
            sex,
            home: home as u8,
            kazakh,
            surname: r.index(lang.surnames.len()) as u16,
            given: r.index(given_list.len()) as u16,
            father: r.index(lang.patronymics.len()) as u16,
            id_card: (DOCUMENT_BASE + self.id_card.permute_below(k, DOCUMENT_SPACE)) as u32,
            passport: r
                .chance(0.4)
                .then(|| (DOCUMENT_BASE + self.passport.permute_below(k, DOCUMENT_SPACE)) as u32),
        }
    }

    /// Foreign visitor `f`, `f < FOREIGNERS`.
    pub(crate) fn foreigner(&self, names: &Names, f: u64) -> Foreigner {
        let mut r = Rng::new(&[self.seed, FOREIGN, f]);
        let country = Country::ALL[r.weighted(&Country::WEIGHTS)];
        let sex = if r.chance(0.7) {
            Sex::Male
        } else {
            Sex::Female
        };
        let birth = self.first_birth + chrono::Days::new(3_650 + r.below(self.days - 3_650));
        let lang = if country == Country::Rus {
            &names.ru
        } else {
            &names.kk
        };
        let given_list = if sex == Sex::Female {
            &lang.female
        } else {
            &lang.male
        };
        Foreigner {
            country,
            sex,
            birth,
            surname: r.index(lang.surnames.len()) as u16,
            given: r.index(given_list.len()) as u16,
            passport: self
                .foreign_passport
                .permute_below(f % 10_000_000, 10_000_000) as u32,
        }
    }
}

/// Age in whole years on 1 January of `year`.
pub(crate) fn age_in(birth: NaiveDate, year: i32) -> i32 {
    year - birth.year() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_seventy_percent_of_names_are_kazakh() {
        let total: f64 = REGION_POPULATION.iter().sum();
        let share: f64 = REGION_POPULATION
            .iter()
            .zip(KAZAKH_NAME_SHARE)
            .map(|(p, s)| p * s)
            .sum::<f64>()
            / total;
        assert!((0.66..0.76).contains(&share), "{share}");
    }

    #[test]
    fn citizens_have_distinct_iins_and_documents() {
        let names = Names::load();
        let people = People::new(7, 5_000_000);
        let mut iins = std::collections::HashSet::new();
        let mut cards = std::collections::HashSet::new();
        for k in (0..5_000_000).step_by(97) {
            let c = people.citizen(&names, k);
            assert_eq!(c.iin.birth_date(), c.birth);
            assert_eq!(c.iin.sex(), c.sex);
            assert!(iins.insert(c.iin), "IIN {} twice", c.iin);
            assert!(cards.insert(c.id_card));
        }
    }
}
