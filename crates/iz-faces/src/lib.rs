//! # iz-faces: matching face templates against wanted persons
//!
//! Camera analytics send Iz face *templates* — embeddings, never images. A wanted person is
//! enrolled with one or more templates of their own (photos from different years, angles,
//! lighting). This crate answers one question per reading: is the face one of the enrolled
//! persons, and how sure is that? It is plain synchronous Rust with no I/O, clock, threads or
//! async: the ingest edge hands it a reading and takes an answer back, and the same code runs
//! in tests, benchmarks and the server.
//!
//! The pieces, in the order a reading meets them:
//!
//! - [`Template`] validates a vector once — dimension, every component finite, unit L2 norm —
//!   so later code never re-checks; the errors ([`TemplateError`]) say what was expected, which
//!   component was bad, or what the norm was.
//! - [`Gallery`] holds the enrolled templates in one contiguous row-major f32 buffer. For unit
//!   vectors cosine similarity is the dot product, computed by brute force: it is exact, needs
//!   no training, and at the sizes a watch-list reaches (10⁴–10⁶ templates) a well-vectorised
//!   scan is fast enough. The inner loops (`kernel.rs`) use AVX2+FMA when the CPU has them
//!   (detected at run time) and a portable loop otherwise; a batch of queries is scored in
//!   blocks of queries × rows so every loaded row serves many queries.
//! - [`QuantisedGallery`] adds an int8 copy for a four-times-cheaper first pass, then re-ranks
//!   the few rows that can still matter in exact f32. Its results are *identical* to exact
//!   search (the bound is argued in `quantised.rs`), so it is a speed choice, not an accuracy one.
//! - [`Thresholds`] turns the best persons into a decision: a per-camera, per-group or default
//!   threshold, and a [`FaceHit`] that says who, which enrolled template, the score, the
//!   threshold and where it came from, and the margin to the next most similar person.
//!
//! **Retention.** Searches borrow the query and keep nothing of it. When
//! [`Thresholds::decide`] returns `None`, the caller drops the template; nothing of a
//! non-matching face survives in this crate, by construction.

#![deny(clippy::unwrap_used)]

mod gallery;
mod kernel;
mod quantised;
mod rank;
mod template;
mod thresholds;

pub use gallery::{Gallery, GalleryError, Match, PersonId};
pub use kernel::Backend;
pub use quantised::QuantisedGallery;
pub use template::{DEFAULT_DIMENSION, NORM_TOLERANCE, Template, TemplateError, check};
pub use thresholds::{FaceHit, ThresholdSource, Thresholds, ThresholdsConfig, ThresholdsError};
