//! # iz-geo: zones and the one spatial index
//!
//! Probation home and exclusion zones, protected areas and the licensed areas drones may fly
//! over are all the same thing to the matchers: *zones*, each with an id, a boundary, and a
//! question asked millions of times a day — which zones contain this position? This crate
//! answers it, once, for all of them, with no I/O of its own: zones come in as GeoJSON text,
//! positions as `f64` latitude and longitude, answers go out as zone indices.
//!
//! ## Loading: every problem at once
//!
//! [`ZoneSet::from_geojson`] takes a FeatureCollection, a Feature or a bare Polygon /
//! MultiPolygon, with holes, 2-D or 3-D positions (the third number is ignored). A feature's
//! zone id is its `id` property, string or number. A `Point` feature with a `radius_m` property
//! is a circle (a home zone given as centre and radius). Loading never stops at the first
//! problem: it returns [`GeoError::Invalid`] with every [`Problem`] — feature index, stable
//! code, reason — or the zones with their notes:
//!
//! | code | what | outcome |
//! |---|---|---|
//! | `invalid_coordinate` | not a number, non-finite, latitude outside −90..90 or longitude outside −180..180 | rejected |
//! | `ring_too_short` | fewer than 4 positions, or fewer than 3 distinct ones | rejected |
//! | `ring_closed` | last position differs from the first | repaired by closing, noted |
//! | `self_intersection` | two segments of a polygon's rings cross or overlap (the pair is named) | rejected |
//! | `ring_touch` | rings touch at a single point without crossing (real boundary files have these) | accepted, noted |
//! | `duplicate_id`, `missing_id` | the zone cannot be named uniquely | rejected |
//! | `unsupported_geometry`, `invalid_geojson`, `invalid_radius` | not a zone | rejected |
//!
//! The self-intersection check takes the pairs of segments that share a cell of the polygon's
//! grid (below), so it costs about as much as building the grid: linear in the edges for
//! ordinary boundaries. Parts of one MultiPolygon are not checked against each other.
//!
//! ## Point in polygon: a grid per polygon, exact predicates
//!
//! Each polygon gets a uniform grid over its bounding box with about two cells per edge. A
//! cell remembers the edges that touch it and whether its centre is inside (found by one scan
//! line per row of cells at build time). A point in a cell that no edge touches takes the
//! cell's answer with no arithmetic at all — most points do. In a cell with edges, the point
//! counts how many edges the segment from it to the cell's centre crosses, each crossing
//! flipping the centre's answer; only that cell's few edges are looked at. Every orientation
//! test is Shewchuk's adaptive exact predicate (the `robust` crate), so the answer is exact for
//! the `f64` coordinates given, even for a point on a real, ragged boundary; a cell whose
//! centre happens to lie on the boundary falls back to an exact ray cast. Above the polygons,
//! one uniform grid over all zones' bounding boxes lists the polygons and circles whose boxes
//! meet each cell, in zone order, so a query looks at one short list.
//!
//! **Boundary semantics: a point on a zone's boundary is inside** (closed sets, like PostGIS
//! `ST_Covers`; shapely's `within` says outside). For a supervised person a position exactly
//! on the fence is not evidence of being outside; random positions essentially never land on
//! a boundary, so comparisons with shapely agree either way.
//!
//! ## Distance and uncertainty
//!
//! A position from a device has an accuracy radius. [`Zone::classify`] says
//! [`Containment::Inside`] or [`Containment::Outside`] only when the whole accuracy disc is on
//! one side, else [`Containment::Uncertain`]. [`Zone::distance_to_boundary_m`] measures on a
//! local equirectangular projection centred on the position (metres east scaled by the cosine
//! of its latitude, a spherical Earth of radius 6,371,008.8 m). Its relative error for a
//! boundary `d` away is about `tan(lat) · d / R`: 0.2 % at 10 km and 2 % at 100 km at 55° N,
//! plus the sphere's 0.5 % at most against the ellipsoid — far below a phone's accuracy radius
//! for the distances where the answer matters. Circles use the haversine distance.
//!
//! ## Batches
//!
//! [`ZoneSet::locate_many`] answers a slice of positions in one thread (the figure compared
//! with shapely, which is single-threaded); [`ZoneSet::locate_many_threads`] splits the slice
//! over threads. Both return [`Located`]: the zone indices of each position, flat.
#![deny(clippy::unwrap_used)]

mod error;
mod geojson;
mod polygon;

pub use error::{GeoError, Problem};
pub use geojson::Loaded;
pub use polygon::{Contact, Location, PreparedPolygon};

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Metres per degree of latitude on that sphere.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// A checked position: latitude −90..90, longitude −180..180, both finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A position, refused when it cannot be on Earth.
    pub fn new(lat: f64, lon: f64) -> Result<Self, GeoError> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(GeoError::Coordinate(format!(
                "({lat}, {lon}) is not a number"
            )));
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::Coordinate(format!(
                "latitude {lat} is outside −90..90"
            )));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(GeoError::Coordinate(format!(
                "longitude {lon} is outside −180..180"
            )));
        }
        Ok(Self { lat, lon })
    }
}

