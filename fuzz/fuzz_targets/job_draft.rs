//! Job drafts as enterprises post them (JSON): parsing never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::job::JobDraft;

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = serde_json::from_slice::<JobDraft>(data) {
        let _ = draft.parse();
    }
});
