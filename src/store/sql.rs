//! One SQL text for both backends: a `Statement` is the text and its values, and runs on a
//! pool or a transaction of either backend. Values are a closed set (`Value`), so an id or a
//! time can only be bound in the form its backend stores (see `codec`); rows are read into
//! `#[derive(sqlx::FromRow)]` types, which derive for both backends at once.

use super::codec::{Id, Time};
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, FromRow, PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use uuid::Uuid;

/// A row type both backends can read (every `#[derive(sqlx::FromRow)]` struct whose fields
/// both decode, and tuples of such values).
pub(super) trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// What a placeholder can be bound to. `None` binds a typed null.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Id(Option<Uuid>),
    Time(Option<DateTime<Utc>>),
    Text(Option<String>),
    Int(Option<i64>),
    Int4(Option<i32>),
    Bool(Option<bool>),
    Bytes(Vec<u8>),
    /// Columns of a bulk insert, PostgreSQL only (`unnest($1::uuid[], …)`): SQLite has no
    /// arrays, and binding one there is an error.
    Ids(Vec<Uuid>),
    Texts(Vec<Option<String>>),
    Ints(Vec<i64>),
}

impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Id(Some(v))
    }
}
impl From<Option<Uuid>> for Value {
    fn from(v: Option<Uuid>) -> Self {
        Value::Id(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Time(Some(v))
    }
}
impl From<Option<DateTime<Utc>>> for Value {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Value::Time(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Value::Text(v.clone())
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int4(Some(v))
    }
}
impl From<Option<i32>> for Value {
    fn from(v: Option<i32>) -> Self {
        Value::Int4(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(Some(v))
    }
}
impl From<Option<bool>> for Value {
    fn from(v: Option<bool>) -> Self {
        Value::Bool(v)
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}

/// The two pools a store can run on.
#[derive(Debug, Clone)]
pub(super) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a pool or a transaction talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Values one statement binds, at most. SQLite finds a numbered placeholder's name by
    /// walking a list, and sqlx asks for every placeholder's name as it binds, so binding n
    /// values costs n²: a 1,000-row insert of 7 values a row spent more time there than in
    /// SQLite itself (half of a bulk run's time, in a profile). Around 500 the look-ups vanish
    /// in the noise while a statement still carries enough rows that per-statement costs do too.
    /// PostgreSQL binds by position, and there each statement is a round trip: a run's batch
    /// of 1,000 stays one statement. Both are far below the backends' limits (32,766 and 65,535).
    const fn values_per_statement(self) -> usize {
        match self {
            Backend::Sqlite => 500,
            Backend::Postgres => 8000,
        }
    }

    /// How many rows of `per_row` values each fit in one statement that also binds `shared`
    /// values once (a time, a badge): the chunk size of every multi-row insert and `in (…)` list.
    pub(super) const fn rows_per_statement(self, per_row: usize, shared: usize) -> usize {
        (self.values_per_statement() - shared) / per_row
    }
}

impl Pool {
    pub(super) fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }
}

/// A transaction on either backend; dropped without `commit`, it rolls back.
pub(super) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(super) fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub(super) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Where a statement runs: on the pool (one connection, for one statement) or in a
/// transaction.
pub(super) enum On<'e> {
    Pool(&'e Pool),
    Tx(&'e mut Tx),
}

impl<'e> From<&'e Pool> for On<'e> {
    fn from(pool: &'e Pool) -> Self {
        On::Pool(pool)
    }
}

impl<'e> From<&'e mut Tx> for On<'e> {
    fn from(tx: &'e mut Tx) -> Self {
        On::Tx(tx)
    }
}

/// A statement's text (placeholders `$1`, `$2`… in both backends) and its values in order.
#[derive(Debug, Clone)]
pub(super) struct Statement {
    text: String,
    values: Vec<Value>,
}

/// Starts a statement.
pub(super) fn sql(text: impl Into<String>) -> Statement {
    Statement { text: text.into(), values: Vec::new() }
}

impl Statement {
    /// Binds the next placeholder.
    pub(super) fn bind(mut self, value: impl Into<Value>) -> Self {
        self.values.push(value.into());
        self
    }

    /// Adds to the statement's text (a clause after the values already bound).
    pub(super) fn append(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// Binds the next placeholders, one per value.
    pub(super) fn bind_all<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.values.extend(values.into_iter().map(Into::into));
        self
    }