/// Great-circle distance in metres (haversine, spherical Earth).
pub fn haversine_m(a: Point, b: Point) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A circular zone: centre and radius in metres (boundary included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
}

impl Circle {
    fn centre(&self) -> Point {
        Point {
            lat: self.lat,
            lon: self.lon,
        }
    }

    /// `[min_lon, min_lat, max_lon, max_lat]`, a little generous.
    fn bbox(&self) -> [f64; 4] {
        let dlat = self.radius_m / METRES_PER_DEGREE * 1.001 + 1e-9;
        let c = (self.lat.abs() + dlat).min(89.999).to_radians().cos();
        let dlon = (dlat / c).min(360.0);
        [
            self.lon - dlon,
            self.lat - dlat,
            self.lon + dlon,
            self.lat + dlat,
        ]
    }

    fn contains(&self, p: Point) -> bool {
        haversine_m(self.centre(), p) <= self.radius_m
    }
}

/// A zone's geometry.
#[derive(Debug, Clone)]
pub enum Shape {
    /// One or more polygons with holes (a Polygon or MultiPolygon).
    Area(Vec<PreparedPolygon>),
    Circle(Circle),
}

/// Whether a position with an accuracy radius is in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Containment {
    /// The whole accuracy disc is inside (or the point is on the boundary with accuracy 0).
    Inside,
    /// The whole accuracy disc is outside.
    Outside,
    /// The disc reaches across the boundary.
    Uncertain,
}

/// A named zone.
#[derive(Debug, Clone)]
pub struct Zone {
    /// The feature's `id` property.
    pub id: String,
    pub shape: Shape,
}

impl Zone {
    /// Whether the zone contains the position, boundary included.
    pub fn contains(&self, p: Point) -> bool {
        match &self.shape {
            Shape::Area(parts) => parts
                .iter()
                .any(|q| q.locate(p.lon, p.lat) != Location::Outside),
            Shape::Circle(c) => c.contains(p),
        }
    }

    /// Metres from the position to the zone's nearest boundary (inside or outside).
    pub fn distance_to_boundary_m(&self, p: Point) -> f64 {
        match &self.shape {
            Shape::Area(parts) => parts
                .iter()
                .map(|q| q.distance_to_boundary_m(p.lon, p.lat))
                .fold(f64::INFINITY, f64::min),
            Shape::Circle(c) => (haversine_m(c.centre(), p) - c.radius_m).abs(),
        }
    }

    /// Inside / Outside when the disc of `accuracy_m` around the position is on one side,
    /// Uncertain when it reaches across the boundary.
    pub fn classify(&self, p: Point, accuracy_m: f64) -> Containment {
        let inside = self.contains(p);
        let acc = if accuracy_m.is_finite() {
            accuracy_m.max(0.0)
        } else {
            f64::INFINITY
        };
        let d = self.distance_to_boundary_m(p);
        if d < acc || (d == 0.0 && acc > 0.0) {
            Containment::Uncertain
        } else if inside {
            Containment::Inside
        } else {
            Containment::Outside
        }
    }

    fn bboxes(&self) -> Vec<[f64; 4]> {
        match &self.shape {
            Shape::Area(parts) => parts.iter().map(PreparedPolygon::bbox).collect(),
            Shape::Circle(c) => vec![c.bbox()],
        }
    }
}

/// The zone indices of many positions, flat: `zones_of(i)` for position `i`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Located {
    offsets: Vec<u32>,
    zones: Vec<u32>,
}

