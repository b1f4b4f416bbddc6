//! The event stream. Event `n` of run `r` is drawn from its own random stream keyed by
//! (seed, r, n) into a [`Draft`] — who, where, which identifiers and how they are written — and
//! the draft is then rendered either as an NDJSON line (by hand, the fast path) or as an
//! [`EventInput`]. Both renderings share the writers of every text field, so they agree.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use iz_model::{DocumentInput, EventInput, EventKind, PersonInput, Place, Sex};
use serde_json::value::RawValue;

use crate::cameras::{self, Subject, Targets};
use crate::names::{Names, kazakh_latin_2021, russian_letter};
use crate::people::{Citizen, FOREIGNERS, Foreigner, REGION_CUMULATIVE};
use crate::places::{E4, PlaceKind, e4_to_f64};
use crate::rng::{Rng, cumulative};
use crate::{Inner, centre, json};

/// The share of events that belong to people whose wanted entry has expired: the matcher must
/// stay silent on them.
pub const EXPIRED_HIT_SHARE: f64 = 0.0001;

/// How to run the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamConfig {
    /// Goes into every event id (`egov-<run>-<n>`), so ids are unique across runs.
    pub run: u64,
    /// The time of the first event.
    pub start: DateTime<Utc>,
    /// Events per second of event time: `occurred_at` advances by `1 / rate_per_s`.
    pub rate_per_s: f64,
    /// The share of events that belong to live wanted persons (e.g. 0.001).
    pub hit_share: f64,
    /// The time the wanted list was made for: pass the `now` given to `watch_entries`. Which
    /// entries are live at that time is fixed by the seed (the expired share), so hits go to
    /// entries live at `now`; events should stay within 30 days of it, the shortest time a live
    /// entry has left.
    pub now: DateTime<Utc>,
    /// The share of events that are number-plate camera reads (0 for registry traffic only).
    pub plate_share: f64,
    /// The share of events that are face sightings by cameras at stations and airports.
    pub face_share: f64,
    /// The share of camera events that belong to a live wanted vehicle or person with enrolled
    /// templates (cameras see far more people than registries, so it has its own share).
    pub camera_hit_share: f64,
}

impl StreamConfig {
    /// Registry traffic only: no camera events.
    pub fn registry(
        run: u64,
        start: DateTime<Utc>,
        rate_per_s: f64,
        hit_share: f64,
        now: DateTime<Utc>,
    ) -> Self {
        StreamConfig {
            run,
            start,
            rate_per_s,
            hit_share,
            now,
            plate_share: 0.0,
            face_share: 0.0,
            camera_hit_share: 0.0,
        }
    }
}

/// How an event gives away the wanted person or vehicle it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trace {
    /// An IIN or a document number of the entry.
    Identifier,
    /// Only a name and a birth date, as a hotel book writes them: possibly in another script,
    /// with a typo or the given name first.
    Name,
    /// A number-plate read of the wanted vehicle (possibly misread or partial).
    Plate,
    /// A face template from a camera.
    Face,
}

/// What [`EventStream::write_ndjson`] wrote: how many events, and how many of them belong to a
/// live wanted person or vehicle, by the trace that gives them away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub events: usize,
    pub by_identifier: usize,
    pub by_name: usize,
    pub by_plate: usize,
    pub by_face: usize,
}

impl Tally {
    /// Events of live wanted persons and vehicles, whatever the trace.
    pub fn hits(&self) -> usize {
        self.by_identifier + self.by_name + self.by_plate + self.by_face
    }

    fn count(&mut self, trace: Option<Trace>) {
        self.events += 1;
        match trace {
            Some(Trace::Identifier) => self.by_identifier += 1,
            Some(Trace::Name) => self.by_name += 1,
            Some(Trace::Plate) => self.by_plate += 1,
            Some(Trace::Face) => self.by_face += 1,
            None => {}
        }
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.events += o.events;
        self.by_identifier += o.by_identifier;
        self.by_name += o.by_name;
        self.by_plate += o.by_plate;
        self.by_face += o.by_face;
    }
}

/// One generated event and whom it belongs to.
#[derive(Debug, Clone)]
pub struct GeneratedEvent {
    pub input: EventInput,
    /// Index into `watch_entries()` of the live wanted person this event belongs to, if any
    /// (a face sighting of them included).
    pub wanted: Option<usize>,
    /// Index into `vehicle_entries()` of the live wanted vehicle a plate read belongs to.
    pub vehicle: Option<usize>,
    /// How the event gives its wanted person or vehicle away; `None` when it has none.
    pub trace: Option<Trace>,
    /// Index of the expired entry whose person this event belongs to, if any: no alert must
    /// follow from it.
    pub expired: Option<usize>,
}

const STREAM: u64 = 0x7374_7265;

/// The kinds of event the scenario writes: a person shows papers (IIN, documents, names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PaperKind {
    ServiceRequest,
    Ticket,
    HotelRegistration,
    BorderCrossing,
    DocumentCheck,
}

impl PaperKind {
    fn event_kind(self) -> EventKind {
        match self {
            PaperKind::ServiceRequest => EventKind::ServiceRequest,
            PaperKind::Ticket => EventKind::Ticket,
            PaperKind::HotelRegistration => EventKind::HotelRegistration,
            PaperKind::BorderCrossing => EventKind::BorderCrossing,
            PaperKind::DocumentCheck => EventKind::DocumentCheck,
        }
    }
}

const KINDS: [PaperKind; 5] = [
    PaperKind::ServiceRequest,
    PaperKind::Ticket,
    PaperKind::HotelRegistration,
    PaperKind::DocumentCheck,
    PaperKind::BorderCrossing,
];
const KIND_WEIGHTS: [f64; 5] = cumulative([0.40, 0.25, 0.15, 0.15, 0.05]);

