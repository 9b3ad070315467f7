//! PostgreSQL: chosen by `DATABASE_URL=postgres://…`, for several instances behind a load
//! balancer. Native `uuid` and `timestamptz` columns; constraint names come from the server.

use super::job_sql::impl_job_store;
use super::member_sql::{self, member_columns, member_from_row};
use super::shared::{impl_store, shared_helpers};
use super::*;
use crate::domain::job::{Job, JobAction, JobStatus};
use crate::domain::SiteSettings;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::Row;
use std::str::FromStr;

pub struct PgStore {
    pool: PgPool,
}

fn unique_violation(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Unique(db.constraint().unwrap_or("unknown").to_owned());
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

/// How a UUID and a timestamp are bound: natively (SQLite's module turns them into text).
fn id(u: Uuid) -> Uuid {
    u
}

fn ts(t: DateTime<Utc>) -> DateTime<Utc> {
    t
}

/// PostgreSQL's LIKE is case-sensitive; ILIKE is what SQLite's LIKE does for ASCII.
const LIKE: &str = "ilike";

/// One reorder at a time: each reads the whole order and writes it back.
async fn lock_badge_order(tx: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("lock table badges in share row exclusive mode").execute(&mut *tx).await?;
    Ok(())
}

/// Locks the badge row read for an update: a concurrent update waits, then sees the new
/// revision.
const LOCK_ROW: &str = "for update of b";

/// Locks a member's row read for an update: an admin's save and the member's own photo change
/// wait for each other instead of one writing back what it read before the other.
const LOCK_MEMBER: &str = "for update of m";

/// Locks a background run's row: one batch at a time, even across instances.
const LOCK_JOB: &str = "for update";

fn uuid_col(row: &PgRow, col: &str) -> Result<Uuid, sqlx::Error> {
    row.try_get(col)
}

fn opt_uuid_col(row: &PgRow, col: &str) -> Result<Option<Uuid>, sqlx::Error> {
    row.try_get(col)
}

fn member_from_row(row: &PgRow) -> Result<MemberRecord, sqlx::Error> {
    member_from_row!(row, uuid_col, opt_uuid_col)
}

shared_helpers!(PgRow, sqlx::PgConnection);

impl PgStore {
    /// A write transaction. PostgreSQL needs no special mode: its row locks and unique
    /// constraints settle concurrent writers.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.pool.begin().await
    }

    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new().max_connections(16).connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }
}

impl_store!(PgStore);
impl_job_store!(PgStore, PgRow);
