//! The `iz` binary from the outside: commands, files, processes and restarts.

mod cli;
mod geo;
mod names;
mod purity;
mod restart;
