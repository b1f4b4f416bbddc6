//! # iz-plates: vehicle licence plates as number-plate cameras read them
//!
//! Iz's second kind of trace is a vehicle seen by a number-plate camera. A camera does not
//! report a plate; it reports a *read*: a string of characters its OCR believed it saw, with a
//! confidence, sometimes with a character it could not make out, sometimes only part of the
//! plate because a tow bar or the frame's edge hid the rest. A wanted plate, meanwhile, was
//! typed into a warrant by a clerk who may have used Cyrillic `А` for Latin `A`. This crate
//! brings the two together, without I/O and without a clock:
//!
//! - [`Plate::parse`] normalises the text ([`normalise`]: case, separators, Cyrillic
//!   look-alikes) and recognises which Kazakhstan format it fits. The formats are **data**,
//!   one row each in [`FORMATS`] with an example and a note of how well the public sources
//!   support it; the region ([`Plate::region`]) comes from the 2012 two-digit code or the
//!   1993 area letter.
//! - [`compare`] aligns a [`PlateRead`] with a plate by a weighted edit distance in which the
//!   confusions an OCR makes (`0`/`O`/`D`/`Q`, `1`/`I`/`7`, `8`/`B`, `5`/`S`, `2`/`Z`, `6`/`G`,
//!   `4`/`A`) cost [`CONFUSION_COST`] instead of [`EDIT_COST`], and returns a [`PlateMatch`]:
//!   the alignment character by character, the distance and how the score was made
//!   (`similarity × coverage × confidence`), so an operator can see why a read hit.
//! - [`PlateIndex`] holds the wanted plates and compares a read with a handful of candidates
//!   found through keys that OCR confusions cannot change, instead of with every plate.
//!
//! Matching a read to a watch entry, deciding what a hit means and recording it belong to the
//! matcher that uses this crate (behind `iz-match`'s trait), as for wanted persons in
//! `iz-wanted`.

#![deny(clippy::unwrap_used)]

mod distance;
mod format;
mod index;
mod normalise;
#[cfg(feature = "testing")]
pub mod testing;

pub use distance::{
    AlignedPair, CONFUSION_CLASSES, CONFUSION_COST, EDIT_COST, Pairing, PlateMatch, PlateRead,
    compare, confusion_class, score, similarity,
};
pub use format::{
    Evidence, FORMATS, FormatRow, MAX_LEN, Plate, PlateError, PlateFormat, REGIONS, Region,
};
pub use index::PlateIndex;
pub use normalise::{UNREAD, normalise, normalised_chars};
