//! Kazakhstan's twenty first-level regions as ISO 3166-2:KZ codes (after the 2022 reform that
//! created Abai, Jetisu and Ulytau). Source of the codes: ISO 3166-2:KZ as published in the
//! `pycountry` package's `iso3166-2.json`; centres are the regions' administrative centres.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One region: its code, names and administrative centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionInfo {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_kk: &'static str,
    pub centre: &'static str,
    pub lat: f64,
    pub lon: f64,
}

/// All twenty regions, ordered by code.
pub const REGIONS: [RegionInfo; 20] = [
    RegionInfo {
        code: "KZ-10",
        name_en: "Abai",
        name_kk: "Абай облысы",
        centre: "Semey",
        lat: 50.411,
        lon: 80.227,
    },
    RegionInfo {
        code: "KZ-11",
        name_en: "Akmola",
        name_kk: "Ақмола облысы",
        centre: "Kokshetau",
        lat: 53.284,
        lon: 69.377,
    },
    RegionInfo {
        code: "KZ-15",
        name_en: "Aktobe",
        name_kk: "Ақтөбе облысы",
        centre: "Aktobe",
        lat: 50.283,
        lon: 57.167,
    },
    RegionInfo {
        code: "KZ-19",
        name_en: "Almaty Region",
        name_kk: "Алматы облысы",
        centre: "Konaev",
        lat: 43.867,
        lon: 77.067,
    },
    RegionInfo {
        code: "KZ-23",
        name_en: "Atyrau",
        name_kk: "Атырау облысы",
        centre: "Atyrau",
        lat: 47.106,
        lon: 51.917,
    },
    RegionInfo {
        code: "KZ-27",
        name_en: "West Kazakhstan",
        name_kk: "Батыс Қазақстан облысы",
        centre: "Oral",
        lat: 51.233,
        lon: 51.367,
    },
    RegionInfo {
        code: "KZ-31",
        name_en: "Jambyl",
        name_kk: "Жамбыл облысы",
        centre: "Taraz",
        lat: 42.900,
        lon: 71.367,
    },
    RegionInfo {
        code: "KZ-33",
        name_en: "Jetisu",
        name_kk: "Жетісу облысы",
        centre: "Taldykorgan",
        lat: 45.017,
        lon: 78.373,
    },
    RegionInfo {
        code: "KZ-35",
        name_en: "Karaganda",
        name_kk: "Қарағанды облысы",
        centre: "Karaganda",
        lat: 49.806,
        lon: 73.085,
    },
    RegionInfo {
        code: "KZ-39",
        name_en: "Kostanay",
        name_kk: "Қостанай облысы",
        centre: "Kostanay",
        lat: 53.214,
        lon: 63.624,
    },
    RegionInfo {
        code: "KZ-43",
        name_en: "Kyzylorda",
        name_kk: "Қызылорда облысы",
        centre: "Kyzylorda",
        lat: 44.853,
        lon: 65.509,
    },
    RegionInfo {
        code: "KZ-47",
        name_en: "Mangystau",
        name_kk: "Маңғыстау облысы",
        centre: "Aktau",
        lat: 43.651,
        lon: 51.197,
    },
    RegionInfo {
        code: "KZ-55",
        name_en: "Pavlodar",
        name_kk: "Павлодар облысы",
        centre: "Pavlodar",
        lat: 52.287,
        lon: 76.967,
    },
    RegionInfo {
        code: "KZ-59",
        name_en: "North Kazakhstan",
        name_kk: "Солтүстік Қазақстан облысы",
        centre: "Petropavl",
        lat: 54.875,
        lon: 69.162,
    },
    RegionInfo {
        code: "KZ-61",
        name_en: "Turkistan",
        name_kk: "Түркістан облысы",
        centre: "Turkistan",
        lat: 43.297,
        lon: 68.251,
    },
    RegionInfo {
        code: "KZ-62",
        name_en: "Ulytau",
        name_kk: "Ұлытау облысы",
        centre: "Jezkazgan",
        lat: 47.783,
        lon: 67.767,
    },
    RegionInfo {
        code: "KZ-63",
        name_en: "East Kazakhstan",
        name_kk: "Шығыс Қазақстан облысы",
        centre: "Oskemen",
        lat: 49.948,
        lon: 82.628,
    },
    RegionInfo {
        code: "KZ-71",
        name_en: "Astana",
        name_kk: "Астана",
        centre: "Astana",
        lat: 51.169,
        lon: 71.449,
    },
    RegionInfo {
        code: "KZ-75",
        name_en: "Almaty",
        name_kk: "Алматы",
        centre: "Almaty",
        lat: 43.238,
        lon: 76.946,
    },
    RegionInfo {
        code: "KZ-79",
        name_en: "Shymkent",
        name_kk: "Шымкент",
        centre: "Shymkent",
        lat: 42.342,
        lon: 69.590,
    },
];

/// A region code known to be one of the twenty: an index into [`REGIONS`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ISO 3166-2:KZ region code (KZ-10 … KZ-79)")]
pub struct UnknownRegion(pub String);

impl Region {
    pub fn parse(code: &str) -> Result<Self, UnknownRegion> {
        // Fast path: the canonical spelling, compared by its two digits.
        if let [b'K', b'Z', b'-', a, b] = code.as_bytes() {
            let digits = [*a, *b];
            if let Some(i) = REGIONS
                .iter()
                .position(|r| r.code.as_bytes()[3..] == digits)
            {
                return Ok(Region(i as u8));
            }
        }
        REGIONS
            .iter()
            .position(|r| r.code.eq_ignore_ascii_case(code))
            .map(|i| Region(i as u8))
            .ok_or_else(|| UnknownRegion(code.to_string()))
    }
    pub fn code(self) -> &'static str {
        self.info().code
    }
    pub fn info(self) -> &'static RegionInfo {
        &REGIONS[usize::from(self.0)]
    }
    pub fn all() -> impl Iterator<Item = Region> {
        (0..REGIONS.len() as u8).map(Region)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({})", self.code())
    }
}
impl std::str::FromStr for Region {
    type Err = UnknownRegion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::parse(s)
    }
}
impl Serialize for Region {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}
impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Region::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Region {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(REGIONS.iter().map(|r| r.code)))
            .description(Some("ISO 3166-2:KZ region code"))
            .into()
    }
}
#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Region {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_distinct_codes_parse_back() {
        let mut codes: Vec<_> = REGIONS.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), 20);
        for r in Region::all() {
            assert_eq!(Region::parse(r.code()), Ok(r));
        }
        assert_eq!(Region::parse("kz-75").map(Region::code), Ok("KZ-75"));
        assert!(Region::parse("KZ-ALA").is_err());
    }
}
