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
//! grid (below), each pair once, in the first cell the two share, so it costs about as much as
//! building the grid: linear in the edges for ordinary boundaries. Parts of one MultiPolygon
//! are not checked against each other.
//!
//! ## Point in polygon: grids of cells, exact predicates
//!
//! Each polygon gets a uniform grid over its bounding box with about two cells per edge. A
//! cell remembers the edges that touch it and whether its centre is inside (found by one scan
//! line per row of cells at build time). A point in a cell that no edge touches takes the
//! cell's answer with no arithmetic at all — most points do. In a cell with edges, the point
//! counts how many edges the segment from it to the cell's centre crosses, each crossing
//! flipping the centre's answer; only that cell's few edges are looked at. Every orientation
//! test is Shewchuk's adaptive exact predicate (the `robust` crate), so the answer is exact for
//! the `f64` coordinates given, even for a point on a real, ragged boundary; a cell whose
//! centre happens to lie on the boundary falls back to an exact ray cast.
//!
//! Above the polygons, one uniform grid over all zones, its cells the size the median polygon
//! wants for its own, is laid over every polygon the same way. A cell lists, in zone order,
//! the zones it may be in: wholly inside a polygon (no arithmetic), a polygon's few edges
//! there (copied into the cell, with the centre's answer), a polygon with many edges there (its
//! own, finer grid answers), or a circle. Cells wholly outside a polygon do not list it. For
//! ten thousand small zones a query so reads three places in memory (the cell, its list, its
//! edges; the last two at once) instead of following a pointer per level: locating is limited
//! by memory latency, not arithmetic.
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
//! over threads. Both return [`Located`]: the zone indices of each position, flat. A large
//! batch is sorted by grid cell first (a counting sort) and answered cell after cell, so the
//! index is read front to back rather than at random; a position located alone
//! ([`ZoneSet::locate_into`]) pays the cache misses the sort saves.
#![deny(clippy::unwrap_used)]

mod error;
mod geojson;
mod polygon;

pub use error::{GeoError, Problem};
pub use geojson::Loaded;
use polygon::CellState;
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
        let acc = if accuracy_m.is_finite() {
            accuracy_m.max(0.0)
        } else {
            f64::INFINITY
        };
        let (inside, d) = match &self.shape {
            Shape::Circle(c) => {
                let from_centre = haversine_m(c.centre(), p);
                (from_centre <= c.radius_m, (from_centre - c.radius_m).abs())
            }
            Shape::Area(parts) => {
                // Far from every part's box: outside, and no edge need be looked at. On the
                // projection the edge distance uses (linear in longitude and latitude) the
                // distance to a box is a lower bound of the distance to anything in it.
                if parts.iter().all(|q| {
                    let b = box_distance_m(q.bbox(), p);
                    b > 0.0 && b >= acc
                }) {
                    return Containment::Outside;
                }
                (self.contains(p), self.distance_to_boundary_m(p))
            }
        };
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

