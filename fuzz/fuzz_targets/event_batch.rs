//! Any bytes as a batch body: split into items and parse each as an event. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
    let policy = iz_model::TimePolicy::default();
    let _ = iz_ingest::for_each_item(body, |_, text| {
        if let Ok(text) = text {
            let _ = iz_model::parse_event(text, now, &policy);
        }
    });
});
