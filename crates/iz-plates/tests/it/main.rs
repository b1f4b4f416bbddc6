//! iz-plates as its users see it: formats, comparison, the index and its properties.

mod compare;
mod formats;
mod index;
mod properties;
