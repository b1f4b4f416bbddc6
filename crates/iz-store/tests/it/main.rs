//! The integration tests of iz-store: the backend contract against SQLite, and what only the
//! SQLite backend promises (files, reopening, several processes, a log that shows tampering).

mod contract;
mod fraud;
mod sqlite;
mod supervision;