/// Who sent the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Egov,
    Con,
    Rail,
    Air,
    Bus,
    Hotels,
    Border,
    Patrol,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Egov => "egov",
            Source::Con => "con",
            Source::Rail => "rail",
            Source::Air => "air",
            Source::Bus => "bus",
            Source::Hotels => "hotels",
            Source::Border => "border",
            Source::Patrol => "patrol",
        }
    }
}

/// The airports with border control, by IATA code.
const INTERNATIONAL: [&str; 9] = [
    "ALA", "NQZ", "CIT", "SCO", "GUW", "AKX", "UKK", "HSA", "KGF",
];

const SERVICES: [&str; 10] = [
    "id_card_replacement",
    "address_registration",
    "certificate_of_no_criminal_record",
    "vehicle_registration",
    "driving_licence",
    "passport_issue",
    "pension_application",
    "birth_registration",
    "marriage_registration",
    "property_registration",
];
const TRAIN_LETTERS: [&str; 4] = ["Х", "Т", "Ц", "С"];
const AIRLINES: [&str; 4] = ["KC", "DV", "IQ", "FS"];
const CHECK_REASONS: [&str; 4] = ["routine", "traffic_stop", "public_event", "call_response"];
const BORDER_TRANSPORT: [&str; 4] = ["car", "bus", "train", "foot"];

/// The person an event is about.
#[derive(Debug, Clone)]
pub(crate) enum Who {
    Citizen(Citizen),
    Foreigner(Foreigner),
}

/// How a name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameStyle {
    /// Surname, given name, patronymic: `Асанов Ерлан Серікұлы`.
    Registry,
    /// The same with Kazakh letters in Russian spelling: `Асанов Ерлан Серикулы`.
    RegistryRussian,
    /// Surname and given name.
    Short,
    /// Given name first: `Ерлан Асанов`.
    GivenFirst,
    /// Passport Latin: `ASANOV ERLAN`.
    Latin,
    /// Kazakh Latin of 2021, in full: `Asanov Erlan Serıkūly`.
    KazakhLatin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocKind {
    IdCard,
    Passport,
    Foreign,
}

/// How a document number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocStyle {
    Plain,
    /// `041 234 567`, `N 1234 5678`, `75 1234567`.
    Spaced,
    /// `№041234567`.
    NumberSign,
    /// `n12345678`.
    Lower,
    /// `Н12345678`: the Cyrillic letter En for the Latin N, as typed on a Cyrillic keyboard.
    CyrillicN,
    /// `N1234-5678`.
    Dashed,
}

#[derive(Debug, Clone, Copy)]
struct Doc {
    kind: DocKind,
    style: DocStyle,
}

/// Which identifiers the event shows.
#[derive(Debug, Clone, Default)]
struct Show {
    iin: bool,
    docs: [Option<Doc>; 2],
    names: Option<NameStyle>,
    /// A slip of the pen in the surname: which letter (modulo its length) and how.
    typo: Option<(u8, Slip)>,
    birth: bool,
    sex: bool,
}

/// A one-letter slip in a hand-written name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slip {
    /// A letter left out.
    Dropped,
    /// A letter written twice.
    Doubled,
    /// Two neighbouring letters swapped.
    Swapped,
}

#[derive(Debug, Clone, Copy)]
enum PlaceDraft {
    None,
    Region(u8),
    At {
        region: u8,
        lat: E4,
        lon: E4,
        office: Option<&'static str>,
    },
}

#[derive(Debug, Clone, Copy)]
enum Payload {
    Service(&'static str),
    Rail {
        train: u16,
        letter: &'static str,
        car: u8,
        seat: u8,
        to: &'static str,
    },
    Air {
        airline: &'static str,
        flight: u16,
        row: u8,
        seat: u8,
        to: &'static str,
    },
    Bus {
        seat: u8,
        to: &'static str,
    },
    Hotel {
        room: u16,
        nights: u8,
    },
    Border {
        direction: &'static str,
        transport: &'static str,
    },
    Check {
        reason: &'static str,
    },
}

/// Everything about one event, before it is written.
#[derive(Debug, Clone)]
struct Draft {
    n: u64,
    kind: PaperKind,
    source: Source,
    t_us: i64,
    place: PlaceDraft,
    who: Who,
    show: Show,
    payload: Payload,
    wanted: Option<u32>,
    expired: Option<u32>,
}

impl Draft {
    fn trace(&self) -> Option<Trace> {
        self.wanted?;
        Some(
            if self.show.iin || self.show.docs.iter().any(Option::is_some) {
                Trace::Identifier
            } else {
                Trace::Name
            },
        )
    }
}

fn camera_trace(subject: Subject) -> Option<Trace> {
    match subject {
        Subject::Nobody => None,
        Subject::Vehicle(_) => Some(Trace::Plate),
        Subject::Person(_) => Some(Trace::Face),
    }
}

/// The share of citizens' hotel registrations that a guest book records by name and birth date
/// alone, without a document number.
const NAME_ONLY_HOTEL_SHARE: f64 = 0.25;

/// Reusable buffers and the formatted second of the last timestamp.
#[derive(Debug)]
struct Work {
    text: Vec<u8>,
    second: i64,
    second_text: Vec<u8>,
}

/// An endless stream of events; an [`Iterator`] of [`GeneratedEvent`]s and a fast NDJSON writer
/// that continue the same sequence.
#[derive(Debug)]
pub struct EventStream {
    inner: Arc<Inner>,
    config: StreamConfig,
    next: u64,
    live: Vec<u32>,
    expired: Vec<u32>,
    targets: Targets,
    start_us: i64,
    step_us: f64,
    work: Work,
}

impl EventStream {
    pub(crate) fn new(inner: Arc<Inner>, config: StreamConfig) -> Self {
        let (mut live, mut expired) = (Vec::new(), Vec::new());
        for (i, w) in inner.wanted.iter().enumerate() {
            if w.expired {
                expired.push(i as u32)
            } else {
                live.push(i as u32)
            }
        }
        let targets = Targets {
            vehicles: (0..inner.vehicles.len() as u32)
                .filter(|&v| !inner.wanted[inner.vehicles[v as usize].wanted as usize].expired)
                .collect(),
            faces: live
                .iter()
                .copied()
                .filter(|&i| inner.wanted[i as usize].faces)
                .collect(),
        };
        let rate = if config.rate_per_s.is_finite() && config.rate_per_s > 0.0 {
            config.rate_per_s
        } else {
            1.0
        };
        EventStream {
            start_us: config.start.timestamp_micros(),
            step_us: 1e6 / rate,
            inner,
            config,
            next: 0,
            live,
            expired,
            targets,
            work: Work {
                text: Vec::with_capacity(256),
                second: i64::MIN,
                second_text: Vec::with_capacity(20),
            },
        }
    }

