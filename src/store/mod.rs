//! Storage: the one place with SQL. `Store` is what the rest of the app talks to; `SqliteStore`
//! and `PgStore` implement it, and `connect` picks one from the database URL at run time. Both
//! pass the same test suite (`tests/store.rs`).

mod postgres;
mod sqlite;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use crate::domain::{Email, MemberStatus, PrivacyStatus, Role};
use crate::settings::SiteSettings;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the constraint's name as declared in the
    /// migrations (e.g. `accounts_email_key`), so callers map names, never message text.
    #[error("unique constraint {0} violated")]
    Unique(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Database(e) => e.into(),
            StoreError::Unique(name) => {
                tracing::warn!(constraint = %name, "unmapped unique violation");
                crate::error::AppError::Conflict("That already exists".into())
            }
        }
    }
}

/// An account as the auth layer needs it, with its member (if it is a member account).
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub member: Option<MemberRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub id: Uuid,
    pub login_email: String,
    pub status: MemberStatus,
    pub privacy_status: PrivacyStatus,
    pub nickname: Option<String>,
    pub slug: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// What creating a member account writes: the account and its member, in one transaction.
#[derive(Debug, Clone)]
pub struct NewMemberAccount {
    pub email: Email,
    pub password_hash: String,
    pub status: MemberStatus,
    /// The slug wanted; the store appends `-2`, `-3`… if it is taken.
    pub base_slug: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberCounts {
    pub total: i64,
    pub pending: i64,
    pub public: i64,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Round-trips to the database; used by `/healthz`.
    async fn ping(&self) -> StoreResult<()>;

    // --- accounts ---------------------------------------------------------------------------
    async fn owner_exists(&self) -> StoreResult<bool>;
    /// Creates the owner; fails with `Unique("accounts_one_owner")` if there is one already and
    /// `Unique("accounts_email_key")` if the email is taken.
    async fn create_owner(&self, email: &Email, password_hash: &str) -> StoreResult<AccountRecord>;
    async fn create_member_account(&self, new: &NewMemberAccount) -> StoreResult<AccountRecord>;
    async fn account_by_email(&self, email: &Email) -> StoreResult<Option<AccountRecord>>;
    async fn account_by_id(&self, id: Uuid) -> StoreResult<Option<AccountRecord>>;
    /// Stamps the member's last login, if the account has a member.
    async fn record_login(&self, account_id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;

    // --- sessions ---------------------------------------------------------------------------
    /// Sessions are stored by the SHA-256 of their token, so a database leak yields no cookies.
    async fn create_session(
        &self,
        token_hash: &str,
        account_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The account behind an unexpired session.
    async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<AccountRecord>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    // --- login throttling -------------------------------------------------------------------
    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Forgets failures older than `before`; they no longer count towards any throttle.
    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    // --- settings ---------------------------------------------------------------------------
    async fn settings(&self) -> StoreResult<SiteSettings>;
    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()>;

    // --- members ----------------------------------------------------------------------------
    async fn member_counts(&self) -> StoreResult<MemberCounts>;
    /// Newest first.
    async fn list_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>>;
    /// Only PUBLIC, APPROVED members, by slug: what a visitor may see.
    async fn list_public_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>>;
    async fn set_member_privacy(&self, member_id: Uuid, privacy: PrivacyStatus) -> StoreResult<()>;
}

pub type DynStore = Arc<dyn Store>;

/// Opens the database named by `url` (`sqlite:…` or `postgres://…`) and applies migrations.
pub async fn connect(url: &str) -> anyhow::Result<DynStore> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (got {url:?})")
    }
}

/// Picks `base`, or `base-2`, `base-3`… — the first not in `taken`.
pub(crate) fn first_free_slug(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .expect("an unbounded range always has a free suffix")
}

#[cfg(test)]
mod tests {
    use super::first_free_slug;

    #[test]
    fn slug_suffixes_count_up_from_two() {
        assert_eq!(first_free_slug("ann", &[]), "ann");
        assert_eq!(first_free_slug("ann", &["ann".into()]), "ann-2");
        assert_eq!(first_free_slug("ann", &["ann".into(), "ann-2".into()]), "ann-3");
        assert_eq!(first_free_slug("ann", &["ann".into(), "ann-3".into()]), "ann-2");
    }
}
