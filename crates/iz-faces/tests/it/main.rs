//! iz-faces integration tests: specifications first, then properties.

mod common;
mod properties;
mod search;
mod thresholds;
mod validation;
