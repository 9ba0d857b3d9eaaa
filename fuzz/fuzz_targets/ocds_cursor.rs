//! The OCDS change feed's cursor: accepted cursors are non-negative and print back as given.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::ocds::parse_cursor;

fuzz_target!(|text: &str| {
    if let Some(position) = parse_cursor(text) {
        assert!(position >= 0);
        assert_eq!(parse_cursor(&position.to_string()), Some(position));
    }
});
