//! The 24-digit investment project code: accepted codes are stable under a second parse.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::ProjectCode;

fuzz_target!(|text: &str| {
    if let Ok(code) = ProjectCode::parse(text) {
        assert_eq!(ProjectCode::parse(code.as_str()).as_ref(), Ok(&code));
    }
});
