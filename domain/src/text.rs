//! Free-text fields with length limits, counted in characters (not bytes) because the text is Chinese.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("此项不能为空")]
    Empty,
    #[error("至少需要 {0} 个字")]
    TooShort(usize),
    #[error("最多 {0} 个字")]
    TooLong(usize),
    #[error("不能包含控制字符")]
    ControlCharacter,
    #[error("不能包含不可见字符或文字方向控制符(如零宽空格、从右向左标记),请删除后重新输入")]
    InvisibleCharacter,
}

crate::violation! {
    TextError,
    TextError::Empty => "required", "This field is required";
    TextError::TooShort(n) => "too_short", format!("At least {n} characters");
    TextError::TooLong(n) => "too_long", format!("At most {n} characters");
    TextError::ControlCharacter => "control_character", "Control characters are not allowed";
    TextError::InvisibleCharacter => "invisible_character",
        "Invisible or text-direction characters (zero-width space, right-to-left mark …) are not allowed; delete them and type again";
}

/// Characters that change how text reads without being seen: zero-width characters, the
/// byte-order mark, and the bidirectional overrides, embeddings and isolates that can make a
/// name display as something else ("Trojan Source", CVE-2021-42574).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// Refuses control characters (line breaks and tabs only where `multiline`) and invisible ones.
pub fn check_characters(text: &str, multiline: bool) -> Result<(), TextError> {
    let allowed_control = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed_control(c)) {
        return Err(TextError::ControlCharacter);
    }
    if text.chars().any(is_invisible) {
        return Err(TextError::InvisibleCharacter);
    }
    Ok(())
}

/// Trimmed text whose length in characters lies within bounds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoundedText(String);

impl BoundedText {
    /// `multiline` allows line breaks and tabs, as in descriptions.
    pub fn parse(input: &str, min: usize, max: usize, multiline: bool) -> Result<Self, TextError> {
        let text = input.trim();
        let length = text.chars().count();
        if length == 0 {
            return Err(TextError::Empty);
        }
        if length < min {
            return Err(TextError::TooShort(min));
        }
        if length > max {
            return Err(TextError::TooLong(max));
        }
        check_characters(text, multiline)?;
        Ok(BoundedText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for BoundedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Name of an organisation (enterprise or agency), as on its business licence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(input: &str) -> Result<OrgName, TextError> {
        BoundedText::parse(input, 2, 100, false).map(|t| OrgName(t.into_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name: 2–30 characters, Chinese or otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, TextError> {
        BoundedText::parse(input, 2, 30, false).map(|t| PersonName(t.into_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Violation;

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        // Two Chinese characters are six bytes in UTF-8.
        assert!(PersonName::parse("张三").is_ok());
        assert_eq!(PersonName::parse("张"), Err(TextError::TooShort(2)));
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_blank_is_empty() {
        assert_eq!(
            OrgName::parse("  云州测绘院 ").unwrap().as_str(),
            "云州测绘院"
        );
        assert_eq!(OrgName::parse("   "), Err(TextError::Empty));
    }

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_multiline_text() {
        assert_eq!(
            OrgName::parse("云州\u{0}测绘"),
            Err(TextError::ControlCharacter)
        );
        assert!(BoundedText::parse("第一行\n第二行", 1, 100, true).is_ok());
        assert_eq!(
            BoundedText::parse("第一行\n第二行", 1, 100, false),
            Err(TextError::ControlCharacter)
        );
    }

    #[test]
    fn invisible_and_direction_characters_are_refused_with_their_own_message() {
        for c in [
            '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{200D}', '\u{FEFF}',
        ] {
            let name = format!("云州{c}测绘院");
            assert_eq!(
                OrgName::parse(&name),
                Err(TextError::InvisibleCharacter),
                "{c:?}"
            );
            assert_eq!(
                BoundedText::parse(&name, 1, 100, true),
                Err(TextError::InvisibleCharacter)
            );
        }
        assert!(TextError::InvisibleCharacter.to_string().contains("不可见"));
        assert_eq!(TextError::InvisibleCharacter.code(), "invisible_character");
    }
}

/// How long one free text may be, in characters, and whether it may span lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLimit {
    pub min: usize,
    pub max: usize,
    pub multiline: bool,
}

impl TextLimit {
    const fn lines(min: usize, max: usize) -> TextLimit {
        TextLimit {
            min,
            max,
            multiline: true,
        }
    }

    const fn line(min: usize, max: usize) -> TextLimit {
        TextLimit {
            min,
            max,
            multiline: false,
        }
    }

    pub fn parse(self, input: &str) -> Result<BoundedText, TextError> {
        BoundedText::parse(input, self.min, self.max, self.multiline)
    }
}

/// Every limit of the texts a job's parties, the approval officers and regulators write: one
/// place for the server that enforces them and the forms that check them first.
pub mod limits {
    use super::TextLimit;

    pub const BID_COMMITMENT: TextLimit = TextLimit::lines(2, 500);
    pub const BID_PROPOSAL: TextLimit = TextLimit::lines(2, 5000);
    pub const PICK_REASON: TextLimit = TextLimit::lines(2, 500);
    pub const OBJECTION_REASON: TextLimit = TextLimit::lines(5, 2000);
    pub const OBJECTION_ANSWER: TextLimit = TextLimit::lines(2, 2000);
    pub const CANCEL_REASON: TextLimit = TextLimit::lines(2, 500);
    pub const DELIVERY_SUMMARY: TextLimit = TextLimit::lines(5, 2000);
    pub const REPORT_NUMBER: TextLimit = TextLimit::lines(2, 50);
    pub const RETURN_REASON: TextLimit = TextLimit::lines(2, 1000);
    pub const RATING_COMMENT: TextLimit = TextLimit::lines(2, 1000);
    pub const RATING_REPLY: TextLimit = TextLimit::lines(2, 1000);
    pub const CASE_PROJECT_NAME: TextLimit = TextLimit::line(2, 100);
    pub const TOKEN_NAME: TextLimit = TextLimit::line(2, 50);
}
