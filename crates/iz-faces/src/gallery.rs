//! The enrolled templates and exact (f32) search.

use std::collections::HashMap;

use serde::Serialize;
use thiserror::Error;

use crate::kernel::{self, Backend, F32_LANES, QUERY_GROUP};
use crate::rank::{Collect, TopPersons, TopRows};
use crate::template::Template;

/// A wanted person's id, as the watch-list names it.
pub type PersonId = u64;

/// Why a gallery refused a call.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GalleryError {
    #[error("the template has {got} components; this gallery holds {expected}")]
    DimensionMismatch { expected: usize, got: usize },
    #[error("a gallery's dimension must be at least 1")]
    ZeroDimension,
    #[error("the gallery is full ({max} templates)")]
    Full { max: usize },
    #[error("this CPU cannot run the {0:?} backend")]
    BackendUnavailable(Backend),
}

/// One scored enrolled template: whose it is, which of theirs, and how similar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Match {
    pub person: PersonId,
    /// The index of the template among the person's enrolled templates (enrolment order).
    pub template_index: u32,
    /// The template's row in the gallery (enrolment order over all persons).
    pub row: u32,
    /// Cosine similarity, in [-1, 1] up to rounding.
    pub score: f32,
}

/// Rows per block of the batch search. The kernel packs a block once (120 rows, 240 KiB at
/// 512-d: it stays in L2) and runs every query of the batch over it, four queries at a time
/// held in L1, so each row is read from memory once per batch of up to [`BLOCK_QUERIES`].
pub(crate) const BLOCK_ROWS: usize = 120;
pub(crate) const BLOCK_QUERIES: usize = 1024;
/// Rows per chunk of a single-query scan (scores stay in L1 until ranked).
const SCAN_ROWS: usize = 512;

/// Enrolled templates of wanted persons, several per person, in one contiguous row-major f32
/// buffer (rows padded with zeros to a multiple of 8 components).
#[derive(Debug, Clone)]
pub struct Gallery {
    dimension: usize,
    stride: usize,
    data: Vec<f32>,
    /// Per row: the person's dense index, and the template's index among the person's.
    row_person: Vec<u32>,
    row_template: Vec<u32>,
    /// Per dense person index: the id and the number of enrolled templates.
    persons: Vec<(PersonId, u32)>,
    person_index: HashMap<PersonId, u32>,
    backend: Backend,
}

impl Gallery {
    /// An empty gallery for templates of `dimension` components, using the fastest backend
    /// this CPU has.
    pub fn new(dimension: usize) -> Result<Self, GalleryError> {
        if dimension == 0 {
            return Err(GalleryError::ZeroDimension);
        }
        Ok(Gallery {
            dimension,
            stride: kernel::round_up(dimension, F32_LANES),
            data: Vec::new(),
            row_person: Vec::new(),
            row_template: Vec::new(),
            persons: Vec::new(),
            person_index: HashMap::new(),
            backend: Backend::detect(),
        })
    }

