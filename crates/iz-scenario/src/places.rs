//! Real places where registry events happen (`data/places.tsv`): public-service centres,
//! railway stations, airports, bus stations, hotels and border crossing points.

use iz_model::Region;

const PLACES: &str = include_str!("../data/places.tsv");

/// What kind of place a [`PlaceInfo`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A public-service centre (ЦОН / ХҚКО).
    Con,
    /// A railway station.
    Station,
    Airport,
    BusStation,
    Hotel,
    /// A border crossing point on a road or railway.
    BorderPost,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 6] = [
        PlaceKind::Con,
        PlaceKind::Station,
        PlaceKind::Airport,
        PlaceKind::BusStation,
        PlaceKind::Hotel,
        PlaceKind::BorderPost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Con => "con",
            PlaceKind::Station => "station",
            PlaceKind::Airport => "airport",
            PlaceKind::BusStation => "bus_station",
            PlaceKind::Hotel => "hotel",
            PlaceKind::BorderPost => "border_post",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One place: its id (e.g. `CON-75-03`, `AP-ALA`), kind, region, name and coordinates (WGS 84).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    pub id: &'static str,
    pub kind: PlaceKind,
    pub region: Region,
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
}

impl PlaceInfo {
    /// The IATA code of an airport (`AP-ALA` → `ALA`).
    pub fn iata(&self) -> Option<&'static str> {
        if self.kind == PlaceKind::Airport {
            self.id.strip_prefix("AP-")
        } else {
            None
        }
    }
}

/// A coordinate in ten-thousandths of a degree, as the data file writes it. Kept as an integer
/// so that the JSON written by hand and the `f64` in an `EventInput` are the same number.
pub(crate) type E4 = i32;

/// Parses `43.2380` or `-1.5` into ten-thousandths of a degree.
fn parse_e4(text: &str) -> Option<E4> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 4 || whole.is_empty() {
        return None;
    }
    let whole: i32 = whole.parse().ok()?;
    let mut f: i32 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..4 {
        f *= 10;
    }
    let v = whole.checked_mul(10_000)?.checked_add(f)?;
    Some(if negative { -v } else { v })
}

pub(crate) fn e4_to_f64(v: E4) -> f64 {
    f64::from(v) / 10_000.0
}

/// The places with their coordinates as integers, indexed by kind and region.
#[derive(Debug, Clone)]
pub(crate) struct Places {
    pub info: Vec<PlaceInfo>,
    pub e4: Vec<(E4, E4)>,
    pub region_index: Vec<u8>,
    /// `by_kind[kind][region]`: indices into `info`.
    by_kind_region: Vec<Vec<Vec<u16>>>,
    by_kind: Vec<Vec<u16>>,
}

impl Places {
    pub(crate) fn load() -> Self {
        let regions: Vec<Region> = Region::all().collect();
        let mut places = Places {
            info: Vec::new(),
            e4: Vec::new(),
            region_index: Vec::new(),
            by_kind_region: vec![vec![Vec::new(); regions.len()]; PlaceKind::ALL.len()],
            by_kind: vec![Vec::new(); PlaceKind::ALL.len()],
        };
        for line in PLACES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let f: Vec<&'static str> = line.split('\t').collect();
            let [id, kind, region, name, lat, lon] = f[..] else {
                continue;
            };
            let (Some(kind), Ok(region), Some(lat), Some(lon)) = (
                PlaceKind::parse(kind),
                Region::parse(region),
                parse_e4(lat),
                parse_e4(lon),
            ) else {
                continue;
            };
            let Some(r) = regions.iter().position(|x| *x == region) else {
                continue;
            };
            let i = places.info.len() as u16;
            places.info.push(PlaceInfo {
                id,
                kind,
                region,
                name,
                lat: e4_to_f64(lat),
                lon: e4_to_f64(lon),
            });
            places.e4.push((lat, lon));
            places.region_index.push(r as u8);
            places.by_kind_region[kind as usize][r].push(i);
            places.by_kind[kind as usize].push(i);
        }
        places
    }

    pub(crate) fn in_region(&self, kind: PlaceKind, region: usize) -> &[u16] {
        &self.by_kind_region[kind as usize][region]
    }

    pub(crate) fn of_kind(&self, kind: PlaceKind) -> &[u16] {
        &self.by_kind[kind as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_parse_exactly() {
        assert_eq!(parse_e4("43.2380"), Some(432_380));
        assert_eq!(parse_e4("76.9"), Some(769_000));
        assert_eq!(parse_e4("-1.5"), Some(-15_000));
        assert_eq!(parse_e4("1.23456"), None);
        assert_eq!(parse_e4("x"), None);
    }

    #[test]
    fn every_data_line_becomes_a_place() {
        let lines = PLACES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        let places = Places::load();
        assert_eq!(
            places.info.len(),
            lines,
            "a line of places.tsv did not parse"
        );
        for kind in PlaceKind::ALL {
            assert!(!places.of_kind(kind).is_empty(), "no {kind:?}");
        }
        // Every region has at least one public-service centre and one hotel or station.
        for r in 0..20 {
            assert!(
                !places.in_region(PlaceKind::Con, r).is_empty(),
                "region {r} has no CON"
            );
        }
    }
}
