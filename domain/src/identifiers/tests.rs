use super::*;
use crate::error::{Locale, Violation};
use proptest::prelude::*;

/// The worked example printed in GB 32100-2015 itself.
const STANDARD_EXAMPLE: &str = "91350100M000100Y43";

#[test]
fn the_example_from_the_standard_is_accepted() {
    assert!(CreditCode::parse(STANDARD_EXAMPLE).is_ok());
    assert_eq!(CreditCode::check_character("91350100M000100Y4"), Some('3'));
}

#[test]
fn credit_code_is_normalised_to_upper_case_without_spaces() {
    let code = CreditCode::parse("  91350100m000100y43 ").unwrap();
    assert_eq!(code.as_str(), "91350100M000100Y43");
    assert_eq!(code.registration_category(), "91");
}

#[test]
fn a_wrong_check_character_is_rejected() {
    assert_eq!(
        CreditCode::parse("91350100M000100Y44"),
        Err(CreditCodeError::WrongCheckCharacter)
    );
}

#[test]
fn credit_code_of_wrong_length_is_rejected() {
    assert_eq!(
        CreditCode::parse("91350100M000100Y4"),
        Err(CreditCodeError::WrongLength(17))
    );
    assert_eq!(CreditCode::parse("   "), Err(CreditCodeError::Empty));
}

#[test]
fn letters_excluded_by_the_standard_are_rejected() {
    // I, O, S, V and Z are never used.
    assert!(matches!(
        CreditCode::parse("91350100I000100Y43"),
        Err(CreditCodeError::InvalidCharacter { position: 9, .. })
    ));
}

#[test]
fn a_non_numeric_division_code_is_rejected() {
    let first17 = "9135A100M000100Y4";
    let check = CreditCode::check_character(first17).unwrap();
    assert_eq!(
        CreditCode::parse(&format!("{first17}{check}")),
        Err(CreditCodeError::InvalidDivisionCode)
    );
}

#[test]
fn the_error_codes_are_stable_and_messages_exist_in_both_locales() {
    let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
    assert_eq!(err.code(), "credit_code_check_char");
    assert!(err.message(Locale::ZhCn).contains("校验位"));
    assert!(err.message(Locale::En).contains("check character"));
}

proptest! {
    #[test]
    fn any_code_built_with_its_check_character_parses(
        body in "[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}"
    ) {
        let check = CreditCode::check_character(&body).unwrap();
        let code = format!("{body}{check}");
        let parsed = CreditCode::parse(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn changing_one_character_breaks_the_check(
        body in "[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}",
        position in 0usize..17,
        replacement in 0usize..31,
    ) {
        let check = CreditCode::check_character(&body).unwrap();
        let mut chars: Vec<char> = body.chars().collect();
        let new_char = CREDIT_CODE_CHARSET[replacement] as char;
        prop_assume!(chars[position] != new_char);
        prop_assume!(!(2..8).contains(&position) || new_char.is_ascii_digit());
        chars[position] = new_char;
        let altered: String = chars.into_iter().collect();
        prop_assert_eq!(
            CreditCode::parse(&format!("{altered}{check}")),
            Err(CreditCodeError::WrongCheckCharacter)
        );
    }
}

#[test]
fn a_hyphenated_project_code_is_accepted() {
    let code = ProjectCode::parse("2026-539901-48-01-000123").unwrap();
    assert_eq!(code.as_str(), "2026-539901-48-01-000123");
    assert_eq!(code.year(), 2026);
}

#[test]
fn twenty_bare_digits_are_hyphenated() {
    let code = ProjectCode::parse("20265399014801000123").unwrap();
    assert_eq!(code.as_str(), "2026-539901-48-01-000123");
}

#[test]
fn project_codes_with_wrong_shape_are_rejected() {
    for bad in [
        "2026-539901-48-01-00012",
        "2026-539901-48-01-0001234",
        "2026 539901 48 01 000123x",
        "2026_539901-48-01-000123",
        "2026-53990A-48-01-000123",
        "202653990148010001234",
    ] {
        assert_eq!(
            ProjectCode::parse(bad),
            Err(ProjectCodeError::WrongFormat),
            "{bad}"
        );
    }
    assert_eq!(ProjectCode::parse(""), Err(ProjectCodeError::Empty));
}

#[test]
fn project_codes_with_bad_year_or_type_are_rejected() {
    assert_eq!(
        ProjectCode::parse("1999-539901-48-01-000123"),
        Err(ProjectCodeError::InvalidYear)
    );
    assert_eq!(
        ProjectCode::parse("2026-539901-48-04-000123"),
        Err(ProjectCodeError::InvalidTypeCode)
    );
}

#[test]
fn mobile_and_landline_numbers_are_accepted() {
    assert_eq!(
        Phone::parse("138 0013 8000").unwrap().as_str(),
        "13800138000"
    );
    assert_eq!(
        Phone::parse("+8613800138000").unwrap().as_str(),
        "13800138000"
    );
    assert!(Phone::parse("0871-65123456").is_ok());
    assert!(Phone::parse("010-8888888").is_ok());
    assert!(Phone::parse("087165123456").is_ok());
    assert!(Phone::parse("0871-65123456转801").is_ok());
}

#[test]
fn malformed_phone_numbers_are_rejected() {
    for bad in [
        "12800138000",
        "1380013800",
        "871-65123456",
        "0871-651234",
        "abc",
    ] {
        assert_eq!(Phone::parse(bad), Err(PhoneError::WrongFormat), "{bad}");
    }
    assert_eq!(Phone::parse(" "), Err(PhoneError::Empty));
}

#[test]
fn email_domain_is_lower_cased_and_shape_is_checked() {
    assert_eq!(
        Email::parse(" Zhang.San@Example.COM ").unwrap().as_str(),
        "Zhang.San@example.com"
    );
    for bad in ["no-at-sign", "a@b", "a@.cn", "a b@c.cn", "@c.cn", "a@c..cn"] {
        assert_eq!(Email::parse(bad), Err(EmailError::WrongFormat), "{bad}");
    }
}

#[test]
fn identifiers_deserialise_only_when_valid() {
    let ok: Result<CreditCode, _> = serde_json::from_str("\"91350100M000100Y43\"");
    assert!(ok.is_ok());
    let bad: Result<CreditCode, _> = serde_json::from_str("\"91350100M000100Y44\"");
    assert!(bad.is_err());
}
