//! # iz-scenario: a country's worth of registry traffic, from one seed
//!
//! Iz cannot be built, tested or measured against real personal data, and a matcher tested on
//! `"person-1"` and `"123"` proves little. This crate stands in for the registries: from one
//! `u64` seed it derives a wanted list and an endless stream of registry events that look and
//! behave like the real ones, so that the demo, the end-to-end tests and the benchmarks all see
//! the same, reproducible world.
//!
//! ## What is realistic about it
//!
//! - **People.** A population of (by default) five million citizens, each derived on demand from
//!   the seed and their number — nothing is stored. Every IIN is valid: birth date, century and
//!   sex digit, serial and check digit agree ([`iz_model::Iin::compose`]); a keyed permutation
//!   makes IINs and ID-card and passport numbers unique without a table. Home regions follow
//!   the regions' real populations; names are Kazakh for about 70 % of people (more in the
//!   south and west, fewer in the north) and Russian for the rest.
//! - **Names.** Real given names and surnames (the `mimesis` package's Kazakh and Russian
//!   lists), written as a registry writes them — `Асанов Ерлан Серікұлы`, `Иванова Анна
//!   Петровна` — with the female forms of surnames and patronymics by rule. Events write them
//!   the way each source does: in full in a hotel book, surname and given name on a rail
//!   ticket, passport Latin (`ASANOV ERLAN`) on an air ticket or at the border, sometimes given
//!   name first, sometimes Kazakh letters in Russian spelling (`Серикулы`).
//! - **Places.** Real public-service centres, stations, airports, bus stations, hotels and
//!   border crossing points in all twenty regions, with approximate real coordinates.
//! - **Events.** The mix of a registry feed — 40 % public-service requests (e-gov or a CON
//!   office), 25 % tickets (rail, air, bus), 15 % hotel registrations, 15 % document checks by
//!   patrols, 5 % border crossings — each from its own source, at a place of the right kind,
//!   mostly in the person's home region, with a small payload (service, train and seat, room,
//!   direction). Foreign visitors appear with only a foreign passport. Identifiers come as the
//!   sources write them: an IIN, or only a document number, typed by hand with spaces, `№`, a
//!   lower-case letter or a Cyrillic look-alike. A quarter of citizens' hotel registrations
//!   are guest books with a name and a birth date alone, the name in Kazakh or Russian
//!   Cyrillic, passport Latin or the Kazakh Latin of 2021, given name first or last, and now
//!   and then a slip of the pen (a letter dropped, doubled or two swapped).
//! - **Cameras** (when the stream is asked for them: [`StreamConfig::plate_share`],
//!   [`StreamConfig::face_share`]). Number-plate reads on roads near towns — 2012-format
//!   plates with the region's code, sometimes with an OCR confusion (8/B, 0/O, 5/S …) or cut
//!   short — and face sightings at stations and airports as 512-d templates, never images.
//!   About a tenth of the wanted have a wanted vehicle ([`Scenario::vehicle_entries`], tied to
//!   the person's entry) and a tenth have three enrolled templates; a configured share of camera
//!   events belongs to them. Faces follow how embeddings behave: frames of one person are
//!   alike (cosine 0.55–0.9 depending on the frame's quality), of different people not (≈ 0).
//! - **Wanted list.** Entries with a legal basis (warrant, court decision or search order,
//!   reference, issuing authority of the region, date), a priority, a category (missing persons
//!   among them) and an expiry; a share of them expired already, so a correct matcher must stay
//!   silent on them. A configured share of events belongs to live wanted persons and a small
//!   share to people whose entry expired; every other event belongs to someone not wanted.
//!
//! ## Determinism
//!
//! Everything is keyed by numbers — (seed, run, event number), (seed, person number) — through a
//! small SplitMix64 stream and Feistel permutation defined in this crate, so the same seed gives
//! the same scenario on every machine and with every version of outside crates, and any event
//! can be derived on its own. [`EventStream::write_ndjson`] writes lines by hand (no serde) fast
//! enough to feed benchmarks (over a million events a second on one core); the iterator gives the
//! same events as [`iz_model::EventInput`] values.
//!
//! ## Where the data comes from
//!
//! `data/names-kk.txt` and `data/names-ru.txt`: the PyPI package `mimesis` 22.2.0
//! (`datasets/kk/person.json`, `datasets/ru/person.json`; MIT, `data/LICENSE-mimesis`),
//! extracted by `data/extract_names.py`. `data/places.tsv`: written by hand from general
//! knowledge of real places; coordinates approximate, checked against the region polygons in
//! `../shared/data/geo/kz-adm1.geojson` by this crate's tests. See `data/SOURCES.md`.