    pub(super) async fn fetch_all<'e, T: Record>(self, on: impl Into<On<'e>>) -> Result<Vec<T>, sqlx::Error> {
        let text = self.text.as_str();
        match on.into() {
            On::Pool(Pool::Sqlite(p)) => sqlx::query_as_with(text, sqlite_args(self.values)?).fetch_all(p).await,
            On::Tx(Tx::Sqlite(tx)) => sqlx::query_as_with(text, sqlite_args(self.values)?).fetch_all(&mut **tx).await,
            On::Pool(Pool::Postgres(p)) => sqlx::query_as_with(text, pg_args(self.values)?).fetch_all(p).await,
            On::Tx(Tx::Postgres(tx)) => sqlx::query_as_with(text, pg_args(self.values)?).fetch_all(&mut **tx).await,
        }
    }

    pub(super) async fn fetch_optional<'e, T: Record>(self, on: impl Into<On<'e>>) -> Result<Option<T>, sqlx::Error> {
        let text = self.text.as_str();
        match on.into() {
            On::Pool(Pool::Sqlite(p)) => sqlx::query_as_with(text, sqlite_args(self.values)?).fetch_optional(p).await,
            On::Tx(Tx::Sqlite(tx)) => {
                sqlx::query_as_with(text, sqlite_args(self.values)?).fetch_optional(&mut **tx).await
            }
            On::Pool(Pool::Postgres(p)) => sqlx::query_as_with(text, pg_args(self.values)?).fetch_optional(p).await,
            On::Tx(Tx::Postgres(tx)) => {
                sqlx::query_as_with(text, pg_args(self.values)?).fetch_optional(&mut **tx).await
            }
        }
    }

    /// The one row the statement must return (`RowNotFound` otherwise).
    pub(super) async fn fetch_one<'e, T: Record>(self, on: impl Into<On<'e>>) -> Result<T, sqlx::Error> {
        self.fetch_optional(on).await?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of the one row the statement returns (a count, a sum).
    pub(super) async fn fetch_scalar<'e, T>(self, on: impl Into<On<'e>>) -> Result<T, sqlx::Error>
    where
        (T,): Record,
    {
        Ok(self.fetch_one::<(T,)>(on).await?.0)
    }

    /// Runs the statement; how many rows it changed.
    pub(super) async fn execute<'e>(self, on: impl Into<On<'e>>) -> Result<u64, sqlx::Error> {
        let text = self.text.as_str();
        Ok(match on.into() {
            On::Pool(Pool::Sqlite(p)) => {
                sqlx::query_with(text, sqlite_args(self.values)?).execute(p).await?.rows_affected()
            }
            On::Tx(Tx::Sqlite(tx)) => {
                sqlx::query_with(text, sqlite_args(self.values)?).execute(&mut **tx).await?.rows_affected()
            }
            On::Pool(Pool::Postgres(p)) => {
                sqlx::query_with(text, pg_args(self.values)?).execute(p).await?.rows_affected()
            }
            On::Tx(Tx::Postgres(tx)) => {
                sqlx::query_with(text, pg_args(self.values)?).execute(&mut **tx).await?.rows_affected()
            }
        })
    }
}

/// `$first, $first+1, …` for `count` placeholders: the list of an `in (…)`.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

fn sqlite_args(values: Vec<Value>) -> Result<SqliteArguments<'static>, sqlx::Error> {
    let mut args = SqliteArguments::default();
    for value in values {
        match value {
            Value::Id(v) => args.add(v.map(Id)),
            Value::Time(v) => args.add(v.map(Time)),
            Value::Text(v) => args.add(v),
            Value::Int(v) => args.add(v),
            Value::Int4(v) => args.add(v),
            Value::Bool(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Ids(_) | Value::Texts(_) | Value::Ints(_) => Err("SQLite has no arrays to bind".into()),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

fn pg_args(values: Vec<Value>) -> Result<PgArguments, sqlx::Error> {
    let mut args = PgArguments::default();
    for value in values {
        match value {
            Value::Id(v) => args.add(v.map(Id)),
            Value::Time(v) => args.add(v.map(Time)),
            Value::Text(v) => args.add(v),
            Value::Int(v) => args.add(v),
            Value::Int4(v) => args.add(v),
            Value::Bool(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Ids(v) => args.add(v),
            Value::Texts(v) => args.add(v),
            Value::Ints(v) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(4, 1), "$4");
    }
}
