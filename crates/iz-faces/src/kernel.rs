//! The inner loops: dot products of padded rows, f32 and int8, in tiles of several queries ×
//! several gallery rows so each load feeds several multiply-adds.
//!
//! Every f32 score, whichever tile shape computes it, is the same sum in the same order: eight
//! lane partials `p[l] = Σ q[8c+l]·g[8c+l]` accumulated chunk by chunk (fused multiply-add on the
//! AVX2 path, multiply then add on the portable path), then `((p0+p4)+(p1+p5)) + ((p2+p6)+(p3+p7))`.
//! So a single query, a batch and the quantised re-rank give bit-identical scores for the same
//! pair on one machine, and rankings (ties included) agree between them.
//!
//! Rows are padded with zeros to a multiple of [`F32_LANES`] (f32) or [`I8_LANES`] (int8); zero
//! padding adds exact zeros, so it changes no sum.

// `usize::is_multiple_of` is newer than the workspace's rust-version (1.85).
#![allow(clippy::manual_is_multiple_of)]

/// f32 rows are padded to a multiple of this.
pub(crate) const F32_LANES: usize = 8;
/// int8 rows are padded to a multiple of this (one AVX2 register of bytes).
pub(crate) const I8_LANES: usize = 32;
/// Queries are processed in groups of this many by the batch kernels (padded with zero queries).
pub(crate) const QUERY_GROUP: usize = 4;

/// Which implementation of the inner loops runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Plain Rust that the compiler vectorises for the baseline target; runs on any CPU.
    Portable,
    /// x86_64 AVX2 + FMA intrinsics, chosen at run time when the CPU has both.
    Avx2Fma,
}

impl Backend {
    /// The fastest backend this CPU runs.
    pub fn detect() -> Backend {
        if Backend::Avx2Fma.is_available() {
            Backend::Avx2Fma
        } else {
            Backend::Portable
        }
    }

