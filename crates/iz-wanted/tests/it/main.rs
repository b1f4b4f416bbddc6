//! Integration tests of the wanted-person matchers.

mod scenario;
