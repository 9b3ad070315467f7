//! The little that differs between the backends beyond how values are written (`codec`):
//! opening the database, the case-insensitive LIKE, how concurrent writers are kept apart, and
//! the names of unique violations.

use super::sql::{sql, Pool, Tx};
use super::StoreError;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// A row read inside a write transaction and written back: on PostgreSQL it is locked, so a
/// concurrent writer waits and then reads the new row. SQLite needs no clause: its write
/// transaction (`begin immediate`) already excludes every other writer.
#[derive(Debug, Clone, Copy)]
pub(super) enum Lock {
    /// A badge read as `b` for an update: a concurrent update sees the new revision.
    Badge,
    /// A member read as `m`: an admin's save and the member's own photo change wait for each
    /// other instead of one writing back what it read before the other.
    Member,
    /// A background run's row: one batch at a time, even across instances.
    Job,
    /// A page read as `p` for an update: a concurrent update sees the new revision.
    Page,
}

impl Pool {
    /// Opens the database named by `url` (`sqlite:…` or `postgres://…`) and applies its
    /// migrations.
    pub(super) async fn open(url: &str) -> anyhow::Result<Pool> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new().max_connections(16).connect(url).await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Ok(Pool::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            // WAL so readers never wait for the writer; foreign keys on (SQLite leaves them off
            // unless asked); a busy timeout so concurrent writers queue instead of failing
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // an in-memory database lives only as long as its connection: keep exactly one
            let max = if url.contains(":memory:") || url.contains("mode=memory") { 1 } else { 8 };
            let pool = SqlitePoolOptions::new().max_connections(max).connect_with(options).await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Ok(Pool::Sqlite(pool))
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (got {url:?})")
        }
    }

    /// A write transaction. On SQLite it takes the write lock up front: a deferred one (the
    /// default) that reads first cannot upgrade to writing once another connection has
    /// written, and fails at once with SQLITE_BUSY instead of waiting for the busy timeout.
    /// PostgreSQL needs no special mode: its row locks and unique constraints settle writers.
    pub(super) async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("begin immediate").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// The case-insensitive LIKE: SQLite's LIKE already is (for ASCII), PostgreSQL's is ILIKE.
    pub(super) fn like(&self) -> &'static str {
        match self {
            Pool::Sqlite(_) => "like",
            Pool::Postgres(_) => "ilike",
        }
    }

    /// The clause that ends a `select` of a row about to be written back (see `Lock`).
    pub(super) fn lock(&self, what: Lock) -> &'static str {
        match (self, what) {
            (Pool::Sqlite(_), _) => "",
            (Pool::Postgres(_), Lock::Badge) => "for update of b",
            (Pool::Postgres(_), Lock::Member) => "for update of m",
            (Pool::Postgres(_), Lock::Job) => "for update",
            (Pool::Postgres(_), Lock::Page) => "for update of p",
        }
    }
}

/// The tables with a display order (a `position` column).
#[derive(Debug, Clone, Copy)]
pub(super) enum Ordered {
    Badges,
    Pages,
}

impl Tx {
    /// Keeps other writers of a display order out until this transaction ends: a reorder reads
    /// the whole order and writes it back, and a new row's position is read from the others.
    /// SQLite's write transaction already excludes every other writer.
    pub(super) async fn lock_order(&mut self, of: Ordered) -> Result<(), sqlx::Error> {
        if let Tx::Postgres(_) = self {
            let statement = match of {
                Ordered::Badges => "lock table badges in share row exclusive mode",
                Ordered::Pages => "lock table pages in share row exclusive mode",
            };
            sql(statement).execute(&mut *self).await?;
        }
        Ok(())
    }
}

/// Maps a unique violation to the constraint's name as the migrations declare it, so callers
/// match names, never message text; any other error passes through.
pub(super) fn unique_violation(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            // PostgreSQL names the constraint; SQLite only says
            // "UNIQUE constraint failed: table.column[, …]"
            let name = db.constraint().unwrap_or_else(|| sqlite_constraint(db.message()));
            return StoreError::Unique(name.to_owned());
        }
    }
    StoreError::Database(e)
}

/// The constraint a SQLite unique-violation message is about, by its table and column.
fn sqlite_constraint(message: &str) -> &'static str {
    const BY_COLUMN: [(&str, &str); 10] = [
        ("api_keys.prefix", "api_keys_prefix_key"),
        ("accounts.role", "accounts_one_owner"),
        ("accounts.email", "accounts_email_key"),
        ("accounts.member_id", "accounts_member_id_key"),
        ("members.login_email", "members_login_email_key"),
        ("members.slug", "members_slug_key"),
        ("badges.slug", "badges_slug_key"),
        ("pages.slug", "pages_slug_key"),
        ("jobs.badge_id", "jobs_one_running"),
        ("badge_assignments.badge_id", "badge_assignments_badge_member_key"),
    ];
    BY_COLUMN.iter().find(|(column, _)| message.contains(column)).map_or("unknown", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::sqlite_constraint;

    #[test]
    fn sqlite_messages_map_to_the_declared_names() {
        assert_eq!(sqlite_constraint("UNIQUE constraint failed: members.slug"), "members_slug_key");
        assert_eq!(
            sqlite_constraint("UNIQUE constraint failed: badge_assignments.badge_id, badge_assignments.member_id"),
            "badge_assignments_badge_member_key"
        );
        assert_eq!(sqlite_constraint("UNIQUE constraint failed: other.thing"), "unknown");
    }
}