impl Located {
    /// Number of positions.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The indices (into [`ZoneSet::zones`]) of the zones containing position `i`, ascending.
    pub fn zones_of(&self, i: usize) -> &[u32] {
        &self.zones[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn append(&mut self, other: Located) {
        let base = self.zones.len() as u32;
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.offsets
            .extend(other.offsets.iter().skip(1).map(|o| o + base));
        self.zones.extend(other.zones);
    }
}

#[derive(Debug, Clone, Copy)]
struct Part {
    zone: u32,
    /// Index into the zone's polygons (ignored for a circle).
    poly: u32,
    bbox: [f64; 4],
}

/// Zones with the one spatial index over them.
#[derive(Debug, Clone)]
pub struct ZoneSet {
    zones: Vec<Zone>,
    parts: Vec<Part>,
    bbox: [f64; 4],
    nx: usize,
    ny: usize,
    inv_cw: f64,
    inv_ch: f64,
    cell_start: Vec<u32>,
    cell_parts: Vec<u32>,
}

impl ZoneSet {
    /// Loads and validates zones from GeoJSON text (see the crate docs for what is checked).
    pub fn from_geojson(text: &str) -> Result<(Self, Vec<Problem>), GeoError> {
        let loaded = geojson::load(text)?;
        Ok((Self::new(loaded.zones), loaded.notes))
    }

    /// Builds the index over zones already made.
    pub fn new(zones: Vec<Zone>) -> Self {
        let mut parts = Vec::new();
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for (z, zone) in zones.iter().enumerate() {
            for (k, b) in zone.bboxes().into_iter().enumerate() {
                bbox = [
                    bbox[0].min(b[0]),
                    bbox[1].min(b[1]),
                    bbox[2].max(b[2]),
                    bbox[3].max(b[3]),
                ];
                parts.push(Part {
                    zone: z as u32,
                    poly: k as u32,
                    bbox: b,
                });
            }
        }
        if parts.is_empty() {
            bbox = [0.0, 0.0, 1.0, 1.0];
        }
        let w = (bbox[2] - bbox[0]).max(1e-9);
        let h = (bbox[3] - bbox[1]).max(1e-9);
        let cells = (parts.len() as f64 * 4.0).clamp(4096.0, 4_000_000.0);
        let nx = ((cells * w / h).sqrt().ceil() as usize).clamp(1, 4096);
        let ny = ((cells / nx as f64).ceil() as usize).clamp(1, 4096);
        let (cw, ch) = (w / nx as f64, h / ny as f64);
        let mut set = Self {
            zones,
            parts,
            bbox,
            nx,
            ny,
            inv_cw: 1.0 / cw,
            inv_ch: 1.0 / ch,
            cell_start: Vec::new(),
            cell_parts: Vec::new(),
        };
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nx * ny];
        for (k, p) in set.parts.iter().enumerate() {
            let (x0, y0) = set.cell_of(p.bbox[0], p.bbox[1]);
            let (x1, y1) = set.cell_of(p.bbox[2], p.bbox[3]);
            for cy in y0..=y1 {
                for cx in x0..=x1 {
                    lists[cy * nx + cx].push(k as u32);
                }
            }
        }
        set.cell_start.push(0);
        for l in lists {
            set.cell_parts.extend_from_slice(&l);
            set.cell_start.push(set.cell_parts.len() as u32);
        }
        set
    }

    #[inline]
    fn cell_of(&self, lon: f64, lat: f64) -> (usize, usize) {
        let cx = (((lon - self.bbox[0]) * self.inv_cw).max(0.0) as usize).min(self.nx - 1);
        let cy = (((lat - self.bbox[1]) * self.inv_ch).max(0.0) as usize).min(self.ny - 1);
        (cx, cy)
    }

    /// The zones, in file order; [`Located`] and [`ZoneSet::locate_into`] give indices into it.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// Pushes the indices of the zones containing `(lat, lon)` onto `out`, ascending. A
    /// position that is not on Earth (or NaN) is in no zone.
    #[inline]
    pub fn locate_into(&self, lat: f64, lon: f64, out: &mut Vec<u32>) {
        let b = &self.bbox;
        if !(lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]) {
            return;
        }
        let (cx, cy) = self.cell_of(lon, lat);
        let c = cy * self.nx + cx;
        let start = out.len();
        for &k in &self.cell_parts[self.cell_start[c] as usize..self.cell_start[c + 1] as usize] {
            let p = &self.parts[k as usize];
            if !(lon >= p.bbox[0] && lon <= p.bbox[2] && lat >= p.bbox[1] && lat <= p.bbox[3]) {
                continue;
            }
            if out.len() > start && out.last() == Some(&p.zone) {
                continue;
            }
            let hit = match &self.zones[p.zone as usize].shape {
                Shape::Area(polys) => polys[p.poly as usize].locate(lon, lat) != Location::Outside,
                Shape::Circle(circle) => circle.contains(Point { lat, lon }),
            };
            if hit {
                out.push(p.zone);
            }
        }
    }

    /// The indices of the zones containing a position, ascending.
    pub fn locate(&self, p: Point) -> Vec<u32> {
        let mut out = Vec::new();
        self.locate_into(p.lat, p.lon, &mut out);
        out
    }

    /// Locates `(lat, lon)` positions in this thread.
    pub fn locate_many(&self, points: &[(f64, f64)]) -> Located {
        let mut offsets = Vec::with_capacity(points.len() + 1);
        let mut zones = Vec::with_capacity(points.len());
        offsets.push(0);
        for &(lat, lon) in points {
            self.locate_into(lat, lon, &mut zones);
            offsets.push(zones.len() as u32);
        }
        Located { offsets, zones }
    }

    /// Locates positions over `threads` threads (1 or fewer: this thread), same answer.
    pub fn locate_many_threads(&self, points: &[(f64, f64)], threads: usize) -> Located {
        if threads <= 1 || points.len() < 4096 {
            return self.locate_many(points);
        }
        let chunk = points.len().div_ceil(threads);
        let parts: Vec<Located> = std::thread::scope(|s| {
            let handles: Vec<_> = points
                .chunks(chunk)
                .map(|c| s.spawn(move || self.locate_many(c)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut out = Located::default();
        for p in parts {
            out.append(p);
        }
        out
    }
}
