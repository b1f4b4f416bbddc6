//! int8 search with an exact re-rank.
//!
//! Each enrolled row `g` is stored a second time as int8 codes with its own scale
//! (`g̃ = code · max|g| / 127`), and each query is coded on the fly with 64 levels a side
//! (`q̃`), which lets AVX2's `vpmaddubsw` multiply unsigned gallery bytes by signed query bytes
//! without saturating. A first pass ranks the cheap scores `q̃ · g̃`; a second pass computes the
//! exact f32 score of the few rows that can still matter and ranks those.
//!
//! Why the result is the exact result. By Cauchy–Schwarz, for every row
//! `|q·g − q̃·g̃| ≤ ‖q − q̃‖·‖g‖ + ‖q̃‖·‖g − g̃‖ ≤ E` (both error norms are known: the row's at
//! enrolment, the query's when it is coded; a small slack covers f32 rounding). Let `a_k` be the
//! k-th best approximate score and `v_k` the k-th best exact score. The k rows with approximate
//! score ≥ `a_k` have exact scores ≥ `a_k − E`, so `v_k ≥ a_k − E`; a row of the exact top k has
//! exact score ≥ `v_k`, hence approximate score ≥ `v_k − E ≥ a_k − 2E`. The first pass keeps every
//! row at or above `a_k − 2E` (its running k-th best only rises, so pruning early is safe), and the
//! exact pass ranks them with the same f32 kernel as [`Gallery`] — so the top k, ties and order
//! included, are those of exact search. The same argument holds per person (a person's score is
//! the maximum over their rows, which moves by at most `E` too).
//!
//! The int8 copy costs a quarter of the f32 storage more; the f32 rows stay for the re-rank.

use crate::gallery::{BLOCK_QUERIES, BLOCK_ROWS, Gallery, GalleryError, Match, PersonId};
use crate::kernel::{self, I8_LANES, QUERY_GROUP};
use crate::rank::{Ranking, Screen, TopPersons, TopRows};
use crate::template::Template;

/// Gallery bytes hold `code + 128`, codes in -127..=127.
const GALLERY_LEVELS: f32 = 127.0;
/// Query codes in -64..=64: 2 · 255 · 64 fits in i16.
const QUERY_LEVELS: f32 = 64.0;
/// Covers the f32 rounding of both the exact and the approximate scores (each well under 1e-4
/// for unit vectors of up to a few thousand components).
const ROUNDING_SLACK: f64 = 2e-4;
/// Rows per chunk of a single-query scan.
const SCAN_ROWS: usize = 512;

/// A [`Gallery`] with an int8 copy of every row for a fast first pass.
#[derive(Debug, Clone)]
pub struct QuantisedGallery {
    exact: Gallery,
    stride: usize,
    codes: Vec<u8>,
    /// Per row: 1 / scale, and ‖g − g̃‖.
    row_step: Vec<f32>,
    row_error: Vec<f32>,
    max_row_error: f64,
}

/// A query coded for the first pass.
struct CodedQuery {
    codes: Vec<i8>,
    step: f32,
    /// 128 · Σ codes: the offset of the gallery bytes, taken back out of the raw dot product.
    offset: i32,
    /// Twice the error bound, plus slack: the screen's margin.
    margin: f32,
}

impl QuantisedGallery {
    pub fn new(dimension: usize) -> Result<Self, GalleryError> {
        Ok(Self::from_gallery(Gallery::new(dimension)?))
    }

    /// Codes every row of an existing gallery.
    pub fn from_gallery(exact: Gallery) -> Self {
        let stride = kernel::round_up(exact.dimension(), I8_LANES);
        let mut q = QuantisedGallery {
            stride,
            codes: Vec::with_capacity(exact.len() * stride),
            row_step: Vec::with_capacity(exact.len()),
            row_error: Vec::with_capacity(exact.len()),
            max_row_error: 0.0,
            exact,
        };
        for row in 0..q.exact.len() {
            let t = q
                .exact
                .template(row)
                .map(<[f32]>::to_vec)
                .unwrap_or_default();
            q.push_codes(&t);
        }
        q
    }

