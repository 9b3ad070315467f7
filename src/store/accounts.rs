//! Accounts: the owner, admins and members' logins, each with its member if it has one.

use super::codec::Id;
use super::dialect::unique_violation;
use super::events::{record, Change, Writer};
use super::members::{member_on, MemberRecord};
use super::sql::{sql, On, Tx};
use super::{first_free_slug, Store, StoreResult};
use crate::domain::event::EntityType;
use crate::domain::new_id;
use crate::domain::{Email, MemberStatus, Role};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An account as the auth layer needs it, with its member (if it is a member account).
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub member: Option<MemberRecord>,
}

/// What creating a member account writes: the account and its member, in one transaction.
#[derive(Debug, Clone)]
pub struct NewMemberAccount {
    pub email: Email,
    pub password_hash: String,
    pub status: MemberStatus,
    /// The slug wanted; the store appends `-2`, `-3`… if it is taken.
    pub base_slug: String,
    pub nickname: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct AccountRow {
    id: Id,
    email: String,
    #[sqlx(try_from = "String")]
    role: Role,
    password_hash: String,
    member_id: Option<Id>,
}

/// The columns of `AccountRow`, from `accounts a`.
pub(super) const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.role, a.password_hash, a.member_id";

/// The account of `row` with its member, read on `on`. A member account whose member is gone
/// (deleted between the two reads; the cascade removes the account with it) is no account:
/// it must never pass for an account without a member, which is what admins are.
pub(super) async fn with_member(on: On<'_>, row: Option<AccountRow>) -> Result<Option<AccountRecord>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let member = match row.member_id {
        Some(member_id) => match member_on(on, member_id.0).await? {
            Some(member) => Some(member),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(AccountRecord { id: row.id.0, email: row.email, role: row.role, password_hash: row.password_hash, member }))
}

async fn account_on(on: &mut Tx, account_id: Uuid) -> Result<AccountRecord, sqlx::Error> {
    let row = sql(format!("select {ACCOUNT_COLUMNS} from accounts a where a.id = $1"))
        .bind(account_id)
        .fetch_optional(&mut *on)
        .await?;
    with_member(on.into(), row).await?.ok_or(sqlx::Error::RowNotFound)
}

impl Store {
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn owner_exists(&self) -> StoreResult<bool> {
        let n: i64 = sql("select count(*) from accounts where role = 'owner'").fetch_scalar(&self.pool).await?;
        Ok(n > 0)
    }

    /// Creates the owner; fails with `Unique("accounts_one_owner")` if there is one already and
    /// `Unique("accounts_email_key")` if the email is taken.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_owner(&self, email: &Email, password_hash: &str) -> StoreResult<AccountRecord> {
        let account_id = new_id();
        let mut tx = self.pool.begin_write().await?;
        sql("insert into accounts (id, email, password_hash, role, member_id, created_at)
             values ($1, $2, $3, 'owner', null, $4)")
        .bind(account_id)
        .bind(email.as_str())
        .bind(password_hash)
        .bind(Utc::now())
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        let account = account_on(&mut tx, account_id).await?;
        tx.commit().await?;
        Ok(account)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn account_by_email(&self, email: &Email) -> StoreResult<Option<AccountRecord>> {
        let row = sql(format!("select {ACCOUNT_COLUMNS} from accounts a where a.email = $1"))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(with_member((&self.pool).into(), row).await?)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn account_by_id(&self, account_id: Uuid) -> StoreResult<Option<AccountRecord>> {
        let row = sql(format!("select {ACCOUNT_COLUMNS} from accounts a where a.id = $1"))
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(with_member((&self.pool).into(), row).await?)
    }

    /// Whether the member is linked to an owner's or admin's account: such members are never
    /// blocked or deleted through the Members API (as the by-filter runs skip them).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn member_is_staff(&self, member_id: Uuid) -> StoreResult<bool> {
        let n: i64 = sql("select count(*) from accounts where member_id = $1 and role in ('owner', 'admin')")
            .bind(member_id)
            .fetch_scalar(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Stamps the member's last login, if the account has a member.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn record_login(&self, account_id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        sql("update members set last_login_at = $1 where id = (select member_id from accounts where id = $2)")
            .bind(at)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl Writer<'_> {
    /// Creates a member and its account in one transaction, with the first free slug.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_member_account(&self, new: &NewMemberAccount) -> StoreResult<AccountRecord> {
        let now = Utc::now();
        let (account_id, member_id) = (new_id(), new_id());
        let mut tx = self.pool.begin_write().await?;
        let taken: Vec<(String,)> = sql("select slug from members where slug = $1 or slug like $1 || '-%'")
            .bind(&new.base_slug)
            .fetch_all(&mut tx)
            .await?;
        let taken: Vec<String> = taken.into_iter().map(|(slug,)| slug).collect();
        sql("insert into members (id, login_email, status, slug, nickname, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $6)")
        .bind(member_id)
        .bind(new.email.as_str())
        .bind(new.status.as_str())
        .bind(first_free_slug(&new.base_slug, &taken))
        .bind(&new.nickname)
        .bind(now)
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        sql("insert into accounts (id, email, password_hash, role, member_id, created_at)
             values ($1, $2, $3, 'member', $4, $5)")
        .bind(account_id)
        .bind(new.email.as_str())
        .bind(&new.password_hash)
        .bind(member_id)
        .bind(now)
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        let account = account_on(&mut tx, account_id).await?;
        let member = account.member.as_ref().ok_or(sqlx::Error::RowNotFound)?;
        record(&mut tx, self.by, vec![Change::created(EntityType::Member, member_id, member)?]).await?;
        tx.commit().await?;
        Ok(account)
    }
}
