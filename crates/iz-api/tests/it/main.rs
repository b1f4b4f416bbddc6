//! The HTTP API, end to end over a real socket, against a real SQLite store in a temp folder.
//! Each module reads as a specification of one part of the contract.

mod harness;

mod access;
mod alerts;
mod auth;
mod cameras;
mod drones;
mod events;
mod fraud;
mod import;
mod operations;
mod series;
mod session;
mod supervision;
mod watchlist;
