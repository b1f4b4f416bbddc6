//! A polygon (one exterior ring and its holes) prepared for point-in-polygon: a uniform grid
//! over its bounding box where each cell knows the edges that touch it and whether its centre
//! is inside. A point in a cell without edges takes the cell's answer; a point in a cell with
//! edges counts how many of them the segment from the point to the cell centre crosses. Every
//! orientation is Shewchuk's adaptive exact predicate (`robust`), so the answer is exact for
//! the `f64` coordinates given, boundaries included.

use robust::{Coord, orient2d};

/// Where a point lies relative to a polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Inside,
    Boundary,
    Outside,
}

#[inline]
fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    orient2d(
        Coord { x: a[0], y: a[1] },
        Coord { x: b[0], y: b[1] },
        Coord { x: c[0], y: c[1] },
    )
}

#[inline]
fn in_box(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> bool {
    p[0] >= a[0].min(b[0])
        && p[0] <= a[0].max(b[0])
        && p[1] >= a[1].min(b[1])
        && p[1] <= a[1].max(b[1])
}

/// A uniform grid of cells `cw` × `ch` from `origin`. The same formulas put an edge in a cell
/// at build time and a point in a cell at query time, so a point always finds the edges of its
/// cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    origin: [f64; 2],
    cw: f64,
    ch: f64,
    inv_cw: f64,
    inv_ch: f64,
    pub(crate) nx: usize,
    pub(crate) ny: usize,
}

impl Grid {
    /// About `cells` square-ish cells over `bbox`, at most 4096 a side.
    pub(crate) fn over(bbox: [f64; 4], cells: f64) -> Self {
        let w = (bbox[2] - bbox[0]).max(1e-12);
        let h = (bbox[3] - bbox[1]).max(1e-12);
        let nx = ((cells * w / h).sqrt().ceil() as usize).clamp(1, 4096);
        let ny = ((cells / nx as f64).ceil() as usize).clamp(1, 4096);
        let (cw, ch) = (w / nx as f64, h / ny as f64);
        Self {
            origin: [bbox[0], bbox[1]],
            cw,
            ch,
            inv_cw: 1.0 / cw,
            inv_ch: 1.0 / ch,
            nx,
            ny,
        }
    }

    /// The cell of a point, clamped to the grid (a cast saturates: left of it is column 0).
    #[inline]
    pub(crate) fn cell_of(&self, p: [f64; 2]) -> (usize, usize) {
        let cx = (((p[0] - self.origin[0]) * self.inv_cw) as usize).min(self.nx - 1);
        let cy = (((p[1] - self.origin[1]) * self.inv_ch) as usize).min(self.ny - 1);
        (cx, cy)
    }

    #[inline]
    pub(crate) fn centre(&self, cx: usize, cy: usize) -> [f64; 2] {
        [
            self.origin[0] + (cx as f64 + 0.5) * self.cw,
            self.origin[1] + (cy as f64 + 0.5) * self.ch,
        ]
    }

    /// The cells `[x0, y0, x1, y1]` (inclusive) a point of `bbox` can fall in.
    pub(crate) fn window(&self, bbox: [f64; 4]) -> [usize; 4] {
        let (x0, y0) = self.cell_of([bbox[0], bbox[1]]);
        let (x1, y1) = self.cell_of([bbox[2], bbox[3]]);
        [x0, y0, x1, y1]
    }
}

/// A cell of a polygon's grid, or of the zones' grid over one polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellState {
    Outside,
    Inside,
    /// Edges meet the cell; the centre is inside or not.
    Mixed {
        centre_inside: bool,
    },
    /// Edges meet the cell and its centre lies on (or within rounding of) the boundary: full
    /// ray cast.
    Slow,
}

/// A polygon's edges laid over a window of a grid: per cell (row-major within the window) its
/// state and the edges that meet it, `cell_edges[start[c]..start[c + 1]]`.
pub(crate) struct Raster {
    pub(crate) state: Vec<CellState>,
    pub(crate) start: Vec<u32>,
    pub(crate) cell_edges: Vec<u32>,
}

