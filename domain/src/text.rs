//! Free-text fields with length limits, counted in characters (not bytes) because the text is Chinese.

use crate::error::{Locale, Violation};
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
}

impl Violation for TextError {
    fn code(&self) -> &'static str {
        match self {
            TextError::Empty => "required",
            TextError::TooShort(_) => "too_short",
            TextError::TooLong(_) => "too_long",
            TextError::ControlCharacter => "control_character",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, TextError::Empty) => "This field is required".into(),
            (Locale::En, TextError::TooShort(n)) => format!("At least {n} characters"),
            (Locale::En, TextError::TooLong(n)) => format!("At most {n} characters"),
            (Locale::En, TextError::ControlCharacter) => {
                "Control characters are not allowed".into()
            }
        }
    }
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
        let allowed_control = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
        if text.chars().any(|c| c.is_control() && !allowed_control(c)) {
            return Err(TextError::ControlCharacter);
        }
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
}