    /// Enrols one more template of `person`; returns its index among the person's templates.
    pub fn enroll(&mut self, person: PersonId, template: &Template) -> Result<u32, GalleryError> {
        self.check(template)?;
        if self.row_person.len() >= u32::MAX as usize {
            return Err(GalleryError::Full {
                max: u32::MAX as usize,
            });
        }
        let next = self.persons.len() as u32;
        let p = *self.person_index.entry(person).or_insert(next);
        if p == next {
            self.persons.push((person, 0));
        }
        let index = self.persons[p as usize].1;
        self.persons[p as usize].1 += 1;
        self.data.extend_from_slice(template.as_slice());
        self.data
            .resize(self.data.len() + self.stride - self.dimension, 0.0);
        self.row_person.push(p);
        self.row_template.push(index);
        Ok(index)
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The number of enrolled templates.
    pub fn len(&self) -> usize {
        self.row_person.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_person.is_empty()
    }

    /// The number of distinct enrolled persons.
    pub fn person_count(&self) -> usize {
        self.persons.len()
    }

    /// The enrolled template at `row`, if any.
    pub fn template(&self, row: usize) -> Option<&[f32]> {
        let start = row.checked_mul(self.stride)?;
        self.data.get(start..start.checked_add(self.dimension)?)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Chooses the inner-loop implementation (benchmarks and tests compare them).
    pub fn set_backend(&mut self, backend: Backend) -> Result<(), GalleryError> {
        if !backend.is_available() {
            return Err(GalleryError::BackendUnavailable(backend));
        }
        self.backend = backend;
        Ok(())
    }

    /// The `k` enrolled templates most similar to `query`, best first (ties: earlier row first).
    pub fn search(&self, query: &Template, k: usize) -> Result<Vec<Match>, GalleryError> {
        let mut top = TopRows::new(k);
        self.scan_one(&self.padded(query)?, &mut top);
        Ok(self.rows_to_matches(&top.items))
    }

    /// The `k` persons most similar to `query`, each with their best template, best first.
    pub fn search_persons(&self, query: &Template, k: usize) -> Result<Vec<Match>, GalleryError> {
        let mut top = TopPersons::new(k);
        self.scan_one(&self.padded(query)?, &mut top);
        Ok(self.persons_to_matches(&top.items))
    }

    /// [`Gallery::search`] for many queries at once, blocked for cache reuse.
    pub fn search_batch(
        &self,
        queries: &[Template],
        k: usize,
    ) -> Result<Vec<Vec<Match>>, GalleryError> {
        let mut tops = vec![TopRows::new(k); queries.len()];
        self.scan_batch(&self.padded_batch(queries)?, &mut tops);
        Ok(tops
            .iter()
            .map(|t| self.rows_to_matches(&t.items))
            .collect())
    }

    /// [`Gallery::search_persons`] for many queries at once.
    pub fn search_persons_batch(
        &self,
        queries: &[Template],
        k: usize,
    ) -> Result<Vec<Vec<Match>>, GalleryError> {
        let mut tops = vec![TopPersons::new(k); queries.len()];
        self.scan_batch(&self.padded_batch(queries)?, &mut tops);
        Ok(tops
            .iter()
            .map(|t| self.persons_to_matches(&t.items))
            .collect())
    }

    /// The similarity of `query` to every enrolled template, in row order.
    pub fn scores(&self, query: &Template) -> Result<Vec<f32>, GalleryError> {
        let q = self.padded(query)?;
        let mut out = vec![0.0; self.len()];
        kernel::f32_scores_one(self.backend, &q, &self.data, self.stride, &mut out);
        Ok(out)
    }

    // ---- internals shared with the quantised gallery ----

    pub(crate) fn check(&self, template: &Template) -> Result<(), GalleryError> {
        if template.dimension() != self.dimension {
            return Err(GalleryError::DimensionMismatch {
                expected: self.dimension,
                got: template.dimension(),
            });
        }
        Ok(())
    }

    pub(crate) fn padded(&self, query: &Template) -> Result<Vec<f32>, GalleryError> {
        self.check(query)?;
        let mut q = Vec::with_capacity(self.stride);
        q.extend_from_slice(query.as_slice());
        q.resize(self.stride, 0.0);
        Ok(q)
    }

    /// The queries in one buffer, padded to a multiple of [`QUERY_GROUP`] with zero queries.
    fn padded_batch(&self, queries: &[Template]) -> Result<Vec<f32>, GalleryError> {
        let n = kernel::round_up(queries.len(), QUERY_GROUP);
        let mut qs = vec![0.0; n * self.stride];
        for (i, q) in queries.iter().enumerate() {
            self.check(q)?;
            qs[i * self.stride..i * self.stride + self.dimension].copy_from_slice(q.as_slice());
        }
        Ok(qs)
    }

    pub(crate) fn scan_one<C: Collect>(&self, q: &[f32], c: &mut C) {
        let mut buf = [0f32; SCAN_ROWS];
        let n = self.len();
        let mut r0 = 0;
        while r0 < n {
            let m = SCAN_ROWS.min(n - r0);
            let rows = &self.data[r0 * self.stride..];
            kernel::f32_scores_one(self.backend, q, rows, self.stride, &mut buf[..m]);
            c.offer(r0, &buf[..m], &self.row_person);
            r0 += m;
        }
    }

    /// Scores every (query, row) pair block by block: blocks of [`BLOCK_QUERIES`] queries ×
    /// [`BLOCK_ROWS`] rows, each ranked into the queries' collectors as soon as it is scored.
    fn scan_batch<C: Collect>(&self, qs: &[f32], collectors: &mut [C]) {
        let nq_padded = qs.len() / self.stride;
        let n = self.len();
        let (bq, br) = (BLOCK_QUERIES, BLOCK_ROWS);
        let mut tile = vec![0f32; bq * br];
        let mut q0 = 0;
        while q0 < nq_padded {
            let nq = bq.min(nq_padded - q0);
            let qblock = &qs[q0 * self.stride..(q0 + nq) * self.stride];
            let mut r0 = 0;
            while r0 < n {
                let nr = br.min(n - r0);
                let rows = &self.data[r0 * self.stride..(r0 + nr) * self.stride];
                kernel::f32_scores_block(
                    self.backend,
                    qblock,
                    nq,
                    rows,
                    nr,
                    self.stride,
                    &mut tile,
                    br,
                );
                for (i, c) in collectors.iter_mut().skip(q0).take(nq).enumerate() {
                    c.offer(r0, &tile[i * br..i * br + nr], &self.row_person);
                }
                r0 += nr;
            }
            q0 += nq;
        }
    }

    /// Exact scores of picked rows (the quantised re-rank), identical to a full scan's.
    pub(crate) fn scores_of(&self, q: &[f32], rows: &[u32]) -> Vec<f32> {
        let mut out = vec![0.0; rows.len()];
        kernel::f32_scores_picked(self.backend, q, &self.data, self.stride, rows, &mut out);
        out
    }

    pub(crate) fn row_person(&self) -> &[u32] {
        &self.row_person
    }

    pub(crate) fn rows_to_matches(&self, items: &[(f32, u32)]) -> Vec<Match> {
        items
            .iter()
            .map(|&(score, row)| self.matched(score, row))
            .collect()
    }

    pub(crate) fn persons_to_matches(&self, items: &[(f32, u32, u32)]) -> Vec<Match> {
        items
            .iter()
            .map(|&(score, row, _)| self.matched(score, row))
            .collect()
    }

    fn matched(&self, score: f32, row: u32) -> Match {
        let p = self.row_person[row as usize] as usize;
        Match {
            person: self.persons[p].0,
            template_index: self.row_template[row as usize],
            row,
            score,
        }
    }
}