    /// The number of the next event.
    pub fn position(&self) -> u64 {
        self.next
    }

    /// Appends the next `n` events to `out` as NDJSON lines (each ends with `\n`); says how
    /// many of them belong to live wanted persons and vehicles, and by which trace.
    pub fn write_ndjson(&mut self, n: usize, out: &mut Vec<u8>) -> Tally {
        let mut tally = Tally::default();
        for _ in 0..n {
            let n = self.next;
            self.next += 1;
            if let Some(camera) = self.camera(n) {
                tally.count(camera_trace(camera.subject));
                // Serialising our own plain struct cannot fail.
                let _ = serde_json::to_writer(&mut *out, &camera.input);
            } else {
                let draft = self.draft(n);
                tally.count(draft.trace());
                render_json(&self.inner, &self.config, &mut self.work, &draft, out);
            }
            out.push(b'\n');
        }
        tally
    }

    fn t_us(&self, n: u64) -> i64 {
        self.start_us
            .saturating_add((n as f64 * self.step_us) as i64)
    }

    fn camera(&self, n: u64) -> Option<cameras::CameraEvent> {
        cameras::camera_event(&self.inner, &self.config, &self.targets, n, self.t_us(n))
    }

    fn draft(&self, n: u64) -> Draft {
        let inner = &*self.inner;
        let mut r = Rng::new(&[inner.config.seed, STREAM, self.config.run, n]);
        let t_us = self.t_us(n);
        let u = r.unit();
        let (k, wanted, expired) = if u < self.config.hit_share && !self.live.is_empty() {
            let i = self.live[r.index(self.live.len())];
            (Some(inner.wanted[i as usize].k), Some(i), None)
        } else if u < self.config.hit_share + EXPIRED_HIT_SHARE && !self.expired.is_empty() {
            let i = self.expired[r.index(self.expired.len())];
            (Some(inner.wanted[i as usize].k), None, Some(i))
        } else {
            (None, None, None)
        };
        let kind = KINDS[r.pick(&KIND_WEIGHTS)];
        let source = match kind {
            PaperKind::ServiceRequest => {
                if r.chance(0.6) {
                    Source::Egov
                } else {
                    Source::Con
                }
            }
            PaperKind::Ticket => {
                [Source::Rail, Source::Air, Source::Bus][r.weighted(&[0.55, 0.25, 0.20])]
            }
            PaperKind::HotelRegistration => Source::Hotels,
            PaperKind::BorderCrossing => Source::Border,
            PaperKind::DocumentCheck => Source::Patrol,
        };
        let foreign_share = match kind {
            PaperKind::ServiceRequest => 0.0,
            PaperKind::Ticket => 0.03,
            PaperKind::HotelRegistration => 0.15,
            PaperKind::DocumentCheck => 0.05,
            PaperKind::BorderCrossing => 0.35,
        };
        let (who, listed) = match k {
            Some(k) => {
                let c = inner.people.citizen(&inner.names, k);
                let spec = &inner.wanted[wanted.or(expired).unwrap_or_default() as usize];
                let listed = (spec.id_card, spec.passport && c.passport.is_some());
                (Who::Citizen(c), listed)
            }
            None if r.chance(foreign_share) => (
                Who::Foreigner(inner.people.foreigner(&inner.names, r.below(FOREIGNERS))),
                (false, false),
            ),
            None => {
                let population = inner.people.population;
                let mut k = r.below(population);
                while inner.is_wanted(k) {
                    k = r.below(population);
                }
                let c = inner.people.citizen(&inner.names, k);
                let listed = (true, c.passport.is_some());
                (Who::Citizen(c), listed)
            }
        };
        let home = match &who {
            Who::Citizen(c) => usize::from(c.home),
            Who::Foreigner(_) => r.pick(&REGION_CUMULATIVE),
        };
        let place = self.place(&mut r, kind, source, home);
        let show = match &who {
            Who::Citizen(c) => citizen_show(&mut r, kind, source, c, listed),
            Who::Foreigner(_) => foreigner_show(&mut r, kind, source),
        };
        let payload = self.payload(&mut r, kind, source, &place);
        Draft {
            n,
            kind,
            source,
            t_us,
            place,
            who,
            show,
            payload,
            wanted,
            expired,
        }
    }

