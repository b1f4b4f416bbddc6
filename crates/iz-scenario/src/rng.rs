//! The scenario's own randomness: SplitMix64 and a small Feistel permutation.
//!
//! Both are a few lines and fixed here, so the same seed gives the same scenario whatever
//! version of an outside random-number crate is in the tree. Every event and every person is
//! keyed by numbers (seed, run, index), so any one of them can be derived on its own.

/// The SplitMix64 finaliser: a bijective mix of 64 bits.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Folds several numbers into one key.
pub(crate) fn key(parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(0x243f_6a88_85a3_08d3, |acc, &p| mix64(acc ^ mix64(p)))
}

/// A SplitMix64 stream.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(parts: &[u64]) -> Self {
        Rng(key(parts))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub(crate) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index drawn with the given weights (which need not sum to one).
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// An index drawn with weights given as running totals (see [`cumulative`]).
    pub(crate) fn pick(&mut self, cumulative: &[f64]) -> usize {
        let x = self.unit() * cumulative.last().copied().unwrap_or_default();
        cumulative
            .iter()
            .position(|&c| x < c)
            .unwrap_or(cumulative.len().saturating_sub(1))
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
}

/// Running totals of weights, for [`Rng::pick`].
pub(crate) const fn cumulative<const N: usize>(weights: [f64; N]) -> [f64; N] {
    let mut out = [0.0; N];
    let mut total = 0.0;
    let mut i = 0;
    while i < N {
        total += weights[i];
        out[i] = total;
        i += 1;
    }
    out
}

/// A keyed permutation of `0..2^(2·half_bits)`, a balanced Feistel network with four rounds.
/// With cycle walking ([`Feistel::permute_below`]) it gives a one-to-one map of `0..n` into
/// itself, which is how people get identifiers that never collide without being stored.
#[derive(Debug, Clone)]
pub(crate) struct Feistel {
    half_bits: u32,
    keys: [u64; 4],
}

impl Feistel {
    pub(crate) fn new(half_bits: u32, seed: u64, purpose: u64) -> Self {
        let k = |round: u64| key(&[seed, purpose, round]);
        Feistel {
            half_bits,
            keys: [k(0), k(1), k(2), k(3)],
        }
    }

    fn permute(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut left, mut right) = ((x >> self.half_bits) & mask, x & mask);
        for k in self.keys {
            let f = mix64(right ^ k) & mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half_bits) | right
    }

    /// The image of `x < n` under the permutation restricted to `0..n` (cycle walking); needs
    /// `n <= 2^(2·half_bits)`. Distinct inputs below `n` give distinct outputs below `n`.
    pub(crate) fn permute_below(&self, x: u64, n: u64) -> u64 {
        let mut y = self.permute(x);
        while y >= n {
            y = self.permute(y);
        }
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feistel_walk_is_one_to_one_below_n() {
        let f = Feistel::new(6, 42, 1); // 0..4096
        let n = 3000;
        let mut seen = vec![false; n as usize];
        for x in 0..n {
            let y = f.permute_below(x, n);
            assert!(y < n);
            assert!(!seen[y as usize], "{y} reached twice");
            seen[y as usize] = true;
        }
    }

    #[test]
    fn below_and_weighted_stay_in_range() {
        let mut r = Rng::new(&[1, 2, 3]);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            assert!(r.below(7) < 7);
            counts[r.weighted(&[1.0, 2.0, 7.0])] += 1;
        }
        // 10 %, 20 %, 70 % within a few standard deviations.
        assert!((2_700..3_300).contains(&counts[0]), "{counts:?}");
        assert!((5_500..6_500).contains(&counts[1]), "{counts:?}");
        assert!((20_300..21_700).contains(&counts[2]), "{counts:?}");
        let cum = cumulative([1.0, 2.0, 7.0]);
        assert_eq!(cum, [1.0, 3.0, 10.0]);
        let mut picked = [0u32; 3];
        for _ in 0..30_000 {
            picked[r.pick(&cum)] += 1;
        }
        assert!(
            (2_700..3_300).contains(&picked[0]) && (20_300..21_700).contains(&picked[2]),
            "{picked:?}"
        );
    }
}
