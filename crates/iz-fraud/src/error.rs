//! What is wrong with an event or a configuration, each with a stable code.

use std::fmt;

use serde::Serialize;

/// The stable codes of this crate. Change a message freely, never a code.
pub mod codes {
    // Events.
    /// An amount of zero or below: nothing moved, or the sign is wrong.
    pub const INVALID_AMOUNT: &str = "invalid_amount";
    /// A currency other than KZT: the centre judges tenge only.
    pub const UNSUPPORTED_CURRENCY: &str = "unsupported_currency";
    /// An account with an empty bank or account number, or an empty transaction id.
    pub const INVALID_ACCOUNT: &str = "invalid_account";
    /// An empty transaction id: without it a retry cannot be recognised.
    pub const MISSING_ID: &str = "missing_id";
    /// A call with an empty caller or callee number.
    pub const INVALID_NUMBER: &str = "invalid_number";
    /// A list entry (drug-shop details, block-list) whose expiry is not after its start.
    pub const INVALID_EXPIRY: &str = "invalid_expiry";

    // Configuration.
    /// Not valid TOML / JSON, or a field of the wrong type, or a field nobody knows.
    pub const INVALID_SYNTAX: &str = "invalid_syntax";
    /// A version this build does not read.
    pub const UNSUPPORTED_VERSION: &str = "unsupported_version";
    /// A weight outside 0..=1.
    pub const INVALID_WEIGHT: &str = "invalid_weight";
    /// A window, count or saturation of zero or below, or a share outside (0, 1].
    pub const INVALID_RANGE: &str = "invalid_range";
    /// Thresholds out of order (hold must be below block) or outside (0, 1].
    pub const INVALID_THRESHOLD: &str = "invalid_threshold";

    // Sample data (AMLSim folders).
    /// A CSV file without a column the reader needs, or with a value it cannot read.
    pub const INVALID_SAMPLE: &str = "invalid_sample";
}

/// An event refused: nothing of it reached the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Refused {
    pub code: &'static str,
    pub message: String,
}

impl Refused {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// One thing wrong with a configuration, with where in it (`dropper.weights.cycle`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigProblem {
    pub at: String,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.at, self.code, self.message)
    }
}

/// A configuration refused whole, with every problem found in it. The caller keeps the rules
/// it had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the configuration has {} problem(s): {}", .0.len(), list(.0))]
pub struct InvalidConfig(pub Vec<ConfigProblem>);

impl InvalidConfig {
    /// The codes of the problems, in the order found.
    pub fn codes(&self) -> Vec<&'static str> {
        self.0.iter().map(|p| p.code).collect()
    }
}

fn list(problems: &[ConfigProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An AMLSim sample that cannot be read, with the file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct InvalidSample {
    pub file: &'static str,
    pub line: u64,
    pub message: String,
}

impl InvalidSample {
    pub const CODE: &'static str = codes::INVALID_SAMPLE;
}
