//! PostgreSQL: chosen by `DATABASE_URL=postgres://…`, for several instances behind a load
//! balancer. Native `uuid` and `timestamptz` columns; constraint names come from the server.

use super::*;
use crate::settings::SiteSettings;
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

const ACCOUNT_SELECT: &str = "select a.id, a.email, a.role, a.password_hash,
        m.id as m_id, m.login_email, m.status, m.privacy_status, m.nickname, m.slug,
        m.created_at as m_created_at, m.last_login_at
    from accounts a left join members m on m.id = a.member_id";

const MEMBER_SELECT: &str = "select id as m_id, login_email, status, privacy_status, nickname, slug,
        created_at as m_created_at, last_login_at from members";

fn member_from_row(row: &PgRow) -> Result<MemberRecord, sqlx::Error> {
    let parse = |col: &str, e: String| sqlx::Error::ColumnDecode { index: col.into(), source: e.into() };
    Ok(MemberRecord {
        id: row.try_get("m_id")?,
        login_email: row.try_get("login_email")?,
        status: MemberStatus::from_str(row.try_get("status")?).map_err(|e| parse("status", e))?,
        privacy_status: PrivacyStatus::from_str(row.try_get("privacy_status")?)
            .map_err(|e| parse("privacy_status", e))?,
        nickname: row.try_get("nickname")?,
        slug: row.try_get("slug")?,
        created_at: row.try_get("m_created_at")?,
        last_login_at: row.try_get("last_login_at")?,
    })
}

fn account_from_row(row: &PgRow) -> Result<AccountRecord, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let has_member = row.try_get::<Option<Uuid>, _>("m_id")?.is_some();
    Ok(AccountRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        role: Role::from_str(&role)
            .map_err(|e| sqlx::Error::ColumnDecode { index: "role".into(), source: e.into() })?,
        password_hash: row.try_get("password_hash")?,
        member: if has_member { Some(member_from_row(row)?) } else { None },
    })
}

impl PgStore {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new().max_connections(16).connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn owner_exists(&self) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar("select count(*) from accounts where role = 'owner'")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    async fn create_owner(&self, email: &Email, password_hash: &str) -> StoreResult<AccountRecord> {
        let account_id = Uuid::new_v4();
        sqlx::query(
            "insert into accounts (id, email, password_hash, role, member_id, created_at)
             values ($1, $2, $3, 'owner', null, $4)",
        )
        .bind(account_id)
        .bind(email.as_str())
        .bind(password_hash)
        .bind(Utc::now())
        .execute(&self.pool)
        .await
        .map_err(unique_violation)?;
        Ok(self.account_by_id(account_id).await?.expect("the account was just inserted"))
    }

    async fn create_member_account(&self, new: &NewMemberAccount) -> StoreResult<AccountRecord> {
        let now = Utc::now();
        let (account_id, member_id) = (Uuid::new_v4(), Uuid::new_v4());
        let mut tx = self.pool.begin().await?;
        let taken: Vec<String> = sqlx::query_scalar(
            "select slug from members where slug = $1 or slug like $1 || '-%'",
        )
        .bind(&new.base_slug)
        .fetch_all(&mut *tx)
        .await?;
        let slug = first_free_slug(&new.base_slug, &taken);
        sqlx::query(
            "insert into members (id, login_email, status, slug, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $5)",
        )
        .bind(member_id)
        .bind(new.email.as_str())
        .bind(new.status.as_str())
        .bind(&slug)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(unique_violation)?;
        sqlx::query(
            "insert into accounts (id, email, password_hash, role, member_id, created_at)
             values ($1, $2, $3, 'member', $4, $5)",
        )
        .bind(account_id)
        .bind(new.email.as_str())
        .bind(&new.password_hash)
        .bind(member_id)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(unique_violation)?;
        tx.commit().await?;
        Ok(self.account_by_id(account_id).await?.expect("the account was just inserted"))
    }

    async fn account_by_email(&self, email: &Email) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query(&format!("{ACCOUNT_SELECT} where a.email = $1"))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(account_from_row).transpose()?)
    }

    async fn account_by_id(&self, account_id: Uuid) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query(&format!("{ACCOUNT_SELECT} where a.id = $1"))
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(account_from_row).transpose()?)
    }

    async fn record_login(&self, account_id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "update members set last_login_at = $1
             where id = (select member_id from accounts where id = $2)",
        )
        .bind(at)
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        account_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "insert into sessions (token_hash, account_id, created_at, expires_at) values ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(Utc::now())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query(&format!(
            "{ACCOUNT_SELECT} join sessions s on s.account_id = a.id
             where s.token_hash = $1 and s.expires_at > $2"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(account_from_row).transpose()?)
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("delete from sessions where token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("delete from sessions where expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("insert into login_failures (key, failed_at) values ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("select count(*) from login_failures where key = $1 and failed_at > $2")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("delete from login_failures where key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("delete from login_failures where failed_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn settings(&self) -> StoreResult<SiteSettings> {
        let rows: Vec<(String, String)> = sqlx::query_as("select key, value from settings")
            .fetch_all(&self.pool)
            .await?;
        Ok(SiteSettings::from_pairs(rows))
    }

    async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for (key, value) in settings.to_pairs() {
            sqlx::query(
                "insert into settings (key, value) values ($1, $2)
                 on conflict (key) do update set value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn member_counts(&self) -> StoreResult<MemberCounts> {
        let (total, pending, public): (i64, i64, i64) = sqlx::query_as(
            "select count(*),
                    count(*) filter (where status = 'PENDING'),
                    count(*) filter (where privacy_status = 'PUBLIC' and status = 'APPROVED')
             from members",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(MemberCounts { total, pending, public })
    }

    async fn list_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>> {
        let rows = sqlx::query(&format!("{MEMBER_SELECT} order by created_at desc, id limit $1 offset $2"))
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
    }

    async fn list_public_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>> {
        let rows = sqlx::query(&format!(
            "{MEMBER_SELECT} where privacy_status = 'PUBLIC' and status = 'APPROVED'
             order by slug limit $1 offset $2"
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
    }

    async fn set_member_privacy(&self, member_id: Uuid, privacy: PrivacyStatus) -> StoreResult<()> {
        sqlx::query("update members set privacy_status = $1, updated_at = $2 where id = $3")
            .bind(privacy.as_str())
            .bind(Utc::now())
            .bind(member_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