    /// Where: a place of the source's kind, in the person's home region with a probability that
    /// depends on the kind (people travel to hotels, not to their CON).
    fn place(&self, r: &mut Rng, kind: PaperKind, source: Source, home: usize) -> PlaceDraft {
        let places = &self.inner.places;
        let home_share = match kind {
            PaperKind::ServiceRequest => 0.9,
            PaperKind::Ticket => 0.75,
            PaperKind::HotelRegistration => 0.3,
            PaperKind::DocumentCheck => 0.8,
            PaperKind::BorderCrossing => 0.0,
        };
        let region = if r.chance(home_share) {
            home
        } else {
            r.pick(&REGION_CUMULATIVE)
        };
        let at = |r: &mut Rng, kind: PlaceKind, region: usize| {
            let local = places.in_region(kind, region);
            let list = if local.is_empty() {
                places.of_kind(kind)
            } else {
                local
            };
            usize::from(list[r.index(list.len())])
        };
        let full = |i: usize, office: bool| {
            let (lat, lon) = places.e4[i];
            PlaceDraft::At {
                region: places.region_index[i],
                lat,
                lon,
                office: office.then_some(places.info[i].name),
            }
        };
        match source {
            Source::Egov => {
                if r.chance(0.9) {
                    PlaceDraft::Region(region as u8)
                } else {
                    PlaceDraft::None
                }
            }
            Source::Con => full(at(r, PlaceKind::Con, region), true),
            Source::Rail => full(at(r, PlaceKind::Station, region), true),
            Source::Air => full(at(r, PlaceKind::Airport, region), true),
            Source::Bus => full(at(r, PlaceKind::BusStation, region), true),
            Source::Hotels => full(at(r, PlaceKind::Hotel, region), true),
            Source::Border => {
                if r.chance(0.25) {
                    let code = INTERNATIONAL[r.index(INTERNATIONAL.len())];
                    let airport = places
                        .of_kind(PlaceKind::Airport)
                        .iter()
                        .map(|&i| usize::from(i))
                        .find(|&i| places.info[i].iata() == Some(code));
                    match airport {
                        Some(i) => full(i, true),
                        None => full(at(r, PlaceKind::BorderPost, region), true),
                    }
                } else {
                    let posts = places.of_kind(PlaceKind::BorderPost);
                    full(usize::from(posts[r.index(posts.len())]), true)
                }
            }
            Source::Patrol => {
                // A street near a town's public-service centre, within about 700 metres (so that
                // even the towns at a border or the sea stay on land in their region).
                let i = at(r, PlaceKind::Con, region);
                let (lat, lon) = places.e4[i];
                let (dlat, dlon) = (r.range(-60, 60) as E4, r.range(-80, 80) as E4);
                PlaceDraft::At {
                    region: places.region_index[i],
                    lat: lat + dlat,
                    lon: lon + dlon,
                    office: None,
                }
            }
        }
    }

