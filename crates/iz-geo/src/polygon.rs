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

const OUT: u8 = 0;
const IN: u8 = 1;
/// Cell with edges, centre outside / inside.
const MIXED_OUT: u8 = 2;
const MIXED_IN: u8 = 3;
/// Cell with edges whose centre lies on (or within rounding of) the boundary: full ray cast.
const SLOW: u8 = 4;

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
    nx: usize,
    ny: usize,
    inv_cw: f64,
    inv_ch: f64,
    cw: f64,
    ch: f64,
    state: Vec<u8>,
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
        let w = (bbox[2] - bbox[0]).max(1e-12);
        let h = (bbox[3] - bbox[1]).max(1e-12);
        let cells = (edges.len() as f64 * cells_per_edge).clamp(1.0, 4_000_000.0);
        let nx = ((cells * w / h).sqrt().ceil() as usize).clamp(1, 4096);
        let ny = ((cells / nx as f64).ceil() as usize).clamp(1, 4096);
        let cw = w / nx as f64;
        let ch = h / ny as f64;
        let mut poly = Self {
            pts,
            ring_start,
            edges,
            bbox,
            nx,
            ny,
            inv_cw: 1.0 / cw,
            inv_ch: 1.0 / ch,
            cw,
            ch,
            state: Vec::new(),
            cell_start: Vec::new(),
            cell_edges: Vec::new(),
        };
        poly.build_grid();
        poly
    }

    fn cell_of(&self, p: [f64; 2]) -> (usize, usize) {
        let cx = (((p[0] - self.bbox[0]) * self.inv_cw) as usize).min(self.nx - 1);
        let cy = (((p[1] - self.bbox[1]) * self.inv_ch) as usize).min(self.ny - 1);
        (cx, cy)
    }

    fn centre(&self, cx: usize, cy: usize) -> [f64; 2] {
        [
            self.bbox[0] + (cx as f64 + 0.5) * self.cw,
            self.bbox[1] + (cy as f64 + 0.5) * self.ch,
        ]
    }

    fn build_grid(&mut self) {
        let (nx, ny) = (self.nx, self.ny);
        let ncell = nx * ny;
        // Edges per cell: every cell the edge's bounding box overlaps (conservative), kept only
        // where the segment meets the cell grown by a margin.
        let mut counts = vec![0u32; ncell + 1];
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(self.edges.len() * 4);
        let mx = self.cw * 1e-9;
        let my = self.ch * 1e-9;
        for (e, ed) in self.edges.iter().enumerate() {
            let a = [ed[0], ed[1]];
            let b = [ed[2], ed[3]];
            let (x0, y0) = self.cell_of([a[0].min(b[0]) - mx, a[1].min(b[1]) - my]);
            let (x1, y1) = self.cell_of([a[0].max(b[0]) + mx, a[1].max(b[1]) + my]);
            let x0 = if a[0].min(b[0]) - mx < self.bbox[0] {
                0
            } else {
                x0
            };
            let y0 = if a[1].min(b[1]) - my < self.bbox[1] {
                0
            } else {
                y0
            };
            for cy in y0..=y1 {
                for cx in x0..=x1 {
                    let lo = [
                        self.bbox[0] + cx as f64 * self.cw - mx,
                        self.bbox[1] + cy as f64 * self.ch - my,
                    ];
                    let hi = [lo[0] + self.cw + 2.0 * mx, lo[1] + self.ch + 2.0 * my];
                    if segment_meets_box(a, b, lo, hi) {
                        let c = cy * nx + cx;
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
        let mut state = vec![OUT; ncell];
        let mut xs: Vec<f64> = Vec::new();
        let mut slow = vec![false; ncell];
        let mut by_row: Vec<Vec<u32>> = vec![Vec::new(); ny];
        for (e, ed) in self.edges.iter().enumerate() {
            let (ylo, yhi) = (ed[1].min(ed[3]), ed[1].max(ed[3]));
            let r0 = (((ylo - self.bbox[1]) * self.inv_ch - 0.5).floor().max(0.0)) as usize;
            let r1 =
                ((((yhi - self.bbox[1]) * self.inv_ch - 0.5).ceil()).max(0.0) as usize).min(ny - 1);
            for row in &mut by_row[r0..=r1] {
                row.push(e as u32);
            }
        }
        for (cy, row) in by_row.iter().enumerate() {
            let yc = self.bbox[1] + (cy as f64 + 0.5) * self.ch;
            xs.clear();
            for &e in row {
                let ed = self.edges[e as usize];
                if (ed[1] > yc) != (ed[3] > yc) {
                    let x = ed[0] + (yc - ed[1]) * (ed[2] - ed[0]) / (ed[3] - ed[1]);
                    xs.push(x);
                    let t = (x - self.bbox[0]) * self.inv_cw - 0.5;
                    let j = t.round();
                    if (t - j).abs() < 1e-7 && j >= 0.0 && (j as usize) < nx {
                        slow[cy * nx + j as usize] = true;
                    }
                }
            }
            xs.sort_by(f64::total_cmp);
            let mut k = 0;
            for cx in 0..nx {
                let xc = self.bbox[0] + (cx as f64 + 0.5) * self.cw;
                while k < xs.len() && xs[k] < xc {
                    k += 1;
                }
                let c = cy * nx + cx;
                let inside = k % 2 == 1;
                state[c] = match (start[c + 1] > start[c], inside) {
                    (false, false) => OUT,
                    (false, true) => IN,
                    (true, false) => MIXED_OUT,
                    (true, true) => MIXED_IN,
                };
                if start[c + 1] > start[c] {
                    let ctr = [xc, yc];
                    let on_edge = cell_edges[start[c] as usize..start[c + 1] as usize]
                        .iter()
                        .any(|&e| {
                            let ed = self.edges[e as usize];
                            let (a, b) = ([ed[0], ed[1]], [ed[2], ed[3]]);
                            orient(a, b, ctr) == 0.0 && in_box(ctr, a, b)
                        });
                    if on_edge || slow[c] {
                        state[c] = SLOW;
                    }
                }
            }
        }
        self.state = state;
        self.cell_start = start;
        self.cell_edges = cell_edges;
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
        let (cx, cy) = self.cell_of([x, y]);
        let c = cy * self.nx + cx;
        match self.state[c] {
            OUT => Location::Outside,
            IN => Location::Inside,
            SLOW => self.ray_cast([x, y]),
            s => {
                let p = [x, y];
                let r = self.centre(cx, cy);
                let mut inside = s == MIXED_IN;
                for &e in
                    &self.cell_edges[self.cell_start[c] as usize..self.cell_start[c + 1] as usize]
                {
                    let ed = self.edges[e as usize];
                    let (a, bb) = ([ed[0], ed[1]], [ed[2], ed[3]]);
                    let op = orient(a, bb, p);
                    if op == 0.0 {
                        if in_box(p, a, bb) {
                            return Location::Boundary;
                        }
                        continue;
                    }
                    // A and B on either side of the line P→R (a vertex on it counts as the
                    // positive side: a consistent perturbation), and P, R on either side of AB.
                    let sa = orient(p, r, a) >= 0.0;
                    let sb = orient(p, r, bb) >= 0.0;
                    if sa != sb {
                        let or = orient(a, bb, r);
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
            } else if orient(a, b, p) == 0.0 && in_box(p, a, b) {
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
    /// taken per grid cell, so the cost is about linear in the number of edges.
    pub fn self_intersections(&self) -> Vec<Contact> {
        let mut out: Vec<Contact> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in 0..self.nx * self.ny {
            let list =
                &self.cell_edges[self.cell_start[c] as usize..self.cell_start[c + 1] as usize];
            for (ii, &i) in list.iter().enumerate() {
                for &j in &list[ii + 1..] {
                    let (i, j) = (i.min(j) as usize, i.max(j) as usize);
                    if !seen.insert((i, j)) {
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
