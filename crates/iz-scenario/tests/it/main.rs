//! Integration tests of the scenario: determinism, the wanted list, the event stream and the
//! places.

mod common;
mod determinism;
mod entries;
mod hits;
mod places;
mod stream;
