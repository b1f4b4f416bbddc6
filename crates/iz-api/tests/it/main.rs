//! The HTTP API, end to end over a real socket, against a real SQLite store in a temp folder.
//! Each module reads as a specification of one part of the contract.

mod harness;

mod alerts;
mod auth;
mod events;
mod operations;
mod session;
mod watchlist;
