//! Phone numbers (mobile and fixed line): accepted numbers are stable under a second parse.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::Phone;

fuzz_target!(|text: &str| {
    if let Ok(phone) = Phone::parse(text) {
        assert_eq!(Phone::parse(phone.as_str()).as_ref(), Ok(&phone));
    }
});
