//! Fee standards as agencies submit them (JSON): parsing never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::fee::{FeeStandard, FeeStandardDraft};

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = serde_json::from_slice::<FeeStandardDraft>(data) {
        let _ = FeeStandard::parse(&draft, "fee_standards[0]");
    }
});