/// Lays `edges` over the cells `window` of `grid`. An edge is listed in every cell it meets,
/// the cell grown by a margin against rounding; a cell's centre is classified by a scan line
/// through each row of centres.
pub(crate) fn rasterize(edges: &[[f64; 4]], grid: &Grid, window: [usize; 4]) -> Raster {
    let [wx0, wy0, wx1, wy1] = window;
    let (nx, ny) = (wx1 - wx0 + 1, wy1 - wy0 + 1);
    let ncell = nx * ny;
    let mut counts = vec![0u32; ncell];
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(edges.len() * 4);
    let mx = grid.cw * 1e-9;
    let my = grid.ch * 1e-9;
    for (e, ed) in edges.iter().enumerate() {
        let a = [ed[0], ed[1]];
        let b = [ed[2], ed[3]];
        let (x0, y0) = grid.cell_of([a[0].min(b[0]) - mx, a[1].min(b[1]) - my]);
        let (x1, y1) = grid.cell_of([a[0].max(b[0]) + mx, a[1].max(b[1]) + my]);
        for cy in y0.max(wy0)..=y1.min(wy1) {
            for cx in x0.max(wx0)..=x1.min(wx1) {
                let lo = [
                    grid.origin[0] + cx as f64 * grid.cw - mx,
                    grid.origin[1] + cy as f64 * grid.ch - my,
                ];
                let hi = [lo[0] + grid.cw + 2.0 * mx, lo[1] + grid.ch + 2.0 * my];
                if segment_meets_box(a, b, lo, hi) {
                    let c = (cy - wy0) * nx + (cx - wx0);
                    counts[c] += 1;
                    pairs.push((c as u32, e as u32));
                }
            }
        }
    }
    let mut start = vec![0u32; ncell + 1];
    for c in 0..ncell {
        start[c + 1] = start[c] + counts[c];
    }
    let mut fill = start.clone();
    let mut cell_edges = vec![0u32; pairs.len()];
    for &(c, e) in &pairs {
        cell_edges[fill[c as usize] as usize] = e;
        fill[c as usize] += 1;
    }
    // Centre status by a scan line through each row's centres.
    let mut state = vec![CellState::Outside; ncell];
    let mut xs: Vec<f64> = Vec::new();
    let mut slow = vec![false; ncell];
    // The edges whose y-range may reach each row's centre line, `row_edges[row_start[r]..]`.
    let row_of = |y: f64| (y - grid.origin[1]) * grid.inv_ch - 0.5 - wy0 as f64;
    let rows = |ed: &[f64; 4]| {
        let (ylo, yhi) = (ed[1].min(ed[3]), ed[1].max(ed[3]));
        let r0 = (row_of(ylo).floor().max(0.0) as usize).min(ny - 1);
        let r1 = (row_of(yhi).ceil().max(0.0) as usize).min(ny - 1);
        r0..=r1
    };
    let mut row_start = vec![0u32; ny + 1];
    for ed in edges {
        for r in rows(ed) {
            row_start[r + 1] += 1;
        }
    }
    for r in 0..ny {
        row_start[r + 1] += row_start[r];
    }
    let mut row_fill = row_start.clone();
    let mut row_edges = vec![0u32; row_start[ny] as usize];
    for (e, ed) in edges.iter().enumerate() {
        for r in rows(ed) {
            row_edges[row_fill[r] as usize] = e as u32;
            row_fill[r] += 1;
        }
    }
    for ry in 0..ny {
        let yc = grid.centre(0, wy0 + ry)[1];
        xs.clear();
        for &e in &row_edges[row_start[ry] as usize..row_start[ry + 1] as usize] {
            let ed = edges[e as usize];
            if (ed[1] > yc) != (ed[3] > yc) {
                let x = ed[0] + (yc - ed[1]) * (ed[2] - ed[0]) / (ed[3] - ed[1]);
                xs.push(x);
                let t = (x - grid.origin[0]) * grid.inv_cw - 0.5 - wx0 as f64;
                let j = t.round();
                if (t - j).abs() < 1e-7 && j >= 0.0 && (j as usize) < nx {
                    slow[ry * nx + j as usize] = true;
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        let mut k = 0;
        for rx in 0..nx {
            let ctr = grid.centre(wx0 + rx, wy0 + ry);
            while k < xs.len() && xs[k] < ctr[0] {
                k += 1;
            }
            let c = ry * nx + rx;
            let inside = k % 2 == 1;
            let here = &cell_edges[start[c] as usize..start[c + 1] as usize];
            state[c] = if here.is_empty() {
                if inside {
                    CellState::Inside
                } else {
                    CellState::Outside
                }
            } else if slow[c]
                || here.iter().any(|&e| {
                    let ed = edges[e as usize];
                    let (a, b) = ([ed[0], ed[1]], [ed[2], ed[3]]);
                    in_box(ctr, a, b) && orient(a, b, ctr) == 0.0
                })
            {
                CellState::Slow
            } else {
                CellState::Mixed {
                    centre_inside: inside,
                }
            };
        }
    }
    Raster {
        state,
        start,
        cell_edges,
    }
}

/// Where `p` lies, given the centre `r` of its cell, whether `r` is inside, and every edge
/// that meets the cell: each edge the segment p→r crosses flips the centre's answer.
#[inline]
pub(crate) fn locate_from_centre(
    p: [f64; 2],
    r: [f64; 2],
    centre_inside: bool,
    edges: impl Iterator<Item = [f64; 4]>,
) -> Location {
    let mut inside = centre_inside;
    for ed in edges {
        let (a, b) = ([ed[0], ed[1]], [ed[2], ed[3]]);
        let op = orient(a, b, p);
        if op == 0.0 {
            if in_box(p, a, b) {
                return Location::Boundary;
            }
            continue;
        }
        // A and B on either side of the line P→R (a vertex on it counts as the positive side:
        // a consistent perturbation), and P, R on either side of AB.
        let sa = orient(p, r, a) >= 0.0;
        let sb = orient(p, r, b) >= 0.0;
        if sa != sb {
            let or = orient(a, b, r);
            if (op > 0.0) != (or > 0.0) {
                inside = !inside;
            }
        }
    }
    if inside {
        Location::Inside
    } else {
        Location::Outside
    }
}

/// One polygon with holes, coordinates as `[x, y]` = `[lon, lat]` in degrees.
#[derive(Debug, Clone)]
pub struct PreparedPolygon {
    /// Vertices of every ring, unclosed (the closing edge is implicit), exterior first.
    pts: Vec<[f64; 2]>,
    /// Start of each ring in `pts`, plus the end.
    ring_start: Vec<u32>,
    /// Edge `e` runs from `pts[e]` to the next vertex of its ring: `[ax, ay, bx, by]`.
    edges: Vec<[f64; 4]>,
    /// Bounding box `[min_x, min_y, max_x, max_y]`.
    bbox: [f64; 4],
    grid: Grid,
    state: Vec<CellState>,
    cell_start: Vec<u32>,
    cell_edges: Vec<u32>,
}

/// A self-intersection or self-touch found by [`PreparedPolygon::self_intersections`].
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// `(ring, edge in ring)` of the two segments (ring 0 is the exterior).
    pub a: (usize, usize),
    pub b: (usize, usize),
    /// Whether the boundary crosses itself (invalid) or only touches at a point (accepted).
    pub crossing: bool,
    /// Where, approximately.
    pub at: [f64; 2],
}

impl PreparedPolygon {
    /// Prepares rings given unclosed, without consecutive duplicates, each with at least three
    /// vertices (the loader guarantees it). `cells_per_edge` sets the grid's fineness.
    pub fn new(rings: &[Vec<[f64; 2]>], cells_per_edge: f64) -> Self {
        let mut pts = Vec::new();
        let mut ring_start = vec![0u32];
        let mut edges = Vec::new();
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for ring in rings {
            let n = ring.len();
            for (k, p) in ring.iter().enumerate() {
                let q = ring[(k + 1) % n];
                edges.push([p[0], p[1], q[0], q[1]]);
                bbox[0] = bbox[0].min(p[0]);
                bbox[1] = bbox[1].min(p[1]);
                bbox[2] = bbox[2].max(p[0]);
                bbox[3] = bbox[3].max(p[1]);
            }
            pts.extend_from_slice(ring);
            ring_start.push(pts.len() as u32);
        }
        let cells = (edges.len() as f64 * cells_per_edge).clamp(1.0, 4_000_000.0);
        let grid = Grid::over(bbox, cells);
        let raster = rasterize(&edges, &grid, [0, 0, grid.nx - 1, grid.ny - 1]);
        Self {
            pts,
            ring_start,
            edges,
            bbox,
            grid,
            state: raster.state,
            cell_start: raster.start,
            cell_edges: raster.cell_edges,
        }
    }

    /// The edges `[ax, ay, bx, by]`, ring after ring.
    pub(crate) fn edges(&self) -> &[[f64; 4]] {
        &self.edges
    }

    /// The bounding box `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox(&self) -> [f64; 4] {
        self.bbox
    }

    /// Number of edges (vertices) over all rings.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Where `(x, y)` = `(lon, lat)` lies: exact for the `f64` coordinates, boundary included.
    #[inline]
    pub fn locate(&self, x: f64, y: f64) -> Location {
        let b = &self.bbox;
        if !(x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) {
            return Location::Outside;
        }
        let (cx, cy) = self.grid.cell_of([x, y]);
        let c = cy * self.grid.nx + cx;
        match self.state[c] {
            CellState::Outside => Location::Outside,
            CellState::Inside => Location::Inside,
            CellState::Slow => self.ray_cast([x, y]),
            CellState::Mixed { centre_inside } => locate_from_centre(
                [x, y],
                self.grid.centre(cx, cy),
                centre_inside,
                self.cell_edges[self.cell_start[c] as usize..self.cell_start[c + 1] as usize]
                    .iter()
                    .map(|&e| self.edges[e as usize]),
            ),
        }
    }

    /// Exact ray cast over every edge: the reference for tests and the path for the rare cell
    /// whose centre lies on the boundary.
    pub fn ray_cast(&self, p: [f64; 2]) -> Location {
        let mut inside = false;
        for ed in &self.edges {
            let (a, b) = ([ed[0], ed[1]], [ed[2], ed[3]]);
            if (a[1] > p[1]) != (b[1] > p[1]) {
                let o = orient(a, b, p);
                if o == 0.0 {
                    return Location::Boundary;
                }
                if (o > 0.0) == (b[1] > a[1]) {
                    inside = !inside;
                }
            } else if in_box(p, a, b) && orient(a, b, p) == 0.0 {
                return Location::Boundary;
            }
        }
        if inside {
            Location::Inside
        } else {
            Location::Outside
        }
    }

    /// Distance in metres from `(lon, lat)` to the nearest edge, on a local equirectangular
    /// projection centred on the point (see the crate docs for its error).
    pub fn distance_to_boundary_m(&self, lon: f64, lat: f64) -> f64 {
        let k = crate::METRES_PER_DEGREE;
        let kx = k * lat.to_radians().cos();
        let mut best = f64::INFINITY;
        for ed in &self.edges {
            let a = [(ed[0] - lon) * kx, (ed[1] - lat) * k];
            let b = [(ed[2] - lon) * kx, (ed[3] - lat) * k];
            best = best.min(dist_origin_segment(a, b));
        }
        best
    }

    fn ring_of(&self, e: usize) -> (usize, usize, usize) {
        let r = self.ring_start.partition_point(|&s| s as usize <= e) - 1;
        let s = self.ring_start[r] as usize;
        let n = self.ring_start[r + 1] as usize - s;
        (r, e - s, n)
    }

    fn vertex(&self, r: usize, k: usize) -> [f64; 2] {
        let s = self.ring_start[r] as usize;
        let n = self.ring_start[r + 1] as usize - s;
        self.pts[s + (k % n)]
    }

    /// The pass of the boundary through vertex `k` of ring `r`: the vertex before and after it.
    fn pass(&self, r: usize, k: usize, n: usize) -> ([f64; 2], [f64; 2]) {
        (self.vertex(r, k + n - 1), self.vertex(r, k + 1))
    }

    /// Every place where two edges that are not neighbours meet, or neighbours fold back on
    /// each other. A crossing (or an overlap) makes the polygon invalid; a touch at a point (a
    /// ring pinched at a vertex, as in real boundary files) is reported but accepted. Pairs are
    /// taken per grid cell, each pair in the first cell the two edges share, so the cost is
    /// about linear in the number of edges.
    pub fn self_intersections(&self) -> Vec<Contact> {
        let ncell = self.grid.nx * self.grid.ny;
        let list = |c: usize| {
            &self.cell_edges[self.cell_start[c] as usize..self.cell_start[c + 1] as usize]
        };
        // The cells of each edge, ascending: the cell lists turned around.
        let mut first = vec![0u32; self.edges.len() + 1];
        for &e in &self.cell_edges {
            first[e as usize + 1] += 1;
        }
        for e in 0..self.edges.len() {
            first[e + 1] += first[e];
        }
        let mut fill = first.clone();
        let mut edge_cells = vec![0u32; self.cell_edges.len()];
        for c in 0..ncell {
            for &e in list(c) {
                edge_cells[fill[e as usize] as usize] = c as u32;
                fill[e as usize] += 1;
            }
        }
        let cells_of = |e: usize| &edge_cells[first[e] as usize..first[e + 1] as usize];
        let mut out: Vec<Contact> = Vec::new();
        for c in 0..ncell {
            let here = list(c);
            for (ii, &i) in here.iter().enumerate() {
                for &j in &here[ii + 1..] {
                    let (i, j) = (i.min(j) as usize, i.max(j) as usize);
                    if !boxes_meet(self.edges[i], self.edges[j])
                        || first_common(cells_of(i), cells_of(j)) != Some(c as u32)
                    {
                        continue;
                    }
                    if let Some(contact) = self.contact(i, j) {
                        out.push(contact);
                    }
                }
            }
        }
        out.sort_by_key(|x| (x.a, x.b));
        out
    }

    fn contact(&self, i: usize, j: usize) -> Option<Contact> {
        let (ri, ki, ni) = self.ring_of(i);
        let (rj, kj, nj) = self.ring_of(j);
        let ei = self.edges[i];
        let ej = self.edges[j];
        let (a, b) = ([ei[0], ei[1]], [ei[2], ei[3]]);
        let (c, d) = ([ej[0], ej[1]], [ej[2], ej[3]]);
        let make = |crossing: bool, at: [f64; 2]| Contact {
            a: (ri, ki),
            b: (rj, kj),
            crossing,
            at,
        };
        let adjacent = ri == rj && ((ki + 1) % ni == kj || (kj + 1) % nj == ki);
        if adjacent {
            // Shared vertex v; a fold-back (spike) when the other ends point the same way.
            let (u, v, w) = if (ki + 1) % ni == kj {
                (a, b, d)
            } else {
                (c, d, b)
            };
            if ni >= 3 {
                let o = orient(u, v, w);
                let dot = (u[0] - v[0]) * (w[0] - v[0]) + (u[1] - v[1]) * (w[1] - v[1]);
                if o == 0.0 && dot > 0.0 {
                    return Some(make(true, v));
                }
            }
            return None;
        }
        let o1 = orient(a, b, c);
        let o2 = orient(a, b, d);
        let o3 = orient(c, d, a);
        let o4 = orient(c, d, b);
        if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
            let t = o3 / (o3 - o4);
            return Some(make(
                true,
                [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])],
            ));
        }
        if o1 == 0.0 && o2 == 0.0 {
            // Collinear: overlapping by a length is a crossing; meeting at an end is a touch.
            let (ax, bx, cx, dx) = if (a[0] - b[0]).abs() >= (a[1] - b[1]).abs() {
                (a[0], b[0], c[0], d[0])
            } else {
                (a[1], b[1], c[1], d[1])
            };
            let lo = ax.min(bx).max(cx.min(dx));
            let hi = ax.max(bx).min(cx.max(dx));
            if hi > lo {
                return Some(make(true, c));
            }
            if hi < lo {
                return None;
            }
        }
        // A touch at a point: which vertex, and do the two passes through it cross?
        let pass_i_at = |p: [f64; 2]| -> ([f64; 2], [f64; 2]) {
            if p == a {
                self.pass(ri, ki, ni)
            } else if p == b {
                self.pass(ri, ki + 1, ni)
            } else {
                (a, b)
            }
        };
        let pass_j_at = |p: [f64; 2]| -> ([f64; 2], [f64; 2]) {
            if p == c {
                self.pass(rj, kj, nj)
            } else if p == d {
                self.pass(rj, kj + 1, nj)
            } else {
                (c, d)
            }
        };
        let v = if o1 == 0.0 && in_box(c, a, b) {
            c
        } else if o2 == 0.0 && in_box(d, a, b) {
            d
        } else if o3 == 0.0 && in_box(a, c, d) {
            a
        } else if o4 == 0.0 && in_box(b, c, d) {
            b
        } else {
            return None;
        };
        let (p1, q1) = pass_i_at(v);
        let (p2, q2) = pass_j_at(v);
        Some(make(passes_cross(v, p1, q1, p2, q2), v))
    }
}

