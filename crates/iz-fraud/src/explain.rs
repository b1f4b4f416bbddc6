//! Scores that say why: each indicator that fired, with the value measured, its weight and
//! what it added. Scores combine as a noisy-or, so each reason's `contribution` is the score
//! it alone would give, and no reason can push a score past 1.

use serde::Serialize;

/// One indicator that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// A stable name (`pass_through`, `structuring`, `payee.fan_in`, `call_then_transfer` …).
    pub indicator: String,
    /// What was measured (a count, a ratio, a number of hops).
    pub value: f64,
    /// The configured weight.
    pub weight: f64,
    /// weight × strength, the strength being the measured value mapped onto 0..=1.
    pub contribution: f64,
    /// Words for a person.
    pub detail: String,
}

impl Reason {
    pub fn new(
        indicator: impl Into<String>,
        value: f64,
        weight: f64,
        strength: f64,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            indicator: indicator.into(),
            value,
            weight,
            contribution: weight * strength.clamp(0.0, 1.0),
            detail: detail.into(),
        }
    }
}

/// The noisy-or of contributions: 1 − Π (1 − cᵢ).
pub fn noisy_or(contributions: impl IntoIterator<Item = f64>) -> f64 {
    1.0 - contributions
        .into_iter()
        .fold(1.0, |keep, c| keep * (1.0 - c.clamp(0.0, 1.0)))
}

/// A count mapped onto 0..=1: nothing at `from` or below, full at `full`.
pub fn ramp(value: f64, from: f64, full: f64) -> f64 {
    if full <= from {
        return if value > from { 1.0 } else { 0.0 };
    }
    ((value - from) / (full - from)).clamp(0.0, 1.0)
}

/// A count of events mapped onto 0..=1 with diminishing returns: 1 − 2^(−n / half), so that
/// `full` events give 7/8 and more still add.
pub fn saturate(count: f64, full: f64) -> f64 {
    if count <= 0.0 {
        return 0.0;
    }
    1.0 - (-(count / full) * 3.0 * std::f64::consts::LN_2).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noisy_or_of_nothing_is_zero_and_never_exceeds_one() {
        assert_eq!(noisy_or([]), 0.0);
        assert!((noisy_or([0.5, 0.5]) - 0.75).abs() < 1e-12);
        assert!(noisy_or([1.0, 0.9, 2.0]) <= 1.0);
    }

    #[test]
    fn saturate_gives_seven_eighths_at_full() {
        assert!((saturate(3.0, 3.0) - 0.875).abs() < 1e-9);
        assert_eq!(saturate(0.0, 3.0), 0.0);
    }
}
