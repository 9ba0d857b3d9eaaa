//! 统一社会信用代码: any text parses or is refused; an accepted code parses again to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::CreditCode;

fuzz_target!(|text: &str| {
    if let Ok(code) = CreditCode::parse(text) {
        assert_eq!(code.as_str().chars().count(), 18);
        assert_eq!(CreditCode::parse(code.as_str()).as_ref(), Ok(&code));
    }
    if text.is_char_boundary(text.len().min(17)) {
        let _ = CreditCode::check_character(&text[..text.len().min(17)]);
    }
});
