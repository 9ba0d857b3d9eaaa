//! Money as integer fen (分). Floats never touch an amount.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount of renminbi in fen. Serialised as an integer number of fen.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

/// Upper bound that keeps every sum and product of amounts far from `i64` overflow:
/// one trillion yuan.
pub const MAX_FEN: i64 = 100_000_000_000_000;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额不能为空")]
    Empty,
    #[error("金额不能为负数")]
    Negative,
    #[error("金额格式不正确,请输入以元为单位的数字,最多两位小数")]
    WrongFormat,
    #[error("金额最多保留两位小数(精确到分)")]
    TooPrecise,
    #[error("金额超出允许范围")]
    TooLarge,
}

crate::violation! {
    MoneyError,
    MoneyError::Empty => "money_empty", "An amount is required";
    MoneyError::Negative => "money_negative", "The amount cannot be negative";
    MoneyError::WrongFormat => "money_format",
        "Enter the amount in yuan, with at most two decimals";
    MoneyError::TooPrecise => "money_precision", "Amounts have at most two decimals (fen)";
    MoneyError::TooLarge => "money_too_large", "The amount is too large";
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_fen(fen: i64) -> Result<Money, MoneyError> {
        if fen < 0 {
            Err(MoneyError::Negative)
        } else if fen > MAX_FEN {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Money(fen))
        }
    }

    /// Whole yuan, for seeds and tests.
    pub fn from_yuan(yuan: i64) -> Result<Money, MoneyError> {
        Money::from_fen(yuan.checked_mul(100).ok_or(MoneyError::TooLarge)?)
    }

    /// Parses an amount typed in yuan: `3000`, `3,000.5`, `¥1 234.56`.
    pub fn parse_yuan(input: &str) -> Result<Money, MoneyError> {
        let cleaned: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('元')
            .chars()
            .filter(|c| !matches!(c, ',' | '\u{ff0c}' | ' '))
            .collect();
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        if cleaned.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(MoneyError::WrongFormat);
        }
        if fraction.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        if whole.len() > 15 {
            return Err(MoneyError::TooLarge);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::WrongFormat)?;
        let fraction_fen: i64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<i64>()
                    .map_err(|_| MoneyError::WrongFormat)?
                    * 10
            }
            _ => fraction.parse().map_err(|_| MoneyError::WrongFormat)?,
        };
        Money::from_fen(whole * 100 + fraction_fen)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        Money::from_fen(self.0.checked_add(other.0)?).ok()
    }

    /// Plain yuan with two decimals, as an input field shows it: `3000.00`.
    pub fn to_yuan_string(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl TryFrom<i64> for Money {
    type Error = MoneyError;
    fn try_from(fen: i64) -> Result<Self, Self::Error> {
        Money::from_fen(fen)
    }
}

impl From<Money> for i64 {
    fn from(money: Money) -> i64 {
        money.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}元", self.to_yuan_string())
    }
}

/// Stored as integer fen; a stored amount outside [`Money::from_fen`]'s range is an error.
#[cfg(feature = "sqlite")]
impl rusqlite::types::ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::from(self.0))
    }
}

#[cfg(feature = "sqlite")]
impl rusqlite::types::FromSql for Money {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Money::from_fen(value.as_i64()?)
            .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(feature = "postgres")]
impl postgres_types::ToSql for Money {
    fn to_sql(
        &self,
        ty: &postgres_types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.0.to_sql(ty, out)
    }

    fn accepts(ty: &postgres_types::Type) -> bool {
        <i64 as postgres_types::ToSql>::accepts(ty)
    }

    postgres_types::to_sql_checked!();
}

#[cfg(feature = "postgres")]
impl<'a> postgres_types::FromSql<'a> for Money {
    fn from_sql(
        ty: &postgres_types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Money::from_fen(
            <i64 as postgres_types::FromSql>::from_sql(ty, raw)?,
        )?)
    }

    fn accepts(ty: &postgres_types::Type) -> bool {
        <i64 as postgres_types::FromSql>::accepts(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yuan_strings_become_exact_fen() {
        assert_eq!(Money::parse_yuan("3000").unwrap().fen(), 300_000);
        assert_eq!(Money::parse_yuan("3,000.5").unwrap().fen(), 300_050);
        assert_eq!(Money::parse_yuan("¥1 234.56").unwrap().fen(), 123_456);
        assert_eq!(Money::parse_yuan("0.01").unwrap().fen(), 1);
        assert_eq!(Money::parse_yuan("12元").unwrap().fen(), 1_200);
    }

    #[test]
    fn negative_and_malformed_amounts_are_rejected() {
        assert_eq!(Money::parse_yuan("-1"), Err(MoneyError::Negative));
        assert_eq!(Money::parse_yuan("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(Money::parse_yuan("1e5"), Err(MoneyError::WrongFormat));
        assert_eq!(Money::parse_yuan(".5"), Err(MoneyError::WrongFormat));
        assert_eq!(Money::parse_yuan(""), Err(MoneyError::Empty));
        assert_eq!(Money::from_fen(-5), Err(MoneyError::Negative));
        assert_eq!(
            Money::parse_yuan("99999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn money_deserialises_from_fen_and_refuses_negatives() {
        let money: Money = serde_json::from_str("12345").unwrap();
        assert_eq!(money.fen(), 12_345);
        assert!(serde_json::from_str::<Money>("-1").is_err());
    }

    proptest! {
        #[test]
        fn the_yuan_string_parses_back_to_the_same_amount(fen in 0i64..MAX_FEN) {
            let money = Money::from_fen(fen).unwrap();
            prop_assert_eq!(Money::parse_yuan(&money.to_yuan_string()).unwrap(), money);
        }
    }
}
