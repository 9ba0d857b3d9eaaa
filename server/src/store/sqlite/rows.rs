//! Strict row decoding shared by the SQLite files: a stored value this build cannot read is an
//! error naming what it found, never a silent default.

use super::{StoreError, StoreResult};
use market_domain::Code;

/// A column that holds text this build cannot decode.
pub fn invalid(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

/// A stored code of a kind that has no domain enum of its own.
pub fn unknown(what: &'static str, found: &str) -> rusqlite::Error {
    invalid(market_domain::UnknownCode {
        type_name: what,
        code: found.to_owned(),
    })
}

pub fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(e.to_string()))
}

pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(invalid)
}

/// Codes stored as a JSON array or a comma-separated list, each one strictly decoded.
pub fn codes<'a, T: Code>(items: impl IntoIterator<Item = &'a str>) -> rusqlite::Result<Vec<T>> {
    items
        .into_iter()
        .filter(|code| !code.is_empty())
        .map(|code| T::decode(code).map_err(invalid))
        .collect()
}

/// Statements through the connection's prepared-statement cache. Parsing the SQL again on
/// every call was a third of the cost of a write (measured with `market-server generate`).
///
/// A cached statement only stays prepared if SQLite does not ask to see its parameters' values:
/// in a join, `col = ?1` makes it prepare the statement again on every new value (seen with
/// `sqlite3_stmt_status(SQLITE_STMTSTATUS_REPREPARE)`), so joins compare with `+?1`, which
/// still uses the column's index. Partial indexes had the same effect (migration 13).
pub trait Cached {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;

    fn row<T, P, F>(&self, sql: &str, params: P, read: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for rusqlite::Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row<T, P, F>(&self, sql: &str, params: P, read: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use market_domain::ServiceType;

    #[test]
    fn a_list_with_one_unknown_code_is_an_error_not_a_shorter_list() {
        assert_eq!(
            codes::<ServiceType>(["surveying", "env_impact"]).unwrap(),
            [ServiceType::Surveying, ServiceType::EnvironmentalImpact]
        );
        assert!(codes::<ServiceType>(["surveying", "astrology"]).is_err());
        assert!(codes::<ServiceType>([""]).unwrap().is_empty());
    }

    #[test]
    fn unreadable_json_is_an_error_not_an_empty_value() {
        assert!(from_json::<Vec<String>>("[\"a\"").is_err());
        assert_eq!(
            from_json::<Vec<String>>("[]").unwrap(),
            Vec::<String>::new()
        );
    }
}