    fn payload(&self, r: &mut Rng, kind: PaperKind, source: Source, place: &PlaceDraft) -> Payload {
        let here = match place {
            PlaceDraft::At { region, .. } | PlaceDraft::Region(region) => usize::from(*region),
            PlaceDraft::None => 0,
        };
        let elsewhere = |r: &mut Rng| {
            let other = r.pick(&REGION_CUMULATIVE);
            centre(if other == here { other + 1 } else { other })
        };
        match (kind, source) {
            (PaperKind::ServiceRequest, _) => Payload::Service(SERVICES[r.index(SERVICES.len())]),
            (PaperKind::Ticket, Source::Rail) => Payload::Rail {
                train: r.range(1, 380) as u16,
                letter: TRAIN_LETTERS[r.index(TRAIN_LETTERS.len())],
                car: r.range(1, 18) as u8,
                seat: r.range(1, 54) as u8,
                to: elsewhere(r),
            },
            (PaperKind::Ticket, Source::Air) => {
                let airports = self.inner.places.of_kind(PlaceKind::Airport);
                let to = self.inner.places.info[usize::from(airports[r.index(airports.len())])]
                    .iata()
                    .unwrap_or("ALA");
                Payload::Air {
                    airline: AIRLINES[r.index(AIRLINES.len())],
                    flight: r.range(100, 999) as u16,
                    row: r.range(1, 32) as u8,
                    seat: b"ABCDEF"[r.index(6)],
                    to,
                }
            }
            (PaperKind::Ticket, _) => Payload::Bus {
                seat: r.range(1, 49) as u8,
                to: elsewhere(r),
            },
            (PaperKind::HotelRegistration, _) => Payload::Hotel {
                room: (r.range(1, 12) * 100 + r.range(1, 40)) as u16,
                nights: r.range(1, 7) as u8,
            },
            (PaperKind::BorderCrossing, _) => {
                let at_airport = matches!(place, PlaceDraft::At { office: Some(name), .. } if name.contains("airport"));
                Payload::Border {
                    direction: if r.chance(0.5) { "in" } else { "out" },
                    transport: if at_airport {
                        "air"
                    } else {
                        BORDER_TRANSPORT[r.weighted(&[0.55, 0.2, 0.15, 0.1])]
                    },
                }
            }
            (PaperKind::DocumentCheck, _) => Payload::Check {
                reason: CHECK_REASONS[r.weighted(&[0.6, 0.25, 0.1, 0.05])],
            },
        }
    }
}

/// A hand-written document number: mostly as printed, sometimes with spaces, `№`, a dash, a
/// lower-case or a Cyrillic letter.
fn handwritten(r: &mut Rng, kind: DocKind) -> DocStyle {
    match kind {
        DocKind::IdCard => {
            [DocStyle::Plain, DocStyle::Spaced, DocStyle::NumberSign][r.weighted(&[0.7, 0.2, 0.1])]
        }
        DocKind::Passport => [
            DocStyle::Plain,
            DocStyle::Spaced,
            DocStyle::Lower,
            DocStyle::CyrillicN,
            DocStyle::Dashed,
        ][r.weighted(&[0.6, 0.15, 0.1, 0.1, 0.05])],
        DocKind::Foreign => [DocStyle::Plain, DocStyle::Spaced][r.weighted(&[0.8, 0.2])],
    }
}

/// What a citizen's event shows. `listed` says which of their documents an event may carry
/// alone: for a wanted person only those on the entry, so that every event that belongs to a
/// wanted person carries an identifier of the entry.
fn citizen_show(
    r: &mut Rng,
    kind: PaperKind,
    source: Source,
    c: &Citizen,
    listed: (bool, bool),
) -> Show {
    let has_passport = c.passport.is_some();
    let mut show = Show::default();
    // A document shown alone, without the IIN.
    let mut alone: Option<Doc> = None;
    match (kind, source) {
        (PaperKind::ServiceRequest, _) => {
            show.iin = true;
            if source == Source::Con && r.chance(0.3) {
                show.names = Some(NameStyle::Registry);
            }
        }
        (PaperKind::Ticket, Source::Rail) => {
            show.names = Some(if r.chance(0.8) {
                NameStyle::Short
            } else {
                NameStyle::Registry
            });
            show.birth = r.chance(0.3);
            if r.chance(0.15) {
                alone = Some(Doc {
                    kind: DocKind::IdCard,
                    style: DocStyle::Plain,
                });
            } else {
                show.iin = true;
            }
        }
        (PaperKind::Ticket, Source::Air) => {
            show.names = Some(NameStyle::Latin);
            show.birth = r.chance(0.6);
            show.iin = r.chance(0.7);
            let passport = has_passport && r.chance(0.3);
            let doc = Doc {
                kind: if passport {
                    DocKind::Passport
                } else {
                    DocKind::IdCard
                },
                style: DocStyle::Plain,
            };
            if show.iin {
                show.docs[0] = Some(doc)
            } else {
                alone = Some(doc)
            }
        }
        (PaperKind::Ticket, _) => {
            show.names = r.chance(0.5).then_some(NameStyle::Short);
            if r.chance(0.3) {
                alone = Some(Doc {
                    kind: DocKind::IdCard,
                    style: DocStyle::Plain,
                });
            } else {
                show.iin = true;
            }
        }
        (PaperKind::HotelRegistration, _) if r.chance(NAME_ONLY_HOTEL_SHARE) => {
            // A guest book filled in by hand: a name in whatever script the clerk or the guest
            // chose, sometimes with a slip of the pen, and a birth date; no document number.
            show.names = Some(
                [
                    NameStyle::Registry,
                    NameStyle::RegistryRussian,
                    NameStyle::GivenFirst,
                    NameStyle::Latin,
                    NameStyle::KazakhLatin,
                ][r.weighted(&[0.3, 0.2, 0.15, 0.15, 0.2])],
            );
            if r.chance(0.25) {
                let slip = [Slip::Dropped, Slip::Doubled, Slip::Swapped][r.index(3)];
                show.typo = Some((r.index(256) as u8, slip));
            }
            show.birth = true;
            show.sex = r.chance(0.3);
            return show;
        }
        (PaperKind::HotelRegistration, _) => {
            show.names = Some(
                [
                    NameStyle::Registry,
                    NameStyle::RegistryRussian,
                    NameStyle::GivenFirst,
                    NameStyle::Short,
                ][r.weighted(&[0.5, 0.15, 0.15, 0.2])],
            );
            show.birth = r.chance(0.9);
            show.sex = r.chance(0.3);
            match r.weighted(&[0.7, 0.2, 0.1]) {
                0 => show.iin = true,
                1 => {
                    alone = Some(Doc {
                        kind: DocKind::IdCard,
                        style: handwritten(r, DocKind::IdCard),
                    })
                }
                _ if has_passport => {
                    alone = Some(Doc {
                        kind: DocKind::Passport,
                        style: handwritten(r, DocKind::Passport),
                    })
                }
                _ => {
                    alone = Some(Doc {
                        kind: DocKind::IdCard,
                        style: handwritten(r, DocKind::IdCard),
                    })
                }
            }
        }
        (PaperKind::DocumentCheck, _) => {
            show.names = r.chance(0.2).then_some(NameStyle::Registry);
            match r.weighted(&[0.5, 0.2, 0.3]) {
                0 => show.iin = true,
                1 => {
                    show.iin = true;
                    show.docs[0] = Some(Doc {
                        kind: DocKind::IdCard,
                        style: DocStyle::Plain,
                    });
                }
                _ => {
                    alone = Some(Doc {
                        kind: DocKind::IdCard,
                        style: handwritten(r, DocKind::IdCard),
                    })
                }
            }
        }
        (PaperKind::BorderCrossing, _) => {
            show.names = Some(NameStyle::Latin);
            show.birth = r.chance(0.5);
            show.sex = r.chance(0.5);
            show.iin = r.chance(0.8);
            // Citizens travel to Russia and Kyrgyzstan on their ID card, elsewhere on a passport.
            let doc = Doc {
                kind: if has_passport {
                    DocKind::Passport
                } else {
                    DocKind::IdCard
                },
                style: DocStyle::Plain,
            };
            if show.iin {
                show.docs[0] = Some(doc)
            } else {
                alone = Some(doc)
            }
        }
    }
    if let Some(doc) = alone {
        let allowed = match doc.kind {
            DocKind::IdCard => listed.0,
            DocKind::Passport => listed.1,
            DocKind::Foreign => false,
        };
        if allowed {
            show.docs[0] = Some(doc);
        } else {
            // This document is not on the entry: the source also took the IIN.
            show.iin = true;
            show.docs[0] = Some(Doc {
                style: DocStyle::Plain,
                ..doc
            });
        }
    }
    show
}

/// A foreign visitor shows a foreign passport and a Latin name.
fn foreigner_show(r: &mut Rng, kind: PaperKind, source: Source) -> Show {
    let style = if kind == PaperKind::HotelRegistration {
        handwritten(r, DocKind::Foreign)
    } else {
        DocStyle::Plain
    };
    Show {
        iin: false,
        docs: [
            Some(Doc {
                kind: DocKind::Foreign,
                style,
            }),
            None,
        ],
        names: Some(if kind == PaperKind::HotelRegistration && r.chance(0.2) {
            NameStyle::GivenFirst
        } else {
            NameStyle::Latin
        }),
        birth: match (kind, source) {
            (PaperKind::HotelRegistration, _) => r.chance(0.9),
            (_, Source::Air) => r.chance(0.6),
            (PaperKind::BorderCrossing, _) => r.chance(0.7),
            _ => false,
        },
        typo: None,
        sex: kind == PaperKind::BorderCrossing && r.chance(0.5),
    }
}

/// Writes a person's name in the given style.
pub(crate) fn name_text(names: &Names, who: &Who, style: NameStyle, out: &mut Vec<u8>) {
    match who {
        Who::Citizen(c) => {
            let lang = c.lang(names);
            let female = usize::from(c.sex == Sex::Female);
            let surname = &lang.surnames[usize::from(c.surname)][female];
            let given = &(if female == 1 {
                &lang.female
            } else {
                &lang.male
            })[usize::from(c.given)];
            let patronymic = &lang.patronymics[usize::from(c.father)][female];
            match style {
                NameStyle::Registry => {
                    push_words(out, &[&surname.cyr, &given.cyr, patronymic]);
                }
                NameStyle::RegistryRussian => {
                    let start = out.len();
                    push_words(out, &[&surname.cyr, &given.cyr, patronymic]);
                    if c.kazakh {
                        let written = String::from_utf8_lossy(&out[start..])
                            .chars()
                            .map(russian_letter)
                            .collect::<String>();
                        out.truncate(start);
                        out.extend_from_slice(written.as_bytes());
                    }
                }
                NameStyle::Short => push_words(out, &[&surname.cyr, &given.cyr]),
                NameStyle::GivenFirst => push_words(out, &[&given.cyr, &surname.cyr]),
                NameStyle::Latin => push_words(out, &[&surname.lat, &given.lat]),
                NameStyle::KazakhLatin => {
                    let cyrillic = [&*surname.cyr, &*given.cyr, &**patronymic].join(" ");
                    out.extend_from_slice(kazakh_latin_2021(&cyrillic).as_bytes());
                }
            }
        }
        Who::Foreigner(f) => {
            let lang = f.lang(names);
            let female = usize::from(f.sex == Sex::Female);
            let surname = &lang.surnames[usize::from(f.surname)][female];
            let given = &(if female == 1 {
                &lang.female
            } else {
                &lang.male
            })[usize::from(f.given)];
            match style {
                NameStyle::GivenFirst => push_words(out, &[&given.lat, &surname.lat]),
                _ => push_words(out, &[&surname.lat, &given.lat]),
            }
        }
    }
}

/// Writes a person's name as an event shows it: in its style, with the slip of the pen if any
/// (in the first word, never its first letter, so that the name stays recognisable).
fn written_name(names: &Names, who: &Who, show: &Show, out: &mut Vec<u8>) {
    let Some(style) = show.names else { return };
    let start = out.len();
    name_text(names, who, style, out);
    let Some((at, slip)) = show.typo else { return };
    let text = String::from_utf8_lossy(&out[start..]).into_owned();
    let mut words = text.splitn(2, ' ');
    let first: Vec<char> = words.next().unwrap_or_default().chars().collect();
    let rest = words.next();
    if first.len() < 4 {
        return;
    }
    // A position from 1 to len - 2: keeps the first and last letters.
    let i = 1 + usize::from(at) % (first.len() - 2);
    let mut slipped = first.clone();
    match slip {
        Slip::Dropped => {
            slipped.remove(i);
        }
        Slip::Doubled => slipped.insert(i, first[i]),
        Slip::Swapped => slipped.swap(i, i + 1),
    }
    out.truncate(start);
    out.extend_from_slice(slipped.into_iter().collect::<String>().as_bytes());
    if let Some(rest) = rest {
        out.push(b' ');
        out.extend_from_slice(rest.as_bytes());
    }
}

fn push_words(out: &mut Vec<u8>, words: &[&str]) {
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(w.as_bytes());
    }
}

