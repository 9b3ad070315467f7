//! How a UUID and a time are written on each backend. PostgreSQL has native `uuid` and
//! `timestamptz` columns; SQLite keeps both as text: a UUID hyphenated, a time as fixed-width
//! UTC (`2026-12-01T09:30:00.000000Z`), so that comparing the text in SQL compares the times.
//! sqlx's own SQLite encodings (a UUID as a 16-byte blob, a time with a variable fraction) would
//! break both, which is why every id and time goes through these two types.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Database, Decode, Encode, Postgres, Sqlite, Type};
use uuid::Uuid;

/// A UUID column: `#[derive(sqlx::FromRow)]` rows use it for ids on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Id(pub Uuid);

impl From<Id> for Uuid {
    fn from(id: Id) -> Uuid {
        id.0
    }
}

impl Type<Sqlite> for Id {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for Id {
    fn encode_by_ref(&self, buf: &mut <Sqlite as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.0.hyphenated().to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Id {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(Id(Uuid::parse_str(text)?))
    }
}

impl Type<Postgres> for Id {
    fn type_info() -> PgTypeInfo {
        <Uuid as Type<Postgres>>::type_info()
    }
}

impl<'q> Encode<'q, Postgres> for Id {
    fn encode_by_ref(&self, buf: &mut <Postgres as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Id {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Id(<Uuid as Decode<Postgres>>::decode(value)?))
    }
}

/// A time as bound to a statement. Reading needs no such type: sqlx decodes both backends'
/// columns (SQLite's text included) into `DateTime<Utc>`; only the written form differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Time(pub DateTime<Utc>);

impl Type<Sqlite> for Time {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for Time {
    fn encode_by_ref(&self, buf: &mut <Sqlite as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.0.to_rfc3339_opts(SecondsFormat::Micros, true), buf)
    }
}

impl Type<Postgres> for Time {
    fn type_info() -> PgTypeInfo {
        <DateTime<Utc> as Type<Postgres>>::type_info()
    }
}

impl<'q> Encode<'q, Postgres> for Time {
    fn encode_by_ref(&self, buf: &mut <Postgres as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode_by_ref(&self.0, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, SqliteConnection};

    #[tokio::test]
    async fn sqlite_keeps_ids_and_times_as_comparable_text() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let id = Uuid::new_v4();
        let (text, back): (String, Id) =
            sqlx::query_as("select $1, $1").bind(Id(id)).fetch_one(&mut conn).await.unwrap();
        assert_eq!((text, back), (id.hyphenated().to_string(), Id(id)));

        // one digit of a second apart: fixed width keeps text order equal to time order
        let early = DateTime::parse_from_rfc3339("2026-12-01T09:30:09.5Z").unwrap().to_utc();
        let late = DateTime::parse_from_rfc3339("2026-12-01T09:30:10Z").unwrap().to_utc();
        let (early_text, in_order): (String, bool) =
            sqlx::query_as("select $1, $1 < $2").bind(Time(early)).bind(Time(late)).fetch_one(&mut conn).await.unwrap();
        assert_eq!(early_text, "2026-12-01T09:30:09.500000Z");
        assert!(in_order);
        let decoded: DateTime<Utc> =
            sqlx::query_scalar("select $1").bind(Time(late)).fetch_one(&mut conn).await.unwrap();
        assert_eq!(decoded, late);
    }
}
