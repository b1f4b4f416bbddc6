//! Any text as a `POST /v1/watchlist` body: parse and validate. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
    if let Ok(input) = serde_json::from_str::<iz_model::WatchEntryInput>(text) {
        let _ = input.validate(now);
    }
});