/// Writes a document number as the source wrote it.
fn doc_text(who: &Who, doc: Doc, out: &mut Vec<u8>) {
    let mut digits = Vec::with_capacity(10);
    match (who, doc.kind) {
        (Who::Citizen(c), DocKind::IdCard) => {
            json::fixed(&mut digits, u64::from(c.id_card), 9);
            match doc.style {
                DocStyle::Spaced => {
                    for (i, chunk) in digits.chunks(3).enumerate() {
                        if i > 0 {
                            out.push(b' ');
                        }
                        out.extend_from_slice(chunk);
                    }
                }
                DocStyle::NumberSign => {
                    out.extend_from_slice("№".as_bytes());
                    out.extend_from_slice(&digits);
                }
                _ => out.extend_from_slice(&digits),
            }
        }
        (Who::Citizen(c), DocKind::Passport) => {
            json::fixed(&mut digits, u64::from(c.passport.unwrap_or_default()), 8);
            match doc.style {
                DocStyle::Spaced => {
                    out.extend_from_slice(b"N ");
                    out.extend_from_slice(&digits[..4]);
                    out.push(b' ');
                    out.extend_from_slice(&digits[4..]);
                }
                DocStyle::Lower => {
                    out.push(b'n');
                    out.extend_from_slice(&digits);
                }
                DocStyle::CyrillicN => {
                    out.extend_from_slice("Н".as_bytes());
                    out.extend_from_slice(&digits);
                }
                DocStyle::Dashed => {
                    out.push(b'N');
                    out.extend_from_slice(&digits[..4]);
                    out.push(b'-');
                    out.extend_from_slice(&digits[4..]);
                }
                _ => {
                    out.push(b'N');
                    out.extend_from_slice(&digits);
                }
            }
        }
        (Who::Foreigner(f), _) => {
            out.extend_from_slice(f.country.series().as_bytes());
            if doc.style == DocStyle::Spaced {
                out.push(b' ');
            }
            json::fixed(out, u64::from(f.passport), 7);
        }
        // A citizen has no foreign passport: never drawn.
        (Who::Citizen(_), DocKind::Foreign) => {}
    }
}

