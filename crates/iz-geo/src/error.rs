//! Errors and problems, each with a stable machine code.

use std::fmt;

/// What is wrong with (or was repaired in) one feature of a zones file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The feature's index in the file (0-based), `None` for the file as a whole.
    pub feature: Option<usize>,
    /// A stable machine code, e.g. `self_intersection`.
    pub code: &'static str,
    /// What a person reads: where and why.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(
        feature: Option<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            feature,
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.feature {
            Some(i) => write!(f, "feature {i}: {}: {}", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

/// The errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The zones file is not JSON at all.
    #[error("invalid_json: {0}")]
    Json(#[from] serde_json::Error),
    /// The zones file parsed but some features are wrong; every problem is listed.
    #[error("{} problem(s) in the zones:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    /// A position that cannot be on Earth (or is not a number).
    #[error("invalid_coordinate: {0}")]
    Coordinate(String),
}

impl GeoError {
    /// The stable machine code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            GeoError::Json(_) => "invalid_json",
            GeoError::Invalid(_) => "invalid_zones",
            GeoError::Coordinate(_) => "invalid_coordinate",
        }
    }

    /// The problems of an invalid zones file (empty for the other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            GeoError::Invalid(p) => p,
            _ => &[],
        }
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
