//! A rusqlite-shaped face over one PostgreSQL connection (the blocking `postgres` client, run on
//! tokio's blocking pool as SQLite is), so that each PostgreSQL file reads like its SQLite twin
//! and the two differ in their SQL. Errors travel as `rusqlite::Error`, wrapping PostgreSQL's,
//! so the store's error mapping and `OptionalExtension` work unchanged.
//!
//! Values convert at the boundary: integers bind to whichever integer type (or boolean) the
//! statement's parameter has, and read from any integer or boolean column, as SQLite's
//! dynamic typing let the SQLite files assume.

use ::postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use std::cell::RefCell;
use std::collections::HashMap;

pub use rusqlite::{Error, OptionalExtension, Result};

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// A PostgreSQL error, carried as a rusqlite error (see [`pg_error`]).
pub fn wrap(error: ::postgres::Error) -> Error {
    Error::ToSqlConversionFailure(Box::new(error))
}

/// The PostgreSQL error inside a rusqlite error, if it carries one.
pub fn pg_error(error: &Error) -> Option<&::postgres::Error> {
    match error {
        Error::ToSqlConversionFailure(inner) => inner.downcast_ref::<::postgres::Error>(),
        _ => None,
    }
}

struct Inner {
    client: ::postgres::Client,
    /// Statements prepared on this connection, by their text: a statement is parsed once.
    prepared: HashMap<String, ::postgres::Statement>,
    /// The table of the last `INSERT`, for [`Connection::last_insert_rowid`].
    last_insert: Option<String>,
}

/// Statements kept prepared per connection; past this many (SQL built with values in it would
/// otherwise grow the cache without end) the cache starts again.
const PREPARED: usize = 256;

impl Inner {
    /// The statement for `sql`, prepared once; notes the table an `INSERT` writes.
    fn prepared(&mut self, sql: &str) -> Result<::postgres::Statement> {
        if let Some(table) = inserted_table(sql) {
            self.last_insert = Some(table);
        }
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        if self.prepared.len() >= PREPARED {
            self.prepared.clear();
        }
        let statement = self.client.prepare(sql).map_err(wrap)?;
        self.prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

fn references(params: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// One pooled connection.
pub struct Connection {
    inner: RefCell<Inner>,
}

impl Connection {
    pub fn new(client: ::postgres::Client) -> Connection {
        Connection {
            inner: RefCell::new(Inner {
                client,
                prepared: HashMap::new(),
                last_insert: None,
            }),
        }
    }

    pub fn is_closed(&self) -> bool {
        self.inner.borrow().client.is_closed()
    }

    fn query_rows(
        &self,
        sql: &str,
        params: &[Box<dyn ToSql + Sync + Send>],
    ) -> Result<Vec<::postgres::Row>> {
        let mut inner = self.inner.borrow_mut();
        let statement = inner.prepared(sql)?;
        inner
            .client
            .query(&statement, &references(params))
            .map_err(wrap)
    }

    fn execute_rows(&self, sql: &str, params: &[Box<dyn ToSql + Sync + Send>]) -> Result<usize> {
        let mut inner = self.inner.borrow_mut();
        let statement = inner.prepared(sql)?;
        inner
            .client
            .execute(&statement, &references(params))
            .map(|n| n as usize)
            .map_err(wrap)
    }

    pub fn run<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.execute_rows(sql, &params.values())
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.run(sql, params)
    }

    pub fn row<T, P, F>(&self, sql: &str, params: P, read: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let rows = self.query_rows(sql, &params.values())?;
        match rows.first() {
            Some(row) => read(&Row { row }),
            None => Err(Error::QueryReturnedNoRows),
        }
    }

    pub fn query_row<T, P, F>(&self, sql: &str, params: P, read: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.row(sql, params, read)
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement {
            conn: self,
            sql: sql.to_owned(),
        })
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare_cached(sql)
    }

    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        self.inner
            .borrow_mut()
            .client
            .batch_execute(sql)
            .map_err(wrap)
    }

    /// The id the last `INSERT` on this connection gave its table's identity column.
    pub fn last_insert_rowid(&self) -> Result<i64> {
        let table = self
            .inner
            .borrow()
            .last_insert
            .clone()
            .ok_or(Error::QueryReturnedNoRows)?;
        self.row(
            "SELECT currval(pg_get_serial_sequence($1, 'id'))",
            [table],
            |row| row.get(0),
        )
    }
}

