//! The `iz` binary from the outside: commands, files, processes and restarts.

mod cli;
mod purity;
mod restart;
