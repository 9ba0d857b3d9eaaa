//! Calendar dates (no time of day), e.g. a qualification's issue and expiry dates.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A proleptic Gregorian date in ISO 8601 form, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

/// On the wire a date is its ISO 8601 string.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for CalendarDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .examples(["2026-12-10"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for CalendarDate {}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日期不能为空")]
    Empty,
    #[error("日期格式应为 YYYY-MM-DD")]
    WrongFormat,
    #[error("日期不存在")]
    NoSuchDay,
}

crate::violation! {
    DateError,
    DateError::Empty => "date_empty", "A date is required";
    DateError::WrongFormat => "date_format", "Dates are written YYYY-MM-DD";
    DateError::NoSuchDay => "date_invalid", "That day does not exist";
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

impl CalendarDate {
    pub fn new(year: u16, month: u8, day: u8) -> Result<CalendarDate, DateError> {
        if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return Err(DateError::NoSuchDay);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay);
        }
        Ok(CalendarDate { year, month, day })
    }

    pub fn parse(input: &str) -> Result<CalendarDate, DateError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::WrongFormat);
        }
        let number = |range: std::ops::Range<usize>| -> u16 { s[range].parse().unwrap_or(0) };
        CalendarDate::new(number(0..4), number(5..7) as u8, number(8..10) as u8)
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01, for date differences.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Number of days from `self` to `later`; negative when `later` is earlier.
    pub fn days_until(self, later: CalendarDate) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = DateError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CalendarDate::parse(&value)
    }
}

impl From<CalendarDate> for String {
    fn from(date: CalendarDate) -> String {
        date.to_string()
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_and_print_back() {
        let date = CalendarDate::parse("2026-02-28").unwrap();
        assert_eq!(date.to_string(), "2026-02-28");
    }

    #[test]
    fn days_that_do_not_exist_are_rejected() {
        assert_eq!(CalendarDate::parse("2026-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(CalendarDate::parse("2026-13-01"), Err(DateError::NoSuchDay));
        assert!(CalendarDate::parse("2024-02-29").is_ok());
        assert_eq!(
            CalendarDate::parse("2026/02/01"),
            Err(DateError::WrongFormat)
        );
    }

    #[test]
    fn day_differences_cross_months_and_leap_years() {
        let a = CalendarDate::parse("2024-02-28").unwrap();
        let b = CalendarDate::parse("2024-03-01").unwrap();
        assert_eq!(a.days_until(b), 2);
        assert_eq!(
            CalendarDate::parse("1970-01-01")
                .unwrap()
                .days_since_epoch(),
            0
        );
        assert!(a < b);
    }
}