/// Whether the boundary pass p2→v→q2 crosses the pass p1→v→q1 at v (rather than touching it).
fn passes_cross(v: [f64; 2], p1: [f64; 2], q1: [f64; 2], p2: [f64; 2], q2: [f64; 2]) -> bool {
    // On a ray of the first pass: not a crossing here (an overlap is found by its own pair).
    let on_ray = |r: [f64; 2], q: [f64; 2]| {
        orient(v, r, q) == 0.0
            && (r[0] - v[0]) * (q[0] - v[0]) + (r[1] - v[1]) * (q[1] - v[1]) > 0.0
    };
    if on_ray(p1, p2) || on_ray(p1, q2) || on_ray(q1, p2) || on_ray(q1, q2) {
        return false;
    }
    in_sector(v, p1, q1, p2) != in_sector(v, p1, q1, q2)
}

/// Whether q lies strictly inside the sector swept counter-clockwise from ray v→a to ray v→b.
fn in_sector(v: [f64; 2], a: [f64; 2], b: [f64; 2], q: [f64; 2]) -> bool {
    let ab = orient(v, a, b);
    let aq = orient(v, a, q);
    let qb = orient(v, q, b);
    if ab > 0.0 {
        aq > 0.0 && qb > 0.0
    } else if ab < 0.0 {
        !(orient(v, b, q) >= 0.0 && orient(v, q, a) >= 0.0)
    } else {
        let same_way = (a[0] - v[0]) * (b[0] - v[0]) + (a[1] - v[1]) * (b[1] - v[1]) > 0.0;
        if same_way { false } else { aq > 0.0 }
    }
}