#![deny(clippy::unwrap_used)]

mod cameras;
pub mod drones;
pub mod fraud;
mod json;
pub mod names;
mod people;
mod places;
mod rng;
mod stream;
pub mod supervision;

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, Utc};
use iz_model::{
    Category, Document, DocumentType, LegalBasis, LegalBasisKind, NewWatchEntry, Person, Priority,
    REGIONS, Region, Vehicle, WatchId, WatchKind, WatchLink,
};

pub use places::{PlaceInfo, PlaceKind};
pub use stream::{EXPIRED_HIT_SHARE, EventStream, GeneratedEvent, StreamConfig, Tally, Trace};

use names::Names;
use people::{Citizen, People, REGION_POPULATION, age_in};
use places::Places;
use rng::Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioConfig {
    pub seed: u64,
    /// How many wanted-list entries (at most half the population).
    pub wanted: usize,
    /// The share of entries that expired before `now` (history that must not match).
    pub expired_share: f64,
    /// The share of entries that are missing persons.
    pub missing_share: f64,
    /// How many citizens events are drawn from (at most 2^26, about 67 million).
    pub population: u64,
    /// The share of wanted persons who also have a wanted vehicle ([`Scenario::vehicle_entries`]).
    pub vehicle_share: f64,
    /// The share of wanted persons with enrolled face templates (three each).
    pub face_share: f64,
    /// The dimension of face templates; must equal the server's `[ingest] face_dimension`.
    pub face_dimension: usize,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        ScenarioConfig {
            seed: 1,
            wanted: 10_000,
            expired_share: 0.05,
            missing_share: 0.08,
            population: 5_000_000,
            vehicle_share: 0.1,
            face_share: 0.1,
            face_dimension: 512,
        }
    }
}

/// A generated world: a wanted list, a population and the places they pass through.
/// Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Scenario {
    inner: Arc<Inner>,
}

/// One wanted-list entry as drawn; turned into a [`NewWatchEntry`] against a `now`.
#[derive(Debug, Clone)]
struct WantedSpec {
    /// The citizen's number.
    k: u64,
    expired: bool,
    category: Category,
    priority: Priority,
    basis: LegalBasisKind,
    authority: usize,
    number: u32,
    region: u8,
    /// Live: days from issue to now. Expired: days from issue to expiry.
    issued_days: i64,
    /// Live: days from now to expiry. Expired: days from expiry to now.
    expiry_days: i64,
    expiry_seconds: i64,
    id_card: bool,
    passport: bool,
    /// Enrolled face templates, drawn from the person's seeded identity.
    faces: bool,
}

impl WantedSpec {
    /// When the legal basis was issued and when the entry expires, against `now`.
    fn issued_and_expiry(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        if self.expired {
            let expires_at =
                now - Duration::days(self.expiry_days) - Duration::seconds(self.expiry_seconds);
            (expires_at - Duration::days(self.issued_days), expires_at)
        } else {
            (
                now - Duration::days(self.issued_days),
                now + Duration::days(self.expiry_days) + Duration::seconds(self.expiry_seconds),
            )
        }
    }
}

#[derive(Debug)]
struct Inner {
    config: ScenarioConfig,
    names: Names,
    places: Places,
    people: People,
    regions: Vec<Region>,
    wanted: Vec<WantedSpec>,
    /// One bit per citizen: set for the wanted.
    wanted_bits: Vec<u64>,
    /// Wanted vehicles, each of a wanted person.
    vehicles: Vec<cameras::VehicleSpec>,
    /// Their plates without spaces: a passing car never has one.
    wanted_plates: std::collections::HashSet<String>,
}