fn doc_type(kind: DocKind) -> &'static str {
    match kind {
        DocKind::IdCard => "id_card",
        DocKind::Passport => "passport",
        DocKind::Foreign => "foreign_passport",
    }
}

fn doc_country(who: &Who, kind: DocKind) -> Option<&'static str> {
    match (who, kind) {
        (Who::Foreigner(f), DocKind::Foreign) => Some(f.country.code()),
        _ => None,
    }
}

fn who_birth_sex(who: &Who) -> (NaiveDate, Sex) {
    match who {
        Who::Citizen(c) => (c.birth, c.sex),
        Who::Foreigner(f) => (f.birth, f.sex),
    }
}

/// `<source>-<run>-<n>`.
fn id_text(config: &StreamConfig, d: &Draft, out: &mut Vec<u8>) {
    out.extend_from_slice(d.source.as_str().as_bytes());
    out.push(b'-');
    json::uint(out, config.run);
    out.push(b'-');
    json::uint(out, d.n);
}

/// RFC 3339 in UTC with milliseconds; the date and time of day are formatted once a second.
fn time_text(work_second: &mut i64, second_text: &mut Vec<u8>, t_us: i64, out: &mut Vec<u8>) {
    let second = t_us.div_euclid(1_000_000);
    if second != *work_second {
        *work_second = second;
        second_text.clear();
        let t = DateTime::from_timestamp(second, 0).unwrap_or_default();
        json::date(second_text, t.date_naive());
        second_text.push(b'T');
        json::fixed(second_text, u64::from(t.hour()), 2);
        second_text.push(b':');
        json::fixed(second_text, u64::from(t.minute()), 2);
        second_text.push(b':');
        json::fixed(second_text, u64::from(t.second()), 2);
        second_text.push(b'.');
    }
    out.extend_from_slice(second_text);
    json::fixed(out, (t_us.rem_euclid(1_000_000) / 1_000) as u64, 3);
    out.push(b'Z');
}

fn payload_json(p: &Payload, out: &mut Vec<u8>) {
    match *p {
        Payload::Service(service) => {
            out.extend_from_slice(b"{\"service\":");
            json::string(out, service.as_bytes());
        }
        Payload::Rail {
            train,
            letter,
            car,
            seat,
            to,
        } => {
            out.extend_from_slice(b"{\"train\":\"");
            json::fixed(out, u64::from(train), 3);
            out.extend_from_slice(letter.as_bytes());
            out.extend_from_slice(b"\",\"car\":");
            json::uint(out, u64::from(car));
            out.extend_from_slice(b",\"seat\":");
            json::uint(out, u64::from(seat));
            out.extend_from_slice(b",\"to\":");
            json::string(out, to.as_bytes());
        }
        Payload::Air {
            airline,
            flight,
            row,
            seat,
            to,
        } => {
            out.extend_from_slice(b"{\"flight\":\"");
            out.extend_from_slice(airline.as_bytes());
            json::uint(out, u64::from(flight));
            out.extend_from_slice(b"\",\"seat\":\"");
            json::uint(out, u64::from(row));
            out.push(seat);
            out.extend_from_slice(b"\",\"to\":");
            json::string(out, to.as_bytes());
        }
        Payload::Bus { seat, to } => {
            out.extend_from_slice(b"{\"seat\":");
            json::uint(out, u64::from(seat));
            out.extend_from_slice(b",\"to\":");
            json::string(out, to.as_bytes());
        }
        Payload::Hotel { room, nights } => {
            out.extend_from_slice(b"{\"room\":\"");
            json::uint(out, u64::from(room));
            out.extend_from_slice(b"\",\"nights\":");
            json::uint(out, u64::from(nights));
        }
        Payload::Border {
            direction,
            transport,
        } => {
            out.extend_from_slice(b"{\"direction\":");
            json::string(out, direction.as_bytes());
            out.extend_from_slice(b",\"transport\":");
            json::string(out, transport.as_bytes());
        }
        Payload::Check { reason } => {
            out.extend_from_slice(b"{\"reason\":");
            json::string(out, reason.as_bytes());
        }
    }
    out.push(b'}');
}