    /// Enrols one more template of `person` (both copies).
    pub fn enroll(&mut self, person: PersonId, template: &Template) -> Result<u32, GalleryError> {
        let index = self.exact.enroll(person, template)?;
        self.push_codes(template.as_slice());
        Ok(index)
    }

    /// The exact gallery underneath.
    pub fn exact(&self) -> &Gallery {
        &self.exact
    }

    pub fn len(&self) -> usize {
        self.exact.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// The exact top `k` rows (identical to [`Gallery::search`]), found through the int8 pass.
    pub fn search(&self, query: &Template, k: usize) -> Result<Vec<Match>, GalleryError> {
        let (qf, coded) = self.prepare(query)?;
        let mut screen = Screen::new(TopRows::new(k), coded.margin);
        self.screen_one(&coded, &mut screen);
        let mut top = TopRows::new(k);
        self.rerank(&qf, screen.finish(), |s, r| top.offer_one(s, r));
        Ok(self.exact.rows_to_matches(&top.items))
    }

    /// The exact top `k` persons (identical to [`Gallery::search_persons`]).
    pub fn search_persons(&self, query: &Template, k: usize) -> Result<Vec<Match>, GalleryError> {
        let (qf, coded) = self.prepare(query)?;
        let mut screen = Screen::new(TopPersons::new(k), coded.margin);
        self.screen_one(&coded, &mut screen);
        let mut top = TopPersons::new(k);
        let person_of = self.exact.row_person();
        self.rerank(&qf, screen.finish(), |s, r| {
            top.offer_one(s, r, person_of[r as usize])
        });
        Ok(self.exact.persons_to_matches(&top.items))
    }

    /// [`QuantisedGallery::search`] for many queries, the first pass blocked like the exact one.
    pub fn search_batch(
        &self,
        queries: &[Template],
        k: usize,
    ) -> Result<Vec<Vec<Match>>, GalleryError> {
        self.batch(
            queries,
            || TopRows::new(k),
            |top: &TopRows| self.exact.rows_to_matches(&top.items),
        )
    }

    /// [`QuantisedGallery::search_persons`] for many queries.
    pub fn search_persons_batch(
        &self,
        queries: &[Template],
        k: usize,
    ) -> Result<Vec<Vec<Match>>, GalleryError> {
        self.batch(
            queries,
            || TopPersons::new(k),
            |top: &TopPersons| self.exact.persons_to_matches(&top.items),
        )
    }

    // ---- internals ----

    fn push_codes(&mut self, g: &[f32]) {
        let max = g.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { GALLERY_LEVELS / max } else { 1.0 };
        let step = 1.0 / scale;
        let mut err = 0f64;
        let start = self.codes.len();
        self.codes.resize(start + self.stride, 128);
        for (i, &x) in g.iter().enumerate() {
            let c = (x * scale).round().clamp(-GALLERY_LEVELS, GALLERY_LEVELS);
            self.codes[start + i] = (c as i32 + 128) as u8;
            let d = f64::from(x) - f64::from(c) * f64::from(step);
            err += d * d;
        }
        let err = err.sqrt();
        self.max_row_error = self.max_row_error.max(err);
        self.row_step.push(step);
        self.row_error.push(err as f32);
    }

    fn prepare(&self, query: &Template) -> Result<(Vec<f32>, CodedQuery), GalleryError> {
        let qf = self.exact.padded(query)?;
        Ok((qf, self.code_query(query.as_slice())))
    }

    fn code_query(&self, q: &[f32]) -> CodedQuery {
        let max = q.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { QUERY_LEVELS / max } else { 1.0 };
        let step = 1.0 / scale;
        let mut codes = vec![0i8; self.stride];
        let (mut sum, mut err, mut norm) = (0i32, 0f64, 0f64);
        for (i, &x) in q.iter().enumerate() {
            let c = (x * scale).round().clamp(-QUERY_LEVELS, QUERY_LEVELS);
            codes[i] = c as i8;
            sum += c as i32;
            let back = f64::from(c) * f64::from(step);
            err += (f64::from(x) - back).powi(2);
            norm += back * back;
        }
        // ‖g‖ ≤ 1 + 1e-3 for a validated template.
        let bound = err.sqrt() * 1.001 + norm.sqrt() * self.max_row_error;
        CodedQuery {
            codes,
            step,
            offset: 128 * sum,
            margin: (2.0 * (bound + ROUNDING_SLACK)) as f32,
        }
    }

    #[inline]
    fn approx(&self, raw: i32, q: &CodedQuery, row: usize) -> f32 {
        (raw - q.offset) as f32 * (q.step * self.row_step[row])
    }

    fn screen_one<R: Ranking>(&self, q: &CodedQuery, screen: &mut Screen<R>) {
        let mut raw = [0i32; SCAN_ROWS];
        let mut approx = [0f32; SCAN_ROWS];
        let n = self.len();
        let backend = self.exact.backend();
        let mut r0 = 0;
        while r0 < n {
            let m = SCAN_ROWS.min(n - r0);
            let rows = &self.codes[r0 * self.stride..(r0 + m) * self.stride];
            kernel::i8_dots_one(backend, &q.codes, rows, self.stride, &mut raw[..m]);
            for i in 0..m {
                approx[i] = self.approx(raw[i], q, r0 + i);
            }
            crate::rank::Collect::offer(screen, r0, &approx[..m], self.exact.row_person());
            r0 += m;
        }
    }

    fn rerank(&self, qf: &[f32], rows: Vec<u32>, mut offer: impl FnMut(f32, u32)) {
        let scores = self.exact.scores_of(qf, &rows);
        for (s, r) in scores.into_iter().zip(rows) {
            offer(s, r);
        }
    }

    fn batch<R: Ranking + Clone, T>(
        &self,
        queries: &[Template],
        make: impl Fn() -> R,
        out: impl Fn(&R) -> T,
    ) -> Result<Vec<T>, GalleryError> {
        let mut coded = Vec::with_capacity(queries.len());
        let mut padded = Vec::with_capacity(queries.len());
        for q in queries {
            let (qf, c) = self.prepare(q)?;
            padded.push(qf);
            coded.push(c);
        }
        let nq_padded = kernel::round_up(queries.len(), QUERY_GROUP);
        let mut qs = vec![0i8; nq_padded * self.stride];
        for (i, c) in coded.iter().enumerate() {
            qs[i * self.stride..(i + 1) * self.stride].copy_from_slice(&c.codes);
        }
        let mut screens: Vec<Screen<R>> = coded
            .iter()
            .map(|c| Screen::new(make(), c.margin))
            .collect();
        let backend = self.exact.backend();
        let n = self.len();
        let mut raw = vec![0i32; BLOCK_QUERIES * BLOCK_ROWS];
        let mut approx = vec![0f32; BLOCK_ROWS];
        let mut q0 = 0;
        while q0 < nq_padded {
            let nq = BLOCK_QUERIES.min(nq_padded - q0);
            let qblock = &qs[q0 * self.stride..(q0 + nq) * self.stride];
            let mut r0 = 0;
            while r0 < n {
                let nr = BLOCK_ROWS.min(n - r0);
                let rows = &self.codes[r0 * self.stride..(r0 + nr) * self.stride];
                kernel::i8_dots_block(
                    backend,
                    qblock,
                    nq,
                    rows,
                    nr,
                    self.stride,
                    &mut raw,
                    BLOCK_ROWS,
                );
                for i in 0..nq.min(queries.len().saturating_sub(q0)) {
                    let c = &coded[q0 + i];
                    let screen = &mut screens[q0 + i];
                    let cutoff = screen.cutoff();
                    let line = &raw[i * BLOCK_ROWS..i * BLOCK_ROWS + nr];
                    let mut any = false;
                    for (j, &d) in line.iter().enumerate() {
                        let s = self.approx(d, c, r0 + j);
                        approx[j] = s;
                        any |= s >= cutoff;
                    }
                    if any {
                        crate::rank::Collect::offer(
                            screen,
                            r0,
                            &approx[..nr],
                            self.exact.row_person(),
                        );
                    }
                }
                r0 += nr;
            }
            q0 += nq;
        }
        let person_of = self.exact.row_person();
        Ok(screens
            .into_iter()
            .zip(&padded)
            .map(|(screen, qf)| {
                let mut top = make();
                self.rerank(qf, screen.finish(), |s, r| {
                    top.offer_one(s, r, person_of[r as usize])
                });
                out(&top)
            })
            .collect())
    }
}