impl Inner {
    fn is_wanted(&self, k: u64) -> bool {
        self.wanted_bits
            .get((k / 64) as usize)
            .is_some_and(|w| w & (1 << (k % 64)) != 0)
    }
}

const WANTED: u64 = 0x7761_6e74;

/// Issuing authorities per kind of legal basis; `{P}` is the region ("Almaty", "Karaganda
/// region"), `{C}` its centre.
const WARRANT_AUTHORITIES: [&str; 4] = [
    "Investigation department of {P} police",
    "Anti-corruption service of {P}",
    "Economic investigation department of {P}",
    "Investigation department of {P} police",
];
const COURT_AUTHORITIES: [&str; 3] = [
    "Specialised inter-district criminal court of {C}",
    "{C} city court",
    "Specialised inter-district criminal court of {C}",
];
const SEARCH_AUTHORITIES: [&str; 2] = [
    "Police department of {P}",
    "Criminal police department of {P}",
];

fn authority(kind: LegalBasisKind, index: usize, region: Region) -> String {
    let info = region.info();
    let place = match info.code {
        "KZ-71" | "KZ-75" | "KZ-79" => info.centre.to_string(),
        _ => format!("{} region", info.name_en.trim_end_matches(" Region")),
    };
    let templates: &[&str] = match kind {
        LegalBasisKind::Warrant => &WARRANT_AUTHORITIES,
        LegalBasisKind::CourtDecision => &COURT_AUTHORITIES,
        LegalBasisKind::SearchOrder => &SEARCH_AUTHORITIES,
    };
    templates[index % templates.len()]
        .replace("{P}", &place)
        .replace("{C}", info.centre)
}

/// The first `count` positions of a seeded shuffle of `0..n`, as flags.
fn chosen(r: &mut Rng, n: usize, count: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, r.index(i + 1));
    }
    let mut flags = vec![false; n];
    for &i in order.iter().take(count) {
        flags[i] = true;
    }
    flags
}