/// `INSERT INTO name …` → `name`.
fn inserted_table(sql: &str) -> Option<String> {
    let rest = sql.trim_start().strip_prefix("INSERT INTO ")?;
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// A read-only transaction for a page's reads: one snapshot. Rolled back when dropped.
pub struct Snapshot<'c> {
    conn: &'c Connection,
}

impl Connection {
    pub fn unchecked_transaction(&self) -> Result<Snapshot<'_>> {
        self.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        Ok(Snapshot { conn: self })
    }
}

impl std::ops::Deref for Snapshot<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        // Nothing was written; a connection that cannot end it is closed and not reused.
        let _ = self.conn.execute_batch("ROLLBACK");
    }
}

/// A statement on a connection, as `prepare_cached` hands it out.
pub struct Statement<'c> {
    conn: &'c Connection,
    sql: String,
}

impl Statement<'_> {
    pub fn query_map<T, P, F>(
        &mut self,
        params: P,
        mut read: F,
    ) -> Result<std::vec::IntoIter<Result<T>>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        let rows = self.conn.query_rows(&self.sql, &params.values())?;
        Ok(rows
            .iter()
            .map(|row| read(&Row { row }))
            .collect::<Vec<_>>()
            .into_iter())
    }

    pub fn query_row<T, P, F>(&mut self, params: P, read: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.conn.row(&self.sql, params, read)
    }

    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows> {
        Ok(Rows {
            rows: self.conn.query_rows(&self.sql, &params.values())?,
            next: 0,
        })
    }

    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(!self
            .conn
            .query_rows(&self.sql, &params.values())?
            .is_empty())
    }

    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        self.conn.execute_rows(&self.sql, &params.values())
    }
}

/// Rows read in full, handed out one at a time as rusqlite's cursor does.
pub struct Rows {
    rows: Vec<::postgres::Row>,
    next: usize,
}

impl Rows {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        let row = self.rows.get(self.next);
        self.next += 1;
        Ok(row.map(|row| Row { row }))
    }
}

/// A column by position (rusqlite also takes names; the store never does).
pub trait RowIndex {
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

pub struct Row<'r> {
    row: &'r ::postgres::Row,
}

impl Row<'_> {
    pub fn get<I: RowIndex, T: FromPg>(&self, index: I) -> Result<T> {
        T::from_pg(self.row, index.index())
    }

    /// The column's bytes as text: what SQLite's `get_ref(..).as_str()` and `.as_bytes()` read.
    pub fn get_text(&self, index: usize) -> Result<String> {
        self.get(index)
    }
}

/// An error with its causes (a decoding error's own message is only "error deserializing").
fn full(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

fn invalid(index: usize, row: &::postgres::Row, why: impl std::fmt::Display) -> Error {
    let name = row
        .columns()
        .get(index)
        .map(|c| format!("{} ({})", c.name(), c.type_()))
        .unwrap_or_default();
    Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Null,
        format!("column {index} {name}: {why}").into(),
    )
}

/// Any value, to learn whether a column is NULL whatever its type.
struct Present;

