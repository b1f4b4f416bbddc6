//! iz-geo from the outside: loading, validation, containment, distance.

mod load;
mod props;