    /// Whether this CPU can run the backend.
    pub fn is_available(self) -> bool {
        match self {
            Backend::Portable => true,
            Backend::Avx2Fma => avx2_fma_detected(),
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn avx2_fma_detected() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn avx2_fma_detected() -> bool {
    false
}

pub(crate) fn round_up(n: usize, to: usize) -> usize {
    n.div_ceil(to) * to
}

/// `out[r] = q · rows[r]` for the first `out.len()` consecutive rows of `rows` (row-major,
/// `stride`); rows beyond those may be prefetched.
pub(crate) fn f32_scores_one(b: Backend, q: &[f32], rows: &[f32], stride: usize, out: &mut [f32]) {
    assert!(stride % F32_LANES == 0 && q.len() >= stride && rows.len() >= out.len() * stride);
    #[cfg(target_arch = "x86_64")]
    if b == Backend::Avx2Fma && avx2_fma_detected() {
        // SAFETY: the CPU has AVX2 and FMA; the lengths are checked above.
        unsafe { avx2::f32_scores_one(q, rows, stride, out) };
        return;
    }
    let _ = b;
    portable::f32_scores_one(q, rows, stride, out);
}

/// `out[i] = q · data[ids[i]]`, rows picked by id (for re-ranking candidates).
pub(crate) fn f32_scores_picked(
    b: Backend,
    q: &[f32],
    data: &[f32],
    stride: usize,
    ids: &[u32],
    out: &mut [f32],
) {
    assert!(stride % F32_LANES == 0 && q.len() >= stride && out.len() == ids.len());
    assert!(ids.iter().all(|&r| (r as usize + 1) * stride <= data.len()));
    #[cfg(target_arch = "x86_64")]
    if b == Backend::Avx2Fma && avx2_fma_detected() {
        // SAFETY: the CPU has AVX2 and FMA; every picked row is inside `data` (checked above).
        unsafe { avx2::f32_scores_picked(q, data, stride, ids, out) };
        return;
    }
    let _ = b;
    portable::f32_scores_picked(q, data, stride, ids, out);
}

/// Scores of `nq` queries (a multiple of [`QUERY_GROUP`], row-major `stride`) against `nr`
/// consecutive rows: `out[i * out_stride + r]`.
#[allow(clippy::too_many_arguments)] // two shapes (queries, rows) and an output, each with its stride
pub(crate) fn f32_scores_block(
    b: Backend,
    qs: &[f32],
    nq: usize,
    rows: &[f32],
    nr: usize,
    stride: usize,
    out: &mut [f32],
    out_stride: usize,
) {
    assert!(stride % F32_LANES == 0 && nq % QUERY_GROUP == 0);
    assert!(qs.len() >= nq * stride && rows.len() >= nr * stride && out_stride >= nr);
    assert!(nq == 0 || out.len() >= (nq - 1) * out_stride + nr);
    #[cfg(target_arch = "x86_64")]
    if b == Backend::Avx2Fma && avx2_fma_detected() {
        // SAFETY: the CPU has AVX2 and FMA; the lengths are checked above.
        unsafe { avx2::f32_scores_block(qs, nq, rows, nr, stride, out, out_stride) };
        return;
    }
    let _ = b;
    portable::f32_scores_block(qs, nq, rows, nr, stride, out, out_stride);
}

/// Raw int8 dot products `Σ g_u8[k] · q_i8[k]` (gallery codes stored offset by 128) of one query
/// against `out.len()` consecutive rows.
pub(crate) fn i8_dots_one(b: Backend, q: &[i8], rows: &[u8], stride: usize, out: &mut [i32]) {
    assert!(stride % I8_LANES == 0 && q.len() >= stride && rows.len() >= out.len() * stride);
    #[cfg(target_arch = "x86_64")]
    if b == Backend::Avx2Fma && avx2_fma_detected() {
        // SAFETY: the CPU has AVX2; the lengths are checked above.
        unsafe { avx2::i8_dots_one(q, rows, stride, out) };
        return;
    }
    let _ = b;
    portable::i8_dots_one(q, rows, stride, out);
}

/// The int8 counterpart of [`f32_scores_block`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn i8_dots_block(
    b: Backend,
    qs: &[i8],
    nq: usize,
    rows: &[u8],
    nr: usize,
    stride: usize,
    out: &mut [i32],
    out_stride: usize,
) {
    assert!(stride % I8_LANES == 0 && nq % QUERY_GROUP == 0);
    assert!(qs.len() >= nq * stride && rows.len() >= nr * stride && out_stride >= nr);
    assert!(nq == 0 || out.len() >= (nq - 1) * out_stride + nr);
    #[cfg(target_arch = "x86_64")]
    if b == Backend::Avx2Fma && avx2_fma_detected() {
        // SAFETY: the CPU has AVX2; the lengths are checked above.
        unsafe { avx2::i8_dots_block(qs, nq, rows, nr, stride, out, out_stride) };
        return;
    }
    let _ = b;
    portable::i8_dots_block(qs, nq, rows, nr, stride, out, out_stride);
}

mod portable {
    use super::{F32_LANES, I8_LANES, QUERY_GROUP};

    #[inline(always)]
    fn reduce(p: [f32; 8]) -> f32 {
        let x = [p[0] + p[4], p[1] + p[5], p[2] + p[6], p[3] + p[7]];
        (x[0] + x[1]) + (x[2] + x[3])
    }

    #[inline(always)]
    fn tile<const MR: usize, const NR: usize>(q: [&[f32]; MR], g: [&[f32]; NR]) -> [[f32; NR]; MR] {
        let mut acc = [[[0f32; F32_LANES]; NR]; MR];
        let n = g.first().map_or(0, |r| r.len());
        for off in (0..n).step_by(F32_LANES) {
            for i in 0..MR {
                let qc = &q[i][off..off + F32_LANES];
                for j in 0..NR {
                    let gc = &g[j][off..off + F32_LANES];
                    for l in 0..F32_LANES {
                        acc[i][j][l] += qc[l] * gc[l];
                    }
                }
            }
        }
        let mut out = [[0f32; NR]; MR];
        for i in 0..MR {
            for j in 0..NR {
                out[i][j] = reduce(acc[i][j]);
            }
        }
        out
    }

    pub(super) fn f32_scores_one(q: &[f32], rows: &[f32], stride: usize, out: &mut [f32]) {
        let q = &q[..stride];
        for (r, o) in out.iter_mut().enumerate() {
            *o = tile::<1, 1>([q], [&rows[r * stride..(r + 1) * stride]])[0][0];
        }
    }

    pub(super) fn f32_scores_picked(
        q: &[f32],
        data: &[f32],
        stride: usize,
        ids: &[u32],
        out: &mut [f32],
    ) {
        let q = &q[..stride];
        for (&r, o) in ids.iter().zip(out.iter_mut()) {
            let r = r as usize;
            *o = tile::<1, 1>([q], [&data[r * stride..(r + 1) * stride]])[0][0];
        }
    }

    pub(super) fn f32_scores_block(
        qs: &[f32],
        nq: usize,
        rows: &[f32],
        nr: usize,
        stride: usize,
        out: &mut [f32],
        out_stride: usize,
    ) {
        let row = |r: usize| &rows[r * stride..(r + 1) * stride];
        let query = |i: usize| &qs[i * stride..(i + 1) * stride];
        for r in 0..nr {
            for i in (0..nq).step_by(QUERY_GROUP) {
                let s = tile::<4, 1>(
                    [query(i), query(i + 1), query(i + 2), query(i + 3)],
                    [row(r)],
                );
                for (k, s) in s.iter().enumerate() {
                    out[(i + k) * out_stride + r] = s[0];
                }
            }
        }
    }

    fn i8_dot(q: &[i8], g: &[u8]) -> i32 {
        let mut acc = [0i32; I8_LANES];
        for (qc, gc) in q.chunks_exact(I8_LANES).zip(g.chunks_exact(I8_LANES)) {
            for l in 0..I8_LANES {
                acc[l] += i32::from(qc[l]) * i32::from(gc[l]);
            }
        }
        acc.iter().sum()
    }

    pub(super) fn i8_dots_one(q: &[i8], rows: &[u8], stride: usize, out: &mut [i32]) {
        let q = &q[..stride];
        for (r, o) in out.iter_mut().enumerate() {
            *o = i8_dot(q, &rows[r * stride..(r + 1) * stride]);
        }
    }

    pub(super) fn i8_dots_block(
        qs: &[i8],
        nq: usize,
        rows: &[u8],
        nr: usize,
        stride: usize,
        out: &mut [i32],
        out_stride: usize,
    ) {
        for r in 0..nr {
            let g = &rows[r * stride..(r + 1) * stride];
            for i in 0..nq {
                out[i * out_stride + r] = i8_dot(&qs[i * stride..(i + 1) * stride], g);
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{F32_LANES, I8_LANES, QUERY_GROUP};
    use std::arch::x86_64::*;
    use std::cell::RefCell;

    thread_local! {
        /// The packed row groups of the block being scored, reused between blocks (a fresh
        /// 240 KiB allocation per block costs page faults).
        static F32_PANEL: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
        static I8_PANEL: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    /// The canonical reduction (see the module docs): x_i = v_i + v_{i+4}, (x0+x1) + (x2+x3).
    #[inline(always)]
    unsafe fn reduce(v: __m256) -> f32 {
        unsafe {
            let x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
            let y = _mm_add_ps(x, _mm_movehdup_ps(x));
            let z = _mm_add_ss(y, _mm_movehl_ps(y, y));
            _mm_cvtss_f32(z)
        }
    }

    /// MR queries × NR rows, `chunks` chunks of 8 lanes each.
    #[inline(always)]
    unsafe fn tile<const MR: usize, const NR: usize>(
        q: [*const f32; MR],
        g: [*const f32; NR],
        chunks: usize,
    ) -> [[f32; NR]; MR] {
        unsafe { tile_steps::<MR, NR>(q, g, chunks, F32_LANES) }
    }

    /// [`tile`] where the gallery's chunk `c` of row `j` is at `g[j] + c * gstep` (row-major:
    /// `gstep` = 8; a packed panel of NR rows: `gstep` = 8·NR).
    #[inline(always)]
    unsafe fn tile_steps<const MR: usize, const NR: usize>(
        q: [*const f32; MR],
        g: [*const f32; NR],
        chunks: usize,
        gstep: usize,
    ) -> [[f32; NR]; MR] {
        unsafe {
            let mut acc = [[_mm256_setzero_ps(); NR]; MR];
            for c in 0..chunks {
                let off = c * F32_LANES;
                let goff = c * gstep;
                let mut gv = [_mm256_setzero_ps(); NR];
                for j in 0..NR {
                    gv[j] = _mm256_loadu_ps(g[j].add(goff));
                }
                for i in 0..MR {
                    let qv = _mm256_loadu_ps(q[i].add(off));
                    for j in 0..NR {
                        acc[i][j] = _mm256_fmadd_ps(qv, gv[j], acc[i][j]);
                    }
                }
            }
            let mut out = [[0f32; NR]; MR];
            for i in 0..MR {
                for j in 0..NR {
                    out[i][j] = reduce(acc[i][j]);
                }
            }
            out
        }
    }

    /// One query against consecutive rows, eight rows at a time, prefetching the next eight
    /// (one contiguous run of memory) while scoring these: a single query is bound by memory
    /// bandwidth, not arithmetic.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn f32_scores_one(q: &[f32], rows: &[f32], stride: usize, out: &mut [f32]) {
        const W: usize = 8;
        unsafe {
            let chunks = stride / F32_LANES;
            let base = rows.as_ptr();
            // Prefetch may run past the rows scored, up to the end of the slice given.
            let end = rows.as_ptr_range().end as *const i8;
            let n = out.len();
            let mut r = 0;
            while r + W <= n {
                let mut acc = [_mm256_setzero_ps(); W];
                let mut g = [base; W];
                for (j, p) in g.iter_mut().enumerate() {
                    *p = base.add((r + j) * stride);
                }
                // The next group starts where this one ends: W·stride floats, W/2 lines per chunk.
                let next = base.add((r + W) * stride) as *const i8;
                for c in 0..chunks {
                    let off = c * F32_LANES;
                    for m in 0..W / 2 {
                        let line = next.wrapping_add((c * W / 2 + m) * 64);
                        if line < end {
                            _mm_prefetch::<_MM_HINT_T0>(line);
                        }
                    }
                    let qv = _mm256_loadu_ps(q.as_ptr().add(off));
                    for j in 0..W {
                        acc[j] = _mm256_fmadd_ps(qv, _mm256_loadu_ps(g[j].add(off)), acc[j]);
                    }
                }
                for j in 0..W {
                    out[r + j] = reduce(acc[j]);
                }
                r += W;
            }
            let qp = [q.as_ptr()];
            while r < n {
                out[r] = tile::<1, 1>(qp, [base.add(r * stride)], chunks)[0][0];
                r += 1;
            }
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn f32_scores_picked(
        q: &[f32],
        data: &[f32],
        stride: usize,
        ids: &[u32],
        out: &mut [f32],
    ) {
        unsafe {
            let chunks = stride / F32_LANES;
            let qp = [q.as_ptr()];
            let base = data.as_ptr();
            let mut groups = ids.chunks_exact(8);
            let mut outs = out.chunks_exact_mut(8);
            for (ids8, o) in (&mut groups).zip(&mut outs) {
                let mut g = [base; 8];
                for (p, &r) in g.iter_mut().zip(ids8) {
                    *p = base.add(r as usize * stride);
                }
                o.copy_from_slice(&tile::<1, 8>(qp, g, chunks)[0]);
            }
            for (&r, o) in groups.remainder().iter().zip(outs.into_remainder()) {
                *o = tile::<1, 1>(qp, [base.add(r as usize * stride)], chunks)[0][0];
            }
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn f32_scores_block(
        qs: &[f32],
        nq: usize,
        rows: &[f32],
        nr: usize,
        stride: usize,
        out: &mut [f32],
        out_stride: usize,
    ) {
        const NR: usize = 3;
        let chunks = stride / F32_LANES;
        // Pack each group of NR rows chunk-interleaved, so the kernel reads one linear stream.
        let groups = nr / NR;
        F32_PANEL.with_borrow_mut(|panel| {
            panel.clear();
            panel.resize(groups * NR * stride, 0.0);
            for t in 0..groups {
                for j in 0..NR {
                    let row = &rows[(t * NR + j) * stride..(t * NR + j + 1) * stride];
                    for c in 0..chunks {
                        let dst = t * NR * stride + c * NR * F32_LANES + j * F32_LANES;
                        panel[dst..dst + F32_LANES]
                            .copy_from_slice(&row[c * F32_LANES..(c + 1) * F32_LANES]);
                    }
                }
            }
            unsafe {
                let qb = qs.as_ptr();
                let gb = rows.as_ptr();
                let pb = panel.as_ptr();
                let o = out.as_mut_ptr();
                for i in (0..nq).step_by(QUERY_GROUP) {
                    let q = [
                        qb.add(i * stride),
                        qb.add((i + 1) * stride),
                        qb.add((i + 2) * stride),
                        qb.add((i + 3) * stride),
                    ];
                    for t in 0..groups {
                        let p = pb.add(t * NR * stride);
                        let g = [p, p.add(F32_LANES), p.add(2 * F32_LANES)];
                        let s = tile_steps::<4, NR>(q, g, chunks, NR * F32_LANES);
                        for (k, s) in s.iter().enumerate() {
                            let dst = o.add((i + k) * out_stride + t * NR);
                            for (j, v) in s.iter().enumerate() {
                                *dst.add(j) = *v;
                            }
                        }
                    }
                    for r in groups * NR..nr {
                        let s = tile::<4, 1>(q, [gb.add(r * stride)], chunks);
                        for (k, s) in s.iter().enumerate() {
                            *o.add((i + k) * out_stride + r) = s[0];
                        }
                    }
                }
            }
        })
    }

    #[inline(always)]
    unsafe fn hsum_i32(v: __m256i) -> i32 {
        unsafe {
            let x = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
            let y = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0b01_00_11_10));
            let z = _mm_add_epi32(y, _mm_shuffle_epi32(y, 0b10_11_00_01));
            _mm_cvtsi128_si32(z)
        }
    }

    /// MR queries × NR rows of int8 codes: `vpmaddubsw` (u8 gallery × i8 query, pairs summed to
    /// i16 — the query codes are bounded by 64 so 2·255·64 cannot saturate) then `vpmaddwd`
    /// with ones to i32.
    #[inline(always)]
    unsafe fn tile_i8<const MR: usize, const NR: usize>(
        q: [*const i8; MR],
        g: [*const u8; NR],
        chunks: usize,
        gstep: usize,
    ) -> [[i32; NR]; MR] {
        unsafe {
            let ones = _mm256_set1_epi16(1);
            let mut acc = [[_mm256_setzero_si256(); NR]; MR];
            for c in 0..chunks {
                let off = c * I8_LANES;
                let goff = c * gstep;
                let mut gv = [_mm256_setzero_si256(); NR];
                for j in 0..NR {
                    gv[j] = _mm256_loadu_si256(g[j].add(goff) as *const __m256i);
                }
                for i in 0..MR {
                    let qv = _mm256_loadu_si256(q[i].add(off) as *const __m256i);
                    for j in 0..NR {
                        let p = _mm256_madd_epi16(_mm256_maddubs_epi16(gv[j], qv), ones);
                        acc[i][j] = _mm256_add_epi32(acc[i][j], p);
                    }
                }
            }
            let mut out = [[0i32; NR]; MR];
            for i in 0..MR {
                for j in 0..NR {
                    out[i][j] = hsum_i32(acc[i][j]);
                }
            }
            out
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn i8_dots_one(q: &[i8], rows: &[u8], stride: usize, out: &mut [i32]) {
        unsafe {
            let chunks = stride / I8_LANES;
            let qp = [q.as_ptr()];
            let base = rows.as_ptr();
            let n = out.len();
            let mut r = 0;
            while r + 8 <= n {
                let mut g = [base; 8];
                for (j, p) in g.iter_mut().enumerate() {
                    *p = base.add((r + j) * stride);
                }
                let s = tile_i8::<1, 8>(qp, g, chunks, I8_LANES);
                out[r..r + 8].copy_from_slice(&s[0]);
                r += 8;
            }
            while r < n {
                out[r] = tile_i8::<1, 1>(qp, [base.add(r * stride)], chunks, I8_LANES)[0][0];
                r += 1;
            }
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn i8_dots_block(
        qs: &[i8],
        nq: usize,
        rows: &[u8],
        nr: usize,
        stride: usize,
        out: &mut [i32],
        out_stride: usize,
    ) {
        const NR: usize = 3;
        let chunks = stride / I8_LANES;
        let groups = nr / NR;
        I8_PANEL.with_borrow_mut(|panel| {
            panel.clear();
            panel.resize(groups * NR * stride, 0);
            for t in 0..groups {
                for j in 0..NR {
                    let row = &rows[(t * NR + j) * stride..(t * NR + j + 1) * stride];
                    for c in 0..chunks {
                        let dst = t * NR * stride + c * NR * I8_LANES + j * I8_LANES;
                        panel[dst..dst + I8_LANES]
                            .copy_from_slice(&row[c * I8_LANES..(c + 1) * I8_LANES]);
                    }
                }
            }
            unsafe {
                let qb = qs.as_ptr();
                let gb = rows.as_ptr();
                let pb = panel.as_ptr();
                let o = out.as_mut_ptr();
                for i in (0..nq).step_by(QUERY_GROUP) {
                    let q = [
                        qb.add(i * stride),
                        qb.add((i + 1) * stride),
                        qb.add((i + 2) * stride),
                        qb.add((i + 3) * stride),
                    ];
                    for t in 0..groups {
                        let p = pb.add(t * NR * stride);
                        let g = [p, p.add(I8_LANES), p.add(2 * I8_LANES)];
                        let s = tile_i8::<4, NR>(q, g, chunks, NR * I8_LANES);
                        for (k, s) in s.iter().enumerate() {
                            let dst = o.add((i + k) * out_stride + t * NR);
                            for (j, v) in s.iter().enumerate() {
                                *dst.add(j) = *v;
                            }
                        }
                    }
                    for r in groups * NR..nr {
                        let s = tile_i8::<4, 1>(q, [gb.add(r * stride)], chunks, I8_LANES);
                        for (k, s) in s.iter().enumerate() {
                            *o.add((i + k) * out_stride + r) = s[0];
                        }
                    }
                }
            }
        })
    }
}