impl Scenario {
    /// Builds the scenario for `config`: the same config always gives the same scenario.
    pub fn new(config: ScenarioConfig) -> Scenario {
        let names = Names::load();
        let places = Places::load();
        let people = People::new(config.seed, config.population);
        let population = people.population;
        let n = config.wanted.min((population / 2) as usize);
        let mut r = Rng::new(&[config.seed, WANTED]);
        let share = |s: f64| ((s.clamp(0.0, 1.0) * n as f64).round() as usize).min(n);
        let missing = chosen(&mut r, n, share(config.missing_share));
        let expired = chosen(&mut r, n, share(config.expired_share));
        let mut wanted_bits = vec![0u64; population.div_ceil(64) as usize];
        let mut wanted = Vec::with_capacity(n);
        for i in 0..n {
            let is_missing = missing[i];
            // Missing persons are more often children and the old; those evading justice mostly
            // men of working age. Prefer such people, within a few draws.
            let vulnerable = r.chance(0.6);
            let male = r.chance(0.85);
            let mut pick = None;
            for attempt in 0..64 {
                let k = r.below(population);
                if wanted_bits[(k / 64) as usize] & (1 << (k % 64)) != 0 {
                    continue;
                }
                let c = people.citizen(&names, k);
                let age = age_in(c.birth, 2026);
                let fits = if is_missing {
                    !vulnerable || !(18..70).contains(&age)
                } else {
                    (18..=70).contains(&age) && (c.sex == iz_model::Sex::Male) == male
                };
                if fits || attempt >= 48 {
                    pick = Some((k, c));
                    break;
                }
            }
            let Some((k, c)) = pick else { continue };
            wanted_bits[(k / 64) as usize] |= 1 << (k % 64);
            let category = if is_missing {
                Category::MissingPerson
            } else {
                [
                    Category::EvadingInvestigation,
                    Category::EvadingCourt,
                    Category::EvadingSentence,
                ][r.weighted(&[0.5, 0.2, 0.3])]
            };
            let basis = match category {
                Category::MissingPerson => LegalBasisKind::SearchOrder,
                Category::EvadingInvestigation if r.chance(0.2) => LegalBasisKind::SearchOrder,
                Category::EvadingInvestigation => LegalBasisKind::Warrant,
                Category::EvadingCourt | Category::EvadingSentence => LegalBasisKind::CourtDecision,
            };
            let priority = match category {
                Category::MissingPerson if age_in(c.birth, 2026) < 18 => {
                    if r.chance(0.5) {
                        Priority::Critical
                    } else {
                        Priority::High
                    }
                }
                Category::MissingPerson => {
                    if r.chance(0.6) {
                        Priority::High
                    } else {
                        Priority::Normal
                    }
                }
                _ => [
                    Priority::Low,
                    Priority::Normal,
                    Priority::High,
                    Priority::Critical,
                ][r.weighted(&[0.10, 0.55, 0.28, 0.07])],
            };
            let region = if r.chance(0.85) {
                c.home
            } else {
                r.weighted(&REGION_POPULATION) as u8
            };
            let (issued_days, expiry_days) = if expired[i] {
                (r.range(90, 1_095), r.range(1, 730))
            } else {
                (r.range(1, 1_460), r.range(30, 1_095))
            };
            wanted.push(WantedSpec {
                k,
                expired: expired[i],
                category,
                priority,
                basis,
                authority: r.index(8),
                number: r.range(1, 30_000) as u32,
                region,
                issued_days,
                expiry_days,
                expiry_seconds: r.range(0, 86_399),
                id_card: r.chance(0.9),
                passport: c.passport.is_some() && r.chance(0.7),
                faces: r.chance(config.face_share),
            });
        }
        let owners: Vec<(u32, u8)> = wanted
            .iter()
            .enumerate()
            .map(|(i, w)| (i as u32, w.region))
            .collect();
        let vehicles = cameras::draw_vehicles(config.seed, &owners, config.vehicle_share);
        let wanted_plates = vehicles
            .iter()
            .map(|v| cameras::compact(&v.plate))
            .collect();
        let regions = Region::all().collect();
        Scenario {
            inner: Arc::new(Inner {
                config,
                names,
                places,
                people,
                regions,
                wanted,
                wanted_bits,
                vehicles,
                wanted_plates,
            }),
        }
    }

    pub fn config(&self) -> &ScenarioConfig {
        &self.inner.config
    }

    /// The wanted list, in a fixed order. About `expired_share` of the entries expired before
    /// `now` (history: they must not match); the rest expire 30 days to 3 years after `now`.
    /// Each has a legal basis issued before `now`, a region, priority and category, and the
    /// person: IIN, registry name, birth date, sex and usually an ID card, sometimes a passport.
    /// Pass the same `now` to [`StreamConfig::now`].
    pub fn watch_entries(&self, now: DateTime<Utc>) -> Vec<NewWatchEntry> {
        let inner = &*self.inner;
        inner
            .wanted
            .iter()
            .map(|w| {
                let c = inner.people.citizen(&inner.names, w.k);
                let (issued, expires_at) = w.issued_and_expiry(now);
                let faces = if w.faces {
                    cameras::enrolled_templates(inner.config.seed, w.k, inner.config.face_dimension)
                        .into_iter()
                        .map(Into::into)
                        .collect()
                } else {
                    Vec::new()
                };
                NewWatchEntry {
                    kind: WatchKind::Wanted,
                    person: self.registry_person(&c, w),
                    legal_basis: self.legal_basis(w, issued.date_naive()),
                    expires_at,
                    region: inner.regions[usize::from(w.region)],
                    priority: w.priority,
                    category: w.category,
                    vehicle: None,
                    link: None,
                    faces,
                }
            })
            .collect()
    }

    fn legal_basis(&self, w: &WantedSpec, issued_on: chrono::NaiveDate) -> LegalBasis {
        let prefix = match w.basis {
            LegalBasisKind::Warrant => "W",
            LegalBasisKind::CourtDecision => "CD",
            LegalBasisKind::SearchOrder => "SO",
        };
        LegalBasis {
            kind: w.basis,
            reference: format!("{prefix}-{}-{:06}", issued_on.year(), w.number),
            authority: authority(
                w.basis,
                w.authority,
                self.inner.regions[usize::from(w.region)],
            ),
            issued_on,
        }
    }

