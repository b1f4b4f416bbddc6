//! iz-names from the outside: the phenomena of the issue as specifications, properties, and the
//! recall of the blocking index.

mod blocking;
mod phenomena;
mod properties;