/// Whether the bounding boxes of two edges meet (boundaries included): no contact otherwise.
fn boxes_meet(e: [f64; 4], f: [f64; 4]) -> bool {
    e[0].min(e[2]) <= f[0].max(f[2])
        && f[0].min(f[2]) <= e[0].max(e[2])
        && e[1].min(e[3]) <= f[1].max(f[3])
        && f[1].min(f[3]) <= e[1].max(e[3])
}

/// The first cell in both ascending lists.
fn first_common(a: &[u32], b: &[u32]) -> Option<u32> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

fn dist_origin_segment(a: [f64; 2], b: [f64; 2]) -> f64 {
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let t = if len2 > 0.0 {
        (-(a[0] * d[0] + a[1] * d[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let p = [a[0] + t * d[0], a[1] + t * d[1]];
    (p[0] * p[0] + p[1] * p[1]).sqrt()
}

/// Whether segment ab meets the axis-aligned box [lo, hi] (Liang–Barsky clipping).
fn segment_meets_box(a: [f64; 2], b: [f64; 2], lo: [f64; 2], hi: [f64; 2]) -> bool {
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for k in 0..2 {
        let d = b[k] - a[k];
        if d == 0.0 {
            if a[k] < lo[k] || a[k] > hi[k] {
                return false;
            }
        } else {
            let mut ta = (lo[k] - a[k]) / d;
            let mut tb = (hi[k] - a[k]) / d;
            if ta > tb {
                std::mem::swap(&mut ta, &mut tb);
            }
            t0 = t0.max(ta);
            t1 = t1.min(tb);
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<[f64; 2]> {
        vec![[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s]]
    }

    #[test]
    fn square_with_hole() {
        let p = PreparedPolygon::new(&[square(0.0, 0.0, 4.0), square(1.0, 1.0, 2.0)], 4.0);
        assert_eq!(p.locate(0.5, 0.5), Location::Inside);
        assert_eq!(p.locate(2.0, 2.0), Location::Outside);
        assert_eq!(p.locate(1.0, 2.0), Location::Boundary);
        assert_eq!(p.locate(0.0, 0.0), Location::Boundary);
        assert_eq!(p.locate(4.0, 3.0), Location::Boundary);
        assert_eq!(p.locate(5.0, 3.0), Location::Outside);
        assert!(p.self_intersections().is_empty());
    }

    #[test]
    fn bow_tie_is_a_crossing() {
        let p = PreparedPolygon::new(&[vec![[0.0, 0.0], [2.0, 2.0], [2.0, 0.0], [0.0, 2.0]]], 4.0);
        let c = p.self_intersections();
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c[0].crossing);
        assert_eq!(c[0].at, [1.0, 1.0]);
    }

    #[test]
    fn pinched_ring_is_a_touch() {
        // A square with a small triangle hanging off its corner (0,0), as in the Atyrau ring.
        let ring = vec![
            [0.0, 0.0],
            [4.0, 0.0],
            [4.0, 4.0],
            [0.0, 4.0],
            [0.0, 0.0],
            [-1.0, -0.5],
            [-0.5, -1.0],
        ];
        let p = PreparedPolygon::new(&[ring], 4.0);
        let c = p.self_intersections();
        assert!(!c.is_empty());
        assert!(c.iter().all(|c| !c.crossing), "{c:?}");
    }
}
