//! What is wrong with an order or an observation, each with a stable code.

use std::fmt;

use serde::Serialize;

/// The stable codes of this crate. Change a message freely, never a code.
pub mod codes {
    // Orders (a supervised person's restrictions).
    /// A zone that is not valid GeoJSON, or that iz-geo refuses (the geo code is in the message).
    pub const INVALID_ZONE: &str = "invalid_zone";
    /// A curfew window or an interval that cannot be read or is empty.
    pub const INVALID_WINDOW: &str = "invalid_window";
    /// A curfew with neither a zone of its own nor a home zone to fall back on.
    pub const CURFEW_WITHOUT_ZONE: &str = "curfew_without_zone";
    /// A banned place category with no radius above zero, or unknown to the place catalogue.
    pub const INVALID_PLACE_BAN: &str = "invalid_place_ban";
    /// A term that ends before it starts.
    pub const INVALID_TERM: &str = "invalid_term";
    /// A device already worn by someone else.
    pub const DEVICE_TAKEN: &str = "device_taken";

    // Observations (pings, camera sightings, check-ins).
    /// Latitude outside −90..90, longitude outside −180..180, or not a number.
    pub const INVALID_POSITION: &str = "invalid_position";
    /// Accuracy zero, negative or not a number: a position without a radius cannot be judged.
    pub const INVALID_ACCURACY: &str = "invalid_accuracy";
    /// Battery outside 0..100.
    pub const INVALID_BATTERY: &str = "invalid_battery";
    /// Later than now plus the allowed clock skew.
    pub const TIME_IN_FUTURE: &str = "time_in_future";
    /// A device no supervised person wears.
    pub const UNKNOWN_DEVICE: &str = "unknown_device";
    /// A person who is not under supervision (never was, or released).
    pub const UNKNOWN_PERSON: &str = "unknown_person";
    /// Outside the person's term of supervision.
    pub const OUTSIDE_TERM: &str = "outside_term";
}

/// One thing wrong with an order, with where in it (`exclusions[1]`, `curfews[0].start`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderProblem {
    pub at: String,
    pub code: &'static str,
    pub message: String,
}

impl OrderProblem {
    pub fn new(at: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            at: at.to_string(),
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for OrderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.at, self.code, self.message)
    }
}

/// An order refused, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the order has {} problem(s): {}", .0.len(), list(.0))]
pub struct InvalidOrder(pub Vec<OrderProblem>);

fn list(problems: &[OrderProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