impl<'a> FromSql<'a> for Present {
    fn from_sql(_: &Type, _: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(Present)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

fn is_null(row: &::postgres::Row, index: usize) -> Result<bool> {
    row.try_get::<_, Option<Present>>(index)
        .map(|v| v.is_none())
        .map_err(|e| invalid(index, row, full(&e)))
}

/// A column value as the SQLite files read it.
pub trait FromPg: Sized {
    fn from_pg(row: &::postgres::Row, index: usize) -> Result<Self>;
}

fn integer(row: &::postgres::Row, index: usize) -> Result<i64> {
    let ty = row
        .columns()
        .get(index)
        .map(|c| c.type_().clone())
        .ok_or(Error::InvalidColumnIndex(index))?;
    let value = match ty {
        Type::INT8 => row.try_get::<_, i64>(index),
        Type::INT4 => row.try_get::<_, i32>(index).map(i64::from),
        Type::INT2 => row.try_get::<_, i16>(index).map(i64::from),
        Type::BOOL => row.try_get::<_, bool>(index).map(i64::from),
        other => return Err(invalid(index, row, format!("{other} is not an integer"))),
    };
    value.map_err(|e| invalid(index, row, full(&e)))
}

impl FromPg for i64 {
    fn from_pg(row: &::postgres::Row, index: usize) -> Result<i64> {
        integer(row, index)
    }
}

macro_rules! from_integer {
    ($($ty:ty),+) => {$(
        impl FromPg for $ty {
            fn from_pg(row: &::postgres::Row, index: usize) -> Result<$ty> {
                let value = integer(row, index)?;
                <$ty>::try_from(value).map_err(|e| invalid(index, row, full(&e)))
            }
        }
    )+};
}
from_integer!(i32, u32, u64, usize, u8, u16, i16);

impl FromPg for bool {
    fn from_pg(row: &::postgres::Row, index: usize) -> Result<bool> {
        Ok(integer(row, index)? != 0)
    }
}

impl FromPg for f64 {
    fn from_pg(row: &::postgres::Row, index: usize) -> Result<f64> {
        match row.columns().get(index).map(|c| c.type_().clone()) {
            Some(Type::FLOAT8) => row.try_get::<_, f64>(index),
            Some(Type::FLOAT4) => row.try_get::<_, f32>(index).map(f64::from),
            _ => return Ok(integer(row, index)? as f64),
        }
        .map_err(|e| invalid(index, row, full(&e)))
    }
}

/// Reads a column through its own `FromSql` (text, bytes and the domain's coded enums).
macro_rules! from_sql {
    ($($ty:ty),+ $(,)?) => {$(
        impl FromPg for $ty {
            fn from_pg(row: &::postgres::Row, index: usize) -> Result<$ty> {
                row.try_get::<_, $ty>(index).map_err(|e| invalid(index, row, full(&e)))
            }
        }
    )+};
}
from_sql!(
    String,
    Vec<u8>,
    market_domain::job::JobState,
    market_domain::job::Actor,
    market_domain::job::JobEvent,
    market_domain::ServiceType,
    market_domain::catalog::District,
    market_domain::Role,
    market_domain::approval::CaseStatus,
    market_domain::complaint::ComplaintStatus,
    market_domain::complaint::ComplaintCategory,
    market_domain::listing::VersionStatus,
    market_domain::listing::ReviewDecision,
    market_domain::notify::NotificationKind,
    market_domain::wire::ListingStatus,
    market_domain::wire::BidStatus,
    market_domain::wire::ObjectionStatus,
    market_domain::fee::PricingBasis,
);

impl FromPg for market_domain::Money {
    fn from_pg(row: &::postgres::Row, index: usize) -> Result<market_domain::Money> {
        market_domain::Money::from_fen(integer(row, index)?)
            .map_err(|e| invalid(index, row, full(&e)))
    }
}

impl<T: FromPg> FromPg for Option<T> {
    fn from_pg(row: &::postgres::Row, index: usize) -> Result<Option<T>> {
        if is_null(row, index)? {
            Ok(None)
        } else {
            T::from_pg(row, index).map(Some)
        }
    }
}

/// Rows as tuples, as rusqlite's `row.try_into()`.
macro_rules! tuple_from_row {
    ($($name:ident $index:tt),+) => {
        impl<$($name: FromPg),+> TryFrom<&Row<'_>> for ($($name,)+) {
            type Error = Error;
            fn try_from(row: &Row<'_>) -> Result<Self> {
                Ok(($(row.get::<usize, $name>($index)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// A parameter as the SQLite files bind it.
pub trait ToPg {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send>;
}

/// An integer that binds to any integer parameter (range-checked) or a boolean one.
#[derive(Debug)]
struct Int(i64);

impl ToSql for Int {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match *ty {
            Type::INT8 => self.0.to_sql(ty, out),
            Type::INT4 => i32::try_from(self.0)?.to_sql(ty, out),
            Type::INT2 => i16::try_from(self.0)?.to_sql(ty, out),
            Type::BOOL => (self.0 != 0).to_sql(ty, out),
            Type::FLOAT8 => (self.0 as f64).to_sql(ty, out),
            Type::TEXT | Type::VARCHAR => self.0.to_string().to_sql(ty, out),
            _ => Err(format!("an integer cannot bind to {ty}").into()),
        }
    }
    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::FLOAT8
                | Type::TEXT
                | Type::VARCHAR
        )
    }
    to_sql_checked!();
}

/// A boolean that binds to a boolean parameter, or as 1/0 to an integer one.
#[derive(Debug)]
struct Flag(bool);

impl ToSql for Flag {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match *ty {
            Type::BOOL => self.0.to_sql(ty, out),
            _ => Int(i64::from(self.0)).to_sql(ty, out),
        }
    }
    fn accepts(ty: &Type) -> bool {
        Int::accepts(ty)
    }
    to_sql_checked!();
}

/// NULL, for a parameter of any type.
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(&self, _: &Type, _: &mut bytes::BytesMut) -> std::result::Result<IsNull, BoxError> {
        Ok(IsNull::Yes)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

macro_rules! to_integer {
    ($($ty:ty),+) => {$(
        impl ToPg for $ty {
            fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
                Box::new(Int(*self as i64))
            }
        }
    )+};
}
to_integer!(i64, i32, u32, u64, usize, u8, u16, i16);

impl ToPg for bool {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(Flag(*self))
    }
}

impl ToPg for f64 {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(*self)
    }
}

impl ToPg for str {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(self.to_owned())
    }
}

impl ToPg for String {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(self.clone())
    }
}

