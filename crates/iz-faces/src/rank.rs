//! Collectors that keep the best rows or the best persons of a stream of scores.
//!
//! Order everywhere: higher score first, then lower gallery row (enrolment order) first, so
//! results are deterministic even on exact ties.

/// Whether `(s, r)` ranks before `(t, u)`.
#[inline(always)]
pub(crate) fn before(s: f32, r: u32, t: f32, u: u32) -> bool {
    s > t || (s == t && r < u)
}

/// Something that takes the scores of consecutive gallery rows `row0..row0 + scores.len()`,
/// offered in increasing row order.
pub(crate) trait Collect {
    fn offer(&mut self, row0: usize, scores: &[f32], person_of: &[u32]);
}

/// The `k` best rows.
#[derive(Debug, Clone)]
pub(crate) struct TopRows {
    k: usize,
    /// (score, row), best first.
    pub(crate) items: Vec<(f32, u32)>,
}

impl TopRows {
    pub(crate) fn new(k: usize) -> Self {
        TopRows {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    /// The k-th best score once k rows have been seen.
    #[inline(always)]
    pub(crate) fn floor(&self) -> f32 {
        if self.items.len() == self.k && self.k > 0 {
            self.items[self.k - 1].0
        } else {
            f32::NEG_INFINITY
        }
    }

    #[inline]
    pub(crate) fn offer_one(&mut self, s: f32, r: u32) {
        if self.k == 0 {
            return;
        }
        if let Some(&(t, u)) = self.items.get(self.k - 1) {
            if !before(s, r, t, u) {
                return;
            }
            self.items.pop();
        }
        let at = self.items.partition_point(|&(t, u)| before(t, u, s, r));
        self.items.insert(at, (s, r));
    }
}

impl Collect for TopRows {
    fn offer(&mut self, row0: usize, scores: &[f32], _person_of: &[u32]) {
        let mut floor = self.floor();
        for (i, &s) in scores.iter().enumerate() {
            // Rows arrive in increasing order, so an equal score ranks after the floor's row.
            if s > floor {
                self.offer_one(s, (row0 + i) as u32);
                floor = self.floor();
            }
        }
    }
}

/// The `k` best persons, each by its best row.
#[derive(Debug, Clone)]
pub(crate) struct TopPersons {
    k: usize,
    /// (score, row, person index), best first, one entry per person.
    pub(crate) items: Vec<(f32, u32, u32)>,
}

impl TopPersons {
    pub(crate) fn new(k: usize) -> Self {
        TopPersons {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    #[inline(always)]
    pub(crate) fn floor(&self) -> f32 {
        if self.items.len() == self.k && self.k > 0 {
            self.items[self.k - 1].0
        } else {
            f32::NEG_INFINITY
        }
    }

    #[inline]
    pub(crate) fn offer_one(&mut self, s: f32, r: u32, p: u32) {
        if self.k == 0 {
            return;
        }
        if self.items.len() == self.k {
            let (t, u, _) = self.items[self.k - 1];
            if !before(s, r, t, u) {
                return;
            }
        }
        if let Some(pos) = self.items.iter().position(|x| x.2 == p) {
            let (t, u, _) = self.items[pos];
            if !before(s, r, t, u) {
                return;
            }
            self.items.remove(pos);
        } else if self.items.len() == self.k {
            self.items.pop();
        }
        let at = self.items.partition_point(|&(t, u, _)| before(t, u, s, r));
        self.items.insert(at, (s, r, p));
    }
}

impl Collect for TopPersons {
    fn offer(&mut self, row0: usize, scores: &[f32], person_of: &[u32]) {
        let mut floor = self.floor();
        for (i, &s) in scores.iter().enumerate() {
            if s > floor {
                let r = row0 + i;
                self.offer_one(s, r as u32, person_of[r]);
                floor = self.floor();
            }
        }
    }
}

/// What a quantised screen ranks by: rows or persons.
pub(crate) trait Ranking: Collect {
    fn floor(&self) -> f32;
    fn offer_one(&mut self, s: f32, r: u32, p: u32);
}

impl Ranking for TopRows {
    fn floor(&self) -> f32 {
        TopRows::floor(self)
    }
    fn offer_one(&mut self, s: f32, r: u32, _p: u32) {
        TopRows::offer_one(self, s, r)
    }
}

impl Ranking for TopPersons {
    fn floor(&self) -> f32 {
        TopPersons::floor(self)
    }
    fn offer_one(&mut self, s: f32, r: u32, p: u32) {
        TopPersons::offer_one(self, s, r, p)
    }
}

/// The first pass of a quantised search: ranks approximate scores and keeps every row whose
/// approximate score is within `margin` of the running k-th best, where `margin` bounds twice
/// the approximation error. Every row of the exact top k is among the kept rows (see
/// `quantised.rs` for the argument).
pub(crate) struct Screen<R> {
    pub(crate) approx: R,
    pub(crate) margin: f32,
    /// (approximate score, row) in row order.
    pub(crate) kept: Vec<(f32, u32)>,
}

impl<R: Ranking> Screen<R> {
    pub(crate) fn new(approx: R, margin: f32) -> Self {
        Screen {
            approx,
            margin,
            kept: Vec::new(),
        }
    }

    pub(crate) fn cutoff(&self) -> f32 {
        self.approx.floor() - self.margin
    }

    /// The kept rows that can still be in the exact top k.
    pub(crate) fn finish(mut self) -> Vec<u32> {
        let cutoff = self.cutoff();
        self.kept.retain(|&(s, _)| s >= cutoff);
        self.kept.into_iter().map(|(_, r)| r).collect()
    }
}

impl<R: Ranking> Collect for Screen<R> {
    fn offer(&mut self, row0: usize, scores: &[f32], person_of: &[u32]) {
        let mut cutoff = self.cutoff();
        for (i, &s) in scores.iter().enumerate() {
            if s >= cutoff {
                let r = row0 + i;
                self.approx.offer_one(s, r as u32, person_of[r]);
                self.kept.push((s, r as u32));
                cutoff = self.cutoff();
            }
        }
        if self.kept.len() > 4096 {
            self.kept.retain(|&(s, _)| s >= cutoff);
        }
    }
}
