//! SQLite: the embedded default. WAL mode so readers never wait for the writer, foreign keys on
//! (SQLite leaves them off unless asked), and a busy timeout so concurrent writers queue instead
//! of failing.

use super::job_sql::impl_job_store;
use super::member_sql::{self, member_columns, member_from_row};
use super::shared::{impl_store, shared_helpers};
use super::*;
use crate::domain::job::{Job, JobAction, JobStatus};
use crate::domain::SiteSettings;
use chrono::SecondsFormat;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;
use uuid::fmt::Hyphenated;

pub struct SqliteStore {
    pool: SqlitePool,
}

/// Fixed-width UTC text, so that text comparison in SQL is time comparison.
fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// SQLite's LIKE is already case-insensitive for ASCII.
const LIKE: &str = "like";

/// Nothing to lock for a reorder: a write transaction (`begin immediate`) already excludes
/// every other writer.
async fn lock_badge_order(_tx: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    Ok(())
}

/// Row locks need no clause: a write transaction (`begin immediate`) already excludes every
/// other writer.
const LOCK_ROW: &str = "";
const LOCK_JOB: &str = "";
const LOCK_MEMBER: &str = "";

fn id(u: Uuid) -> Hyphenated {
    u.hyphenated()
}

/// SQLite reports a unique violation as "UNIQUE constraint failed: table.column[, …]" with no
/// constraint name; this maps those column lists back to the names the migration declares.
fn unique_violation(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            let msg = db.message();
            let name = if msg.contains("accounts.role") {
                "accounts_one_owner"
            } else if msg.contains("accounts.email") {
                "accounts_email_key"
            } else if msg.contains("accounts.member_id") {
                "accounts_member_id_key"
            } else if msg.contains("members.login_email") {
                "members_login_email_key"
            } else if msg.contains("members.slug") {
                "members_slug_key"
            } else if msg.contains("badges.slug") {
                "badges_slug_key"
            } else if msg.contains("assignment_jobs.badge_id") {
                "assignment_jobs_one_running"
            } else if msg.contains("badge_assignments.badge_id") {
                "badge_assignments_badge_member_key"
            } else {
                "unknown"
            };
            return StoreError::Unique(name.to_owned());
        }
    }
    StoreError::Database(e)
}

const ACCOUNT_SELECT: &str = concat!(
    "select a.id, a.email, a.role, a.password_hash, ",
    member_columns!(),
    " from accounts a left join members m on m.id = a.member_id"
);

const MEMBER_SELECT: &str = concat!("select ", member_columns!(), " from members m");

fn uuid_col(row: &sqlx::sqlite::SqliteRow, col: &str) -> Result<Uuid, sqlx::Error> {
    Ok(row.try_get::<Hyphenated, _>(col)?.into_uuid())
}

fn opt_uuid_col(row: &sqlx::sqlite::SqliteRow, col: &str) -> Result<Option<Uuid>, sqlx::Error> {
    Ok(row.try_get::<Option<Hyphenated>, _>(col)?.map(Hyphenated::into_uuid))
}

fn member_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<MemberRecord, sqlx::Error> {
    member_from_row!(row, uuid_col, opt_uuid_col)
}

shared_helpers!(sqlx::sqlite::SqliteRow, sqlx::SqliteConnection);

impl SqliteStore {
    /// A write transaction that takes the write lock up front. A deferred one (SQLite's default)
    /// that reads first cannot upgrade to writing once another connection has written: it fails
    /// at once with SQLITE_BUSY instead of waiting for the busy timeout.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("begin immediate").await
    }

    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // An in-memory database lives only as long as its connection: keep exactly one.
        let max = if url.contains(":memory:") || url.contains("mode=memory") { 1 } else { 8 };
        let pool = SqlitePoolOptions::new().max_connections(max).connect_with(options).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }
}

impl_store!(SqliteStore);
impl_job_store!(SqliteStore, sqlx::sqlite::SqliteRow);
