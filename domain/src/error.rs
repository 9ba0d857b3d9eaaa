//! The common shape of a rule violation, so that the API and the UI report it the same way.

use serde::{Deserialize, Serialize};

/// UI and message language. Simplified Chinese first; English second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// BCP 47 tag, as used in `<html lang>` and localStorage.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn parse(tag: &str) -> Option<Locale> {
        match tag {
            "zh-CN" | "zh" | "zh-Hans" => Some(Locale::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A broken rule with a stable machine-readable code and a message in each locale.
pub trait Violation: std::error::Error {
    /// Stable snake_case code used by API clients, e.g. `credit_code_check_char`.
    fn code(&self) -> &'static str;
    /// A message the user can act on.
    fn message(&self, locale: Locale) -> String;
}

/// Writes a [`Violation`] impl from one table, a row per variant: its pattern, its code and its
/// English message. The Chinese message is the type's `Display` (its `#[error]` text), so the
/// two languages stay side by side where the error is declared.
#[macro_export]
macro_rules! violation {
    ($ty:ty, $($pattern:pat => $code:expr, $english:expr;)+) => {
        impl $crate::error::Violation for $ty {
            #[allow(unused_variables)]
            fn code(&self) -> &'static str {
                match self {
                    $($pattern => $code,)+
                }
            }

            fn message(&self, locale: $crate::error::Locale) -> String {
                match locale {
                    $crate::error::Locale::ZhCn => self.to_string(),
                    $crate::error::Locale::En => match self {
                        $($pattern => ($english).into(),)+
                    },
                }
            }
        }
    };
}

/// A violation attached to the input field it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    /// Chinese message, the product's primary language.
    pub message: String,
    pub message_en: String,
}

/// The `(field, code)` pairs a refused parse reports: what the unit tests compare.
#[cfg(test)]
pub(crate) fn refused<T: std::fmt::Debug>(
    result: Result<T, Vec<FieldError>>,
) -> Vec<(String, String)> {
    result
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

impl FieldError {
    pub fn new(field: &str, violation: &dyn Violation) -> Self {
        FieldError {
            field: field.to_owned(),
            code: violation.code().to_owned(),
            message: violation.message(Locale::ZhCn),
            message_en: violation.message(Locale::En),
        }
    }

    pub fn message_in(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.message,
            Locale::En => &self.message_en,
        }
    }
}

/// Collects field errors while a whole form is parsed, so the user sees all of them at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records its violation under `field`.
    pub fn check<T, E: Violation>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(violation) => {
                self.0.push(FieldError::new(field, &violation));
                None
            }
        }
    }

    /// The parsed value when every field parsed and no rule was broken; otherwise every error.
    /// `built` is `None` when a required field failed to parse.
    pub fn finish<T>(self, built: Option<T>) -> Result<T, Vec<FieldError>> {
        match built {
            Some(value) if self.is_empty() => Ok(value),
            _ => Err(self.into_vec()),
        }
    }

    pub fn push(&mut self, field: &str, violation: &dyn Violation) {
        self.0.push(FieldError::new(field, violation));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds errors found by a nested parser.
    pub fn extend(&mut self, errors: Vec<FieldError>) {
        self.0.extend(errors);
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_round_trips_through_its_tag() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.as_str()), Some(locale));
        }
        assert_eq!(Locale::parse("fr"), None);
    }
}
