//! Approval case events as the approval system pushes them (JSON): checking never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::approval::CaseEventRequest;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = serde_json::from_slice::<CaseEventRequest>(data) {
        let _ = event.check();
    }
});