/// Metres from a position to a `[min_lon, min_lat, max_lon, max_lat]` box, on the local
/// equirectangular projection of [`Zone::distance_to_boundary_m`]; 0 inside it.
fn box_distance_m(b: [f64; 4], p: Point) -> f64 {
    let dx =
        (b[0] - p.lon).max(p.lon - b[2]).max(0.0) * METRES_PER_DEGREE * p.lat.to_radians().cos();
    let dy = (b[1] - p.lat).max(p.lat - b[3]).max(0.0) * METRES_PER_DEGREE;
    dx.hypot(dy)
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

/// What a cell of the zones' grid says about one zone part that may cover it.
#[derive(Debug, Clone, Copy)]
enum Test {
    /// The whole cell is inside the polygon: no arithmetic.
    Inside,
    /// The polygon's `len` edges that meet the cell, the next ones in the cell's run of
    /// `ZoneSet::edges`, and whether the cell's centre is inside: one short crossing count.
    Edges {
        len: u32,
        centre_inside: bool,
    },
    /// Many edges in the cell, or its centre on the boundary: the polygon's own, finer grid.
    Polygon {
        poly: u32,
    },
    Circle,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    zone: u32,
    test: Test,
}

/// How many edges of `ZoneSet::edges` a test reads.
#[inline]
fn test_edges(test: Test) -> u32 {
    match test {
        Test::Edges { len, .. } => len,
        _ => 0,
    }
}

/// Above this many edges in a cell, a polygon answers from its own grid (a small, detailed
/// polygon among large, coarse ones) rather than from the zones' grid.
const MAX_EDGES_IN_CELL: usize = 12;

/// Loads and validates zones from GeoJSON text without building an index over them: for a
/// caller that keeps zones apart (a supervised person's few zones) or indexes them itself.
pub fn load_zones(text: &str) -> Result<Loaded, GeoError> {
    geojson::load(text)
}

/// Zones with the one spatial index over them.
#[derive(Debug, Clone)]
pub struct ZoneSet {
    zones: Vec<Zone>,
    bbox: [f64; 4],
    grid: polygon::Grid,
    /// Cell `c` holds `entries[cells[c][0]..cells[c + 1][0]]`, in zone order, and their edges
    /// from `edges[cells[c][1]]` on. Both are laid out in cell order and both starts are known
    /// from `cells` alone, so a query waits for one memory access, then two at once.
    cells: Vec<[u32; 2]>,
    entries: Vec<Entry>,
    /// Copies of the edges of the polygons' mixed cells.
    edges: Vec<[f64; 4]>,
}

impl ZoneSet {
    /// Loads and validates zones from GeoJSON text (see the crate docs for what is checked).
    pub fn from_geojson(text: &str) -> Result<(Self, Vec<Problem>), GeoError> {
        let loaded = geojson::load(text)?;
        Ok((Self::new(loaded.zones), loaded.notes))
    }

    /// Builds the index over zones already made.
    pub fn new(zones: Vec<Zone>) -> Self {
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        // The cell area each polygon would like: its own grid's.
        let mut wanted: Vec<f64> = Vec::new();
        let mut edge_count = 0usize;
        for zone in &zones {
            for b in zone.bboxes() {
                bbox = [
                    bbox[0].min(b[0]),
                    bbox[1].min(b[1]),
                    bbox[2].max(b[2]),
                    bbox[3].max(b[3]),
                ];
            }
            if let Shape::Area(polys) = &zone.shape {
                for p in polys {
                    let b = p.bbox();
                    let cells = p.edge_count() as f64 * geojson::CELLS_PER_EDGE;
                    wanted.push((b[2] - b[0]).max(1e-12) * (b[3] - b[1]).max(1e-12) / cells);
                    edge_count += p.edge_count();
                }
            }
        }
        if zones.is_empty() {
            bbox = [0.0, 0.0, 1.0, 1.0];
        }
        // Cells the size the typical polygon wants, so most answer from this grid alone; no
        // more than a few per edge, so memory follows the input.
        let area = (bbox[2] - bbox[0]).max(1e-9) * (bbox[3] - bbox[1]).max(1e-9);
        let cap = ((edge_count + zones.len()) as f64 * 8.0).clamp(4096.0, 4_000_000.0);
        let cells = if wanted.is_empty() {
            4096.0
        } else {
            let mid = wanted.len() / 2;
            let typical = *wanted.select_nth_unstable_by(mid, f64::total_cmp).1;
            (area / typical).clamp(4096.0, cap)
        };
        let grid = polygon::Grid::over(bbox, cells);
        // Each entry with its cell and where its edges start in `part_edges`, in zone order.
        let mut part_edges: Vec<[f64; 4]> = Vec::new();
        let mut placed: Vec<(u32, Entry, u32)> = Vec::new();
        for (z, zone) in zones.iter().enumerate() {
            let zone_id = z as u32;
            match &zone.shape {
                Shape::Circle(c) => {
                    let [x0, y0, x1, y1] = grid.window(c.bbox());
                    for cy in y0..=y1 {
                        for cx in x0..=x1 {
                            let test = Test::Circle;
                            placed.push((
                                (cy * grid.nx + cx) as u32,
                                Entry {
                                    zone: zone_id,
                                    test,
                                },
                                0,
                            ));
                        }
                    }
                }
                Shape::Area(polys) => {
                    for (k, p) in polys.iter().enumerate() {
                        let window = grid.window(p.bbox());
                        let [x0, y0, x1, _] = window;
                        let raster = polygon::rasterize(p.edges(), &grid, window);
                        let wnx = x1 - x0 + 1;
                        for (i, &state) in raster.state.iter().enumerate() {
                            let here = &raster.cell_edges
                                [raster.start[i] as usize..raster.start[i + 1] as usize];
                            let test = match state {
                                CellState::Outside => continue,
                                CellState::Inside => Test::Inside,
                                CellState::Mixed { centre_inside }
                                    if here.len() <= MAX_EDGES_IN_CELL =>
                                {
                                    part_edges.extend(here.iter().map(|&e| p.edges()[e as usize]));
                                    Test::Edges {
                                        len: here.len() as u32,
                                        centre_inside,
                                    }
                                }
                                CellState::Mixed { .. } | CellState::Slow => {
                                    Test::Polygon { poly: k as u32 }
                                }
                            };
                            let c = (y0 + i / wnx) * grid.nx + x0 + i % wnx;
                            let from = part_edges.len() as u32 - test_edges(test);
                            placed.push((
                                c as u32,
                                Entry {
                                    zone: zone_id,
                                    test,
                                },
                                from,
                            ));
                        }
                    }
                }
            }
        }
        // Counting sort by cell; stable, so each cell's entries stay in zone order.
        let ncell = grid.nx * grid.ny;
        let mut cells = vec![[0u32; 2]; ncell + 1];
        for &(c, e, _) in &placed {
            cells[c as usize + 1][0] += 1;
            cells[c as usize + 1][1] += test_edges(e.test);
        }
        for c in 0..ncell {
            cells[c + 1][0] += cells[c][0];
            cells[c + 1][1] += cells[c][1];
        }
        let mut fill = cells.clone();
        let inside = Entry {
            zone: 0,
            test: Test::Inside,
        };
        let mut entries = vec![inside; placed.len()];
        let mut edges = vec![[0.0; 4]; part_edges.len()];
        for (c, e, from) in placed {
            let [k, j] = &mut fill[c as usize];
            entries[*k as usize] = e;
            *k += 1;
            let n = test_edges(e.test);
            edges[*j as usize..(*j + n) as usize]
                .copy_from_slice(&part_edges[from as usize..(from + n) as usize]);
            *j += n;
        }
        Self {
            zones,
            bbox,
            grid,
            cells,
            entries,
            edges,
        }
    }

    /// The zones, in file order; [`Located`] and [`ZoneSet::locate_into`] give indices into it.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// Pushes the indices of the zones containing `(lat, lon)` onto `out`, ascending. A
    /// position that is not on Earth (or NaN) is in no zone.
    #[inline]
    pub fn locate_into(&self, lat: f64, lon: f64, out: &mut Vec<u32>) {
        if let Some(c) = self.cell_of(lat, lon) {
            self.locate_in_cell(c, lat, lon, out);
        }
    }

    /// The grid cell of a position, `None` outside every zone's bounding box (or NaN).
    #[inline]
    fn cell_of(&self, lat: f64, lon: f64) -> Option<usize> {
        let b = &self.bbox;
        if !(lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]) {
            return None;
        }
        let (cx, cy) = self.grid.cell_of([lon, lat]);
        Some(cy * self.grid.nx + cx)
    }

    #[inline]
    fn locate_in_cell(&self, c: usize, lat: f64, lon: f64, out: &mut Vec<u32>) {
        let p = [lon, lat];
        let (cx, cy) = (c % self.grid.nx, c / self.grid.nx);
        let [first, mut next_edge] = self.cells[c];
        let last = self.cells[c + 1][0];
        let start = out.len();
        for e in &self.entries[first as usize..last as usize] {
            let here = next_edge as usize..(next_edge + test_edges(e.test)) as usize;
            next_edge = here.end as u32;
            // The parts of a MultiPolygon: one hit names the zone.
            if out.len() > start && out.last() == Some(&e.zone) {
                continue;
            }
            let shape = || &self.zones[e.zone as usize].shape;
            let hit = match e.test {
                Test::Inside => true,
                Test::Edges { centre_inside, .. } => {
                    let r = self.grid.centre(cx, cy);
                    let edges = self.edges[here].iter().copied();
                    polygon::locate_from_centre(p, r, centre_inside, edges) != Location::Outside
                }
                Test::Polygon { poly } => match shape() {
                    Shape::Area(polys) => {
                        polys[poly as usize].locate(lon, lat) != Location::Outside
                    }
                    Shape::Circle(_) => false,
                },
                Test::Circle => match shape() {
                    Shape::Circle(circle) => circle.contains(Point { lat, lon }),
                    Shape::Area(_) => false,
                },
            };
            if hit {
                out.push(e.zone);
            }
        }
    }

    /// The indices of the zones containing a position, ascending.
    pub fn locate(&self, p: Point) -> Vec<u32> {
        let mut out = Vec::new();
        self.locate_into(p.lat, p.lon, &mut out);
        out
    }

    /// Locates `(lat, lon)` positions in this thread. A large batch is visited in the order
    /// of the grid's cells, so the index is read front to back instead of at random (a cache
    /// miss or two per position otherwise); the answer is the same, in input order.
    pub fn locate_many(&self, points: &[(f64, f64)]) -> Located {
        let ncell = self.grid.nx * self.grid.ny;
        if points.len() < ncell / 4 {
            let mut offsets = Vec::with_capacity(points.len() + 1);
            let mut zones = Vec::with_capacity(points.len());
            offsets.push(0);
            for &(lat, lon) in points {
                self.locate_into(lat, lon, &mut zones);
                offsets.push(zones.len() as u32);
            }
            return Located { offsets, zones };
        }
        // Counting sort of the positions by cell; those outside every zone's box are left out.
        let cell: Vec<u32> = points
            .iter()
            .map(|&(lat, lon)| self.cell_of(lat, lon).map_or(u32::MAX, |c| c as u32))
            .collect();
        let mut start = vec![0u32; ncell + 1];
        for &c in cell.iter().filter(|&&c| c != u32::MAX) {
            start[c as usize + 1] += 1;
        }
        for c in 0..ncell {
            start[c + 1] += start[c];
        }
        // The positions themselves move, so the visit below reads them in order too.
        let mut fill = start.clone();
        let mut sorted = vec![(0u32, 0.0, 0.0); start[ncell] as usize];
        for (i, (&c, &(lat, lon))) in cell.iter().zip(points).enumerate() {
            if c != u32::MAX {
                sorted[fill[c as usize] as usize] = (i as u32, lat, lon);
                fill[c as usize] += 1;
            }
        }
        // (position, zone) in cell order, then back to input order (stable: zones ascending).
        let mut found: Vec<(u32, u32)> = Vec::with_capacity(points.len());
        let mut here = Vec::new();
        for c in 0..ncell {
            for &(i, lat, lon) in &sorted[start[c] as usize..start[c + 1] as usize] {
                here.clear();
                self.locate_in_cell(c, lat, lon, &mut here);
                found.extend(here.iter().map(|&z| (i, z)));
            }
        }
        let mut offsets = vec![0u32; points.len() + 1];
        for &(i, _) in &found {
            offsets[i as usize + 1] += 1;
        }
        for i in 0..points.len() {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut zones = vec![0u32; found.len()];
        for (i, z) in found {
            zones[fill[i as usize] as usize] = z;
            fill[i as usize] += 1;
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