impl ToPg for [u8] {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(self.to_vec())
    }
}

impl ToPg for Vec<u8> {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(self.clone())
    }
}

impl<const N: usize> ToPg for [u8; N] {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(self.to_vec())
    }
}

impl ToPg for market_domain::Money {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        Box::new(Int(self.fen()))
    }
}

impl<T: ToPg> ToPg for Option<T> {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        match self {
            Some(value) => value.to_pg(),
            None => Box::new(Null),
        }
    }
}

impl<T: ToPg + ?Sized> ToPg for &T {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        (**self).to_pg()
    }
}

impl<T: ToPg + ?Sized> ToPg for Box<T> {
    fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
        (**self).to_pg()
    }
}

macro_rules! to_code {
    ($($ty:ty),+ $(,)?) => {$(
        impl ToPg for $ty {
            fn to_pg(&self) -> Box<dyn ToSql + Sync + Send> {
                Box::new(market_domain::code::Code::code(*self).to_owned())
            }
        }
    )+};
}
to_code!(
    market_domain::job::JobState,
    market_domain::job::Actor,
    market_domain::job::JobEvent,
    market_domain::ServiceType,
    market_domain::catalog::District,
    market_domain::Role,
    market_domain::approval::CaseStatus,
    market_domain::complaint::ComplaintStatus,
    market_domain::complaint::ComplaintCategory,
    market_domain::listing::VersionStatus,
    market_domain::listing::ReviewDecision,
    market_domain::notify::NotificationKind,
    market_domain::wire::ListingStatus,
    market_domain::wire::BidStatus,
    market_domain::wire::ObjectionStatus,
    market_domain::fee::PricingBasis,
);

/// A statement's parameters, in the shapes the SQLite files pass them.
pub trait Params {
    fn values(self) -> Vec<Box<dyn ToSql + Sync + Send>>;
}

impl Params for &[&dyn ToPg] {
    fn values(self) -> Vec<Box<dyn ToSql + Sync + Send>> {
        self.iter().map(|p| p.to_pg()).collect()
    }
}

impl Params for [&dyn ToPg; 0] {
    fn values(self) -> Vec<Box<dyn ToSql + Sync + Send>> {
        Vec::new()
    }
}

impl Params for () {
    fn values(self) -> Vec<Box<dyn ToSql + Sync + Send>> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal),+) => {$(
        impl<T: ToPg> Params for [T; $n] {
            fn values(self) -> Vec<Box<dyn ToSql + Sync + Send>> {
                self.iter().map(|p| p.to_pg()).collect()
            }
        }
    )+};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

/// Parameters from an iterator, as rusqlite's `params_from_iter`.
pub struct ParamsFromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToPg,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToPg,
{
    fn values(self) -> Vec<Box<dyn ToSql + Sync + Send>> {
        self.0.into_iter().map(|p| p.to_pg()).collect()
    }
}

/// `params![a, b]`, as rusqlite's macro.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::store::postgres::conn::ToPg]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::store::postgres::conn::ToPg),+]
            as &[&dyn $crate::store::postgres::conn::ToPg]
    };
}
pub(crate) use params;

#[cfg(test)]
mod tests {
    #[test]
    fn the_inserted_table_is_read_from_the_statement() {
        assert_eq!(
            super::inserted_table("\n  INSERT INTO bids (job_id) VALUES ($1)").as_deref(),
            Some("bids")
        );
        assert_eq!(super::inserted_table("UPDATE bids SET x = 1"), None);
    }
}
