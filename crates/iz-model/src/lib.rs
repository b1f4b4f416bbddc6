//! # iz-model: the one model of Iz
//!
//! Iz takes in traces of people and things, compares them with lawful watch-lists, and puts what
//! it finds in front of a person. Three nouns carry all of it, and this crate defines them:
//!
//! - an [`Event`] is something observed: a public-service request, a ticket, a hotel check-in,
//!   a border crossing. It arrives as an [`EventInput`] and is validated into an `Event` with a
//!   stable [`Rejection`] code when something is wrong, so a client learns exactly which line of
//!   a batch failed and why.
//! - a [`WatchEntry`] is something looked for. It cannot exist without a [`LegalBasis`] and an
//!   expiry, and it stops matching by itself once expired, withdrawn or closed.
//! - an [`Alert`] is something a person must decide. Matchers produce [`Hit`]s; hits fold into
//!   alerts; a [`Review`] with a reason is the only thing that closes one.
//!
//! Identity facts live here too: the [`Iin`] with its check digit and encoded birth date and
//! sex, documents and their normalised numbers, and Kazakhstan's twenty [`Region`]s.
//!
//! The crate is pure: no I/O, no async runtime, no clock reads (a [`Clock`] is injected). It is
//! shared by the matchers, the store, the API and the command line, which is why it stays small.

#![deny(clippy::unwrap_used)]

pub mod access;
pub mod alert;
pub mod clock;
pub mod event;
pub mod iin;
pub mod person;
pub mod region;
pub mod rejection;
pub mod watch;

pub use access::{Actor, Role};
pub use alert::{
    Alert, AlertId, AlertStatus, Confirmation, Decision, FoldPolicy, Hit, MatchedField, Review,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use event::{
    DocumentInput, Event, EventInput, EventKind, EventPolicy, FaceReading, NORM_TOLERANCE,
    PersonInput, Place, PlateReading, face_template_problem, parse_event,
};
pub use iin::{Iin, IinError, Sex};
pub use person::{
    Document, DocumentType, Person, normalise_document_number, normalised_document_chars,
};
pub use region::{REGIONS, Region, RegionInfo};
pub use rejection::{Rejection, codes};
pub use watch::{
    Category, FaceTemplate, LegalBasis, LegalBasisKind, NewWatchEntry, Priority, Vehicle,
    WatchEntry, WatchEntryInput, WatchId, WatchKind, WatchLink, WatchStatus,
};
