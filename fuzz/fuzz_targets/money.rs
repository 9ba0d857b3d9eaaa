//! Amounts typed in yuan: an accepted amount prints as yuan that parse back to the same fen.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::Money;

fuzz_target!(|text: &str| {
    if let Ok(money) = Money::parse_yuan(text) {
        assert!(money.fen() >= 0);
        let printed = money.to_yuan_string();
        assert_eq!(
            Money::parse_yuan(&printed),
            Ok(money),
            "{text:?} printed as {printed:?}"
        );
    }
});
