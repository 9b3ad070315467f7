//! API keys and members' personal tokens, kept by the hash of their secret.

use super::codec::Id;
use super::dialect::unique_violation;
use super::sql::sql;
use super::{Store, StoreResult};
use crate::domain::new_id;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A key as listed and as the caller of a request: never its secret.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyRecord {
    pub id: Uuid,
    /// The key's first characters: how lists and logs name it.
    pub prefix: String,
    pub name: String,
    /// The stored scope list (`badges.manage,members.read`); empty for a member token.
    pub scopes: String,
    /// Set for a member token: the member it acts as.
    pub member_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A key to keep: the secret itself is not in it, only its hash.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub prefix: String,
    pub key_hash: String,
    pub name: String,
    pub scopes: String,
    pub member_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: Id,
    prefix: String,
    name: String,
    scopes: String,
    member_id: Option<Id>,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

impl From<ApiKeyRow> for ApiKeyRecord {
    fn from(row: ApiKeyRow) -> Self {
        ApiKeyRecord {
            id: row.id.0,
            prefix: row.prefix,
            name: row.name,
            scopes: row.scopes,
            member_id: row.member_id.map(Uuid::from),
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        }
    }
}

const KEY_COLUMNS: &str = "id, prefix, name, scopes, member_id, created_at, last_used_at";

/// How stale "last used" may get: a key used every second writes it once a minute, not once
/// a request.
const LAST_USED_GRANULARITY: Duration = Duration::minutes(1);

impl Store {
    /// Keeps a new key; `Unique("api_keys_prefix_key")` if its prefix is taken (a new random
    /// key is then drawn).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_api_key(&self, new: &NewApiKey) -> StoreResult<ApiKeyRecord> {
        let row: ApiKeyRow = sql(format!(
            "insert into api_keys (id, prefix, key_hash, name, scopes, member_id, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning {KEY_COLUMNS}"
        ))
        .bind(new_id())
        .bind(&new.prefix)
        .bind(&new.key_hash)
        .bind(&new.name)
        .bind(&new.scopes)
        .bind(new.member_id)
        .bind(new.created_by)
        .bind(Utc::now())
        .fetch_one(&self.pool)
        .await
        .map_err(unique_violation)?;
        Ok(row.into())
    }

    /// The key with this prefix and the hash of its secret, for the caller to compare.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn api_key_by_prefix(&self, prefix: &str) -> StoreResult<Option<(ApiKeyRecord, String)>> {
        #[derive(sqlx::FromRow)]
        struct WithHash {
            #[sqlx(flatten)]
            key: ApiKeyRow,
            key_hash: String,
        }
        let row: Option<WithHash> = sql(format!("select {KEY_COLUMNS}, key_hash from api_keys where prefix = $1"))
            .bind(prefix)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.key.into(), r.key_hash)))
    }

    /// The site's API keys (`member: None`) or one member's tokens, newest first.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn list_api_keys(&self, member: Option<Uuid>) -> StoreResult<Vec<ApiKeyRecord>> {
        let rows: Vec<ApiKeyRow> = sql(format!(
            "select {KEY_COLUMNS} from api_keys
             where ($1 is null and member_id is null) or member_id = $1
             order by created_at desc, id"
        ))
        .bind(member)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(ApiKeyRecord::from).collect())
    }

    /// Revokes the site key (`member: None`) or the member's token with this prefix; whether
    /// there was one. A member can never revoke a site key, nor an admin a token by mistake.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_api_key(&self, prefix: &str, member: Option<Uuid>) -> StoreResult<bool> {
        let deleted =
            sql("delete from api_keys where prefix = $1 and (($2 is null and member_id is null) or member_id = $2)")
                .bind(prefix)
                .bind(member)
                .execute(&self.pool)
                .await?;
        Ok(deleted > 0)
    }

    /// Stamps the key as used at `at`, at most once a minute.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn touch_api_key(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        sql("update api_keys set last_used_at = $1 where id = $2 and (last_used_at is null or last_used_at < $3)")
            .bind(at)
            .bind(id)
            .bind(at - LAST_USED_GRANULARITY)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account of a member, for a member token acting as them.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn account_of_member(&self, member_id: Uuid) -> StoreResult<Option<super::AccountRecord>> {
        let row = sql(format!("select {} from accounts a where a.member_id = $1", super::accounts::ACCOUNT_COLUMNS))
            .bind(member_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(super::accounts::with_member((&self.pool).into(), row).await?)
    }
}
