//! Login sessions and the failed-login record that throttles password guessing.

use super::accounts::{with_member, AccountRecord, AccountRow, ACCOUNT_COLUMNS};
use super::sql::sql;
use super::{Store, StoreResult};
use chrono::{DateTime, Utc};
use uuid::Uuid;

impl Store {
    /// Sessions are stored by the SHA-256 of their token, so a database leak yields no cookies.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sql("insert into sessions (token_hash, account_id, created_at, expires_at) values ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(account_id)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account behind an unexpired session.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<AccountRecord>> {
        let row: Option<AccountRow> = sql(format!(
            "select {ACCOUNT_COLUMNS} from accounts a join sessions s on s.account_id = a.id
             where s.token_hash = $1 and s.expires_at > $2"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(with_member((&self.pool).into(), row).await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sql("delete from sessions where token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Ends every session of the account ("log out everywhere").
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_sessions_of(&self, account_id: Uuid) -> StoreResult<u64> {
        Ok(sql("delete from sessions where account_id = $1").bind(account_id).execute(&self.pool).await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        Ok(sql("delete from sessions where expires_at <= $1").bind(now).execute(&self.pool).await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sql("insert into login_failures (key, failed_at) values ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64> {
        Ok(sql("select count(*) from login_failures where key = $1 and failed_at > $2")
            .bind(key)
            .bind(since)
            .fetch_scalar(&self.pool)
            .await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sql("delete from login_failures where key = $1").bind(key).execute(&self.pool).await?;
        Ok(())
    }

    /// Forgets failures older than `before`; they no longer count towards any throttle.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(sql("delete from login_failures where failed_at < $1").bind(before).execute(&self.pool).await?)
    }
}