/// Writes one event as a JSON object (no newline).
fn render_json(
    inner: &Inner,
    config: &StreamConfig,
    work: &mut Work,
    d: &Draft,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b"{\"id\":\"");
    id_text(config, d, out);
    out.extend_from_slice(b"\",\"kind\":\"");
    out.extend_from_slice(d.kind.event_kind().as_str().as_bytes());
    out.extend_from_slice(b"\",\"source\":\"");
    out.extend_from_slice(d.source.as_str().as_bytes());
    out.extend_from_slice(b"\",\"occurred_at\":\"");
    time_text(&mut work.second, &mut work.second_text, d.t_us, out);
    out.push(b'"');
    match d.place {
        PlaceDraft::None => {}
        PlaceDraft::Region(region) => {
            out.extend_from_slice(b",\"place\":{\"region\":\"");
            out.extend_from_slice(inner.regions[usize::from(region)].code().as_bytes());
            out.extend_from_slice(b"\"}");
        }
        PlaceDraft::At {
            region,
            lat,
            lon,
            office,
        } => {
            out.extend_from_slice(b",\"place\":{\"region\":\"");
            out.extend_from_slice(inner.regions[usize::from(region)].code().as_bytes());
            out.extend_from_slice(b"\",\"lat\":");
            json::e4(out, lat);
            out.extend_from_slice(b",\"lon\":");
            json::e4(out, lon);
            if let Some(office) = office {
                out.extend_from_slice(b",\"office\":");
                json::string(out, office.as_bytes());
            }
            out.push(b'}');
        }
    }
    out.extend_from_slice(b",\"subject\":{");
    let mut first = true;
    let mut key = |out: &mut Vec<u8>, name: &[u8]| {
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'"');
        out.extend_from_slice(name);
        out.extend_from_slice(b"\":");
    };
    if let (true, Who::Citizen(c)) = (d.show.iin, &d.who) {
        key(out, b"iin");
        out.push(b'"');
        json::fixed(out, c.iin.as_u64(), 12);
        out.push(b'"');
    }
    if d.show.docs.iter().any(Option::is_some) {
        key(out, b"documents");
        out.push(b'[');
        for (i, doc) in d.show.docs.iter().flatten().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"type\":\"");
            out.extend_from_slice(doc_type(doc.kind).as_bytes());
            out.extend_from_slice(b"\",\"number\":");
            work.text.clear();
            doc_text(&d.who, *doc, &mut work.text);
            json::string(out, &work.text);
            if let Some(country) = doc_country(&d.who, doc.kind) {
                out.extend_from_slice(b",\"country\":\"");
                out.extend_from_slice(country.as_bytes());
                out.push(b'"');
            }
            out.push(b'}');
        }
        out.push(b']');
    }
    if d.show.names.is_some() {
        key(out, b"names");
        out.push(b'[');
        work.text.clear();
        written_name(&inner.names, &d.who, &d.show, &mut work.text);
        json::string(out, &work.text);
        out.push(b']');
    }
    let (birth, sex) = who_birth_sex(&d.who);
    if d.show.birth {
        key(out, b"birth_date");
        out.push(b'"');
        json::date(out, birth);
        out.push(b'"');
    }
    if d.show.sex {
        key(out, b"sex");
        out.extend_from_slice(if sex == Sex::Female {
            b"\"female\""
        } else {
            b"\"male\""
        });
    }
    out.extend_from_slice(b"},\"payload\":");
    payload_json(&d.payload, out);
    out.push(b'}');
}

fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut buf = Vec::new();
    f(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The same event as an [`EventInput`].
fn to_input(inner: &Inner, config: &StreamConfig, work: &mut Work, d: &Draft) -> EventInput {
    let place = match d.place {
        PlaceDraft::None => None,
        PlaceDraft::Region(region) => Some(Place {
            region: Some(inner.regions[usize::from(region)]),
            ..Place::default()
        }),
        PlaceDraft::At {
            region,
            lat,
            lon,
            office,
        } => Some(Place {
            region: Some(inner.regions[usize::from(region)]),
            lat: Some(e4_to_f64(lat)),
            lon: Some(e4_to_f64(lon)),
            office: office.map(str::to_string),
            address: None,
        }),
    };
    let (birth, sex) = who_birth_sex(&d.who);
    let subject = PersonInput {
        iin: match (d.show.iin, &d.who) {
            (true, Who::Citizen(c)) => Some(c.iin.to_string()),
            _ => None,
        },
        documents: d
            .show
            .docs
            .iter()
            .flatten()
            .map(|doc| DocumentInput {
                doc_type: doc_type(doc.kind).to_string(),
                number: text(|b| doc_text(&d.who, *doc, b)),
                country: doc_country(&d.who, doc.kind).map(str::to_string),
            })
            .collect(),
        names: d
            .show
            .names
            .map(|_| text(|b| written_name(&inner.names, &d.who, &d.show, b)))
            .into_iter()
            .collect(),
        birth_date: d.show.birth.then(|| text(|b| json::date(b, birth))),
        sex: d
            .show
            .sex
            .then(|| if sex == Sex::Female { "female" } else { "male" }.to_string()),
    };
    let occurred_at = text(|b| time_text(&mut work.second, &mut work.second_text, d.t_us, b));
    EventInput {
        id: Some(text(|b| id_text(config, d, b))),
        kind: Some(d.kind.event_kind().as_str().to_string()),
        source: Some(d.source.as_str().to_string()),
        occurred_at: Some(occurred_at),
        place,
        subject: Some(subject),
        plate: None,
        face: None,
        payload: RawValue::from_string(text(|b| payload_json(&d.payload, b))).ok(),
    }
}

impl Iterator for EventStream {
    type Item = GeneratedEvent;

    fn next(&mut self) -> Option<GeneratedEvent> {
        let n = self.next;
        self.next += 1;
        if let Some(camera) = self.camera(n) {
            let (wanted, vehicle) = match camera.subject {
                Subject::Nobody => (None, None),
                Subject::Person(i) => (Some(i as usize), None),
                Subject::Vehicle(v) => (None, Some(v as usize)),
            };
            return Some(GeneratedEvent {
                input: camera.input,
                wanted,
                vehicle,
                trace: camera_trace(camera.subject),
                expired: None,
            });
        }
        let draft = self.draft(n);
        let input = to_input(&self.inner, &self.config, &mut self.work, &draft);
        Some(GeneratedEvent {
            input,
            wanted: draft.wanted.map(|i| i as usize),
            vehicle: None,
            trace: draft.trace(),
            expired: draft.expired.map(|i| i as usize),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_with_milliseconds() {
        let (mut second, mut cache) = (i64::MIN, Vec::new());
        let t = DateTime::parse_from_rfc3339("2026-11-25T10:00:59.5Z")
            .expect("time")
            .with_timezone(&Utc);
        let written =
            text(|b| time_text(&mut second, &mut cache, t.timestamp_micros() + 499_000, b));
        assert_eq!(written, "2026-11-25T10:00:59.999Z");
        let written =
            text(|b| time_text(&mut second, &mut cache, t.timestamp_micros() + 501_000, b));
        assert_eq!(written, "2026-11-25T10:01:00.001Z");
        assert_eq!(
            DateTime::parse_from_rfc3339(&written).map(|t| t.timestamp_subsec_millis()),
            Ok(1)
        );
    }
}