    /// The wanted vehicles: one entry per vehicle, under the legal basis and expiry of the
    /// person's entry it is tied to. `person_ids` are the ids the store gave the entries of
    /// [`Scenario::watch_entries`], in the same order; the link then names the person's entry,
    /// else only the case (the legal basis's reference). Index `j` here is what
    /// [`GeneratedEvent::vehicle`] points at.
    pub fn vehicle_entries(
        &self,
        now: DateTime<Utc>,
        person_ids: Option<&[WatchId]>,
    ) -> Vec<NewWatchEntry> {
        // The owner's spec alone: building the person entries (names, templates) is not needed.
        self.inner
            .vehicles
            .iter()
            .filter_map(|v| {
                let i = v.wanted as usize;
                let owner = self.inner.wanted.get(i)?;
                let (issued, expires_at) = owner.issued_and_expiry(now);
                let legal_basis = self.legal_basis(owner, issued.date_naive());
                Some(NewWatchEntry {
                    kind: WatchKind::Vehicle,
                    person: Person::default(),
                    expires_at,
                    region: self.inner.regions[usize::from(owner.region)],
                    priority: owner.priority,
                    category: owner.category,
                    vehicle: Some(Vehicle {
                        plate: v.plate.clone(),
                        description: Some(v.description.to_string()),
                    }),
                    link: Some(WatchLink {
                        watch_id: person_ids.and_then(|ids| ids.get(i)).copied(),
                        case_reference: Some(legal_basis.reference.clone()),
                    }),
                    legal_basis,
                    faces: Vec::new(),
                })
            })
            .collect()
    }

    fn registry_person(&self, c: &Citizen, w: &WantedSpec) -> Person {
        let inner = &*self.inner;
        let mut name = Vec::new();
        stream::name_text(
            &inner.names,
            &stream::Who::Citizen(c.clone()),
            stream::NameStyle::Registry,
            &mut name,
        );
        let mut documents = Vec::new();
        if w.id_card {
            documents.push(Document {
                doc_type: DocumentType::IdCard,
                number: format!("0{:08}", c.id_card),
                country: None,
            });
        }
        if let (true, Some(p)) = (w.passport, c.passport) {
            documents.push(Document {
                doc_type: DocumentType::Passport,
                number: format!("N{p:08}"),
                country: None,
            });
        }
        Person {
            iin: Some(c.iin),
            documents,
            names: vec![String::from_utf8_lossy(&name).into_owned()],
            birth_date: Some(c.birth),
            sex: Some(c.sex),
        }
    }

    /// Whether entry `index` of [`Scenario::watch_entries`] is one of the expired ones.
    pub fn is_expired(&self, index: usize) -> bool {
        self.inner.wanted.get(index).is_some_and(|w| w.expired)
    }

    /// An endless stream of events; see [`StreamConfig`].
    pub fn events(&self, stream: StreamConfig) -> EventStream {
        EventStream::new(Arc::clone(&self.inner), stream)
    }

    /// The places events happen at.
    pub fn places(&self) -> &[PlaceInfo] {
        &self.inner.places.info
    }
}

/// The twenty regions' centres, in the order of [`REGIONS`] (used for destinations).
fn centre(region: usize) -> &'static str {
    REGIONS[region % REGIONS.len()].centre
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities_name_the_region() {
        let almaty = Region::parse("KZ-75").expect("region");
        assert_eq!(
            authority(LegalBasisKind::Warrant, 0, almaty),
            "Investigation department of Almaty police"
        );
        let astana = Region::parse("KZ-71").expect("region");
        assert_eq!(
            authority(LegalBasisKind::CourtDecision, 0, astana),
            "Specialised inter-district criminal court of Astana"
        );
        let almaty_region = Region::parse("KZ-19").expect("region");
        assert_eq!(
            authority(LegalBasisKind::SearchOrder, 0, almaty_region),
            "Police department of Almaty region"
        );
    }
}
