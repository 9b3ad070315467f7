//! Changes to members: profile edits, photo, statuses, deletion and bulk import.

use super::dialect::{unique_violation, Lock};
use super::events::{record, Change, Writer};
use super::members::{
    contact_lists, member_on, ImportedMember, MemberChanges, MemberRecord, MemberRow, MEMBER_COLUMNS,
};
use super::sql::{placeholders, sql, Statement, Tx};
use super::StoreResult;
use crate::domain::event::{EntityType, EventAction};
use crate::domain::{ActivityStatus, MemberStatus, PrivacyStatus};
use chrono::Utc;
use uuid::Uuid;

/// The columns an import writes, in the order `import_members` binds them.
const IMPORT_COLUMNS: [&str; 19] = [
    "id",
    "login_email",
    "status",
    "privacy_status",
    "activity_status",
    "nickname",
    "title",
    "slug",
    "first_name",
    "last_name",
    "company",
    "job_title",
    "birthdate",
    "phones",
    "emails",
    "addresses",
    "created_at",
    "updated_at",
    "last_login_at",
];

impl Statement {
    /// Binds the profile's columns in the order both writes name them: nickname, title, slug,
    /// then the contact's first name, last name, company, job title, birthdate, phones, emails,
    /// addresses.
    fn bind_profile(
        self,
        nickname: &Option<String>,
        title: &Option<String>,
        slug: &str,
        contact: &crate::domain::Contact,
    ) -> Statement {
        let (phones, emails, addresses) = contact_lists(contact);
        self.bind(nickname)
            .bind(title)
            .bind(slug)
            .bind(&contact.first_name)
            .bind(&contact.last_name)
            .bind(&contact.company)
            .bind(&contact.job_title)
            .bind(&contact.birthdate)
            .bind(phones)
            .bind(emails)
            .bind(addresses)
    }
}

/// The member under a row lock, for a change to write back (see `Lock::Member`).
async fn locked_member(
    pool: &super::sql::Pool,
    tx: &mut Tx,
    member_id: Uuid,
) -> Result<Option<MemberRecord>, sqlx::Error> {
    let lock = pool.lock(Lock::Member);
    let row: Option<MemberRow> = sql(format!("select {MEMBER_COLUMNS} from members m where m.id = $1 {lock}"))
        .bind(member_id)
        .fetch_optional(tx)
        .await?;
    row.map(MemberRecord::try_from).transpose()
}

/// Records a member's change from `before` to `after`.
async fn record_member(
    tx: &mut Tx,
    by: &crate::domain::event::ChangedBy,
    action: EventAction,
    before: &MemberRecord,
    after: &MemberRecord,
) -> Result<(), sqlx::Error> {
    record(tx, by, vec![Change::changed(EntityType::Member, after.id, action, before, after)?]).await
}

impl Writer<'_> {
    /// Applies the changes; `Ok(None)` when there is no such member.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn update_member(&self, member_id: Uuid, changes: &MemberChanges) -> StoreResult<Option<MemberRecord>> {
        self.update_member_with(member_id, |next| {
            if let Some(v) = &changes.nickname {
                next.nickname = v.clone();
            }
            if let Some(v) = &changes.title {
                next.title = v.clone();
            }
            if let Some(v) = &changes.slug {
                next.slug = v.clone();
            }
            if let Some(v) = &changes.contact {
                next.contact = v.clone();
            }
        })
        .await
    }

    /// Reads the member under a row lock, lets `apply` change its profile and contact fields,
    /// and writes them back in the same transaction: a partial update (Members V1 `updateMember`
    /// changes single contact fields) cannot lose a change saved in between. `Ok(None)` when
    /// there is no such member; a slug another member has fails with
    /// `Unique("members_slug_key")`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn update_member_with<F>(&self, member_id: Uuid, apply: F) -> StoreResult<Option<MemberRecord>>
    where
        F: FnOnce(&mut MemberRecord) + Send,
    {
        let mut tx = self.pool.begin_write().await?;
        let Some(before) = locked_member(self.pool, &mut tx, member_id).await? else {
            return Ok(None);
        };
        let mut next = before.clone();
        apply(&mut next);
        next.updated_at = Utc::now();
        // the photo is not written: it changes only through set_member_photo, so a save racing
        // the member's photo removal cannot bring the photo back
        sql("update members set nickname = $1, title = $2, slug = $3, first_name = $4, last_name = $5,
                 company = $6, job_title = $7, birthdate = $8, phones = $9, emails = $10, addresses = $11,
                 updated_at = $12
             where id = $13")
        .bind_profile(&next.nickname, &next.title, &next.slug, &next.contact)
        .bind(next.updated_at)
        .bind(member_id)
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        record_member(&mut tx, self.by, EventAction::Updated, &before, &next).await?;
        tx.commit().await?;
        Ok(Some(next))
    }

    /// Sets (or with `None` removes) the member's photo and deletes the image it replaces, in
    /// one transaction; `Ok(None)` when there is no such member.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn set_member_photo(&self, member_id: Uuid, photo: Option<Uuid>) -> StoreResult<Option<MemberRecord>> {
        let mut tx = self.pool.begin_write().await?;
        let Some(before) = locked_member(self.pool, &mut tx, member_id).await? else {
            return Ok(None);
        };
        let old = before.photo_id;
        sql("update members set photo_id = $1, updated_at = $2 where id = $3")
            .bind(photo)
            .bind(Utc::now())
            .bind(member_id)
            .execute(&mut tx)
            .await?;
        if let Some(old) = old.filter(|old| Some(*old) != photo) {
            sql("delete from uploads where id = $1").bind(old).execute(&mut tx).await?;
        }
        let member = member_on((&mut tx).into(), member_id).await?.ok_or(sqlx::Error::RowNotFound)?;
        record_member(&mut tx, self.by, EventAction::Updated, &before, &member).await?;
        tx.commit().await?;
        Ok(Some(member))
    }

    /// Joins (public) or leaves (private) the community; a member already there changes
    /// nothing and records nothing.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn set_member_privacy(&self, member_id: Uuid, privacy: PrivacyStatus) -> StoreResult<()> {
        let action = match privacy {
            PrivacyStatus::Public => EventAction::Joined,
            _ => EventAction::Left,
        };
        self.set_member_column(member_id, "privacy_status", privacy.as_str(), action).await?;
        Ok(())
    }

    /// Returns whether the member exists. Blocking also ends the member's sessions, in the same
    /// transaction, so unblocking later does not bring back a login from before the block.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn set_member_status(&self, member_id: Uuid, status: MemberStatus) -> StoreResult<bool> {
        let action = match status {
            MemberStatus::Approved => EventAction::Approved,
            MemberStatus::Blocked => EventAction::Blocked,
            MemberStatus::Pending | MemberStatus::Offline => EventAction::Updated,
        };
        let mut tx = self.pool.begin_write().await?;
        let Some(before) = locked_member(self.pool, &mut tx, member_id).await? else {
            return Ok(false);
        };
        if status == MemberStatus::Blocked {
            sql("delete from sessions where account_id in (select id from accounts where member_id = $1)")
                .bind(member_id)
                .execute(&mut tx)
                .await?;
        }
        if before.status != status {
            let after = MemberRecord { status, updated_at: Utc::now(), ..before.clone() };
            sql("update members set status = $1, updated_at = $2 where id = $3")
                .bind(status.as_str())
                .bind(after.updated_at)
                .bind(member_id)
                .execute(&mut tx)
                .await?;
            record_member(&mut tx, self.by, action, &before, &after).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Returns whether the member exists.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn set_member_activity(&self, member_id: Uuid, activity: ActivityStatus) -> StoreResult<bool> {
        let action = match activity {
            ActivityStatus::Muted => EventAction::Muted,
            _ => EventAction::Unmuted,
        };
        self.set_member_column(member_id, "activity_status", activity.as_str(), action).await
    }

    /// Sets one status column of a member (`column` is one of this file's literals) and records
    /// `action` if it changed; whether the member exists.
    async fn set_member_column(
        &self,
        member_id: Uuid,
        column: &'static str,
        value: &str,
        action: EventAction,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin_write().await?;
        let Some(before) = locked_member(self.pool, &mut tx, member_id).await? else {
            return Ok(false);
        };
        let changed =
            sql(format!("update members set {column} = $1, updated_at = $2 where id = $3 and {column} <> $1"))
                .bind(value)
                .bind(Utc::now())
                .bind(member_id)
                .execute(&mut tx)
                .await?;
        if changed > 0 {
            let after = member_on((&mut tx).into(), member_id).await?.ok_or(sqlx::Error::RowNotFound)?;
            record_member(&mut tx, self.by, action, &before, &after).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes a member; their account, sessions and badge assignments go by foreign-key
    /// cascades, and their photo and every image their account uploaded in the same transaction.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_member(&self, member_id: Uuid) -> StoreResult<bool> {
        let mut tx = self.pool.begin_write().await?;
        let Some(before) = locked_member(self.pool, &mut tx, member_id).await? else {
            return Ok(false);
        };
        // the images go first: the member's row names its photo, and the account (which the
        // cascade removes with the member) names what it uploaded
        sql("delete from uploads where id = (select photo_id from members where id = $1)
                or uploaded_by = (select id from accounts where member_id = $1)")
        .bind(member_id)
        .execute(&mut tx)
        .await?;
        sql("delete from members where id = $1").bind(member_id).execute(&mut tx).await?;
        record(&mut tx, self.by, vec![Change::deleted(EntityType::Member, member_id, &before)?]).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Inserts one member without an account (Members V1 `createMember`: a member with no login
    /// password), with `member.slug` as the wanted slug: the first of it, `-2`, `-3`… that no
    /// member has. A login email another member has fails with `Unique("members_login_email_key")`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_member(&self, member: &ImportedMember) -> StoreResult<MemberRecord> {
        let mut tx = self.pool.begin_write().await?;
        let taken: Vec<(String,)> = sql("select slug from members where slug = $1 or slug like $1 || '-%'")
            .bind(&member.slug)
            .fetch_all(&mut tx)
            .await?;
        let taken: Vec<String> = taken.into_iter().map(|(slug,)| slug).collect();
        let slug = super::first_free_slug(&member.slug, &taken);
        let marks = placeholders(1, IMPORT_COLUMNS.len());
        sql(format!("insert into members ({}) values ({marks})", IMPORT_COLUMNS.join(", ")))
            .bind(member.id)
            .bind(&member.login_email)
            .bind(member.status.as_str())
            .bind(member.privacy_status.as_str())
            .bind(member.activity_status.as_str())
            .bind_profile(&member.nickname, &member.title, &slug, &member.contact)
            .bind(member.created_at)
            .bind(member.created_at)
            .bind(member.last_login_at)
            .execute(&mut tx)
            .await
            .map_err(unique_violation)?;
        let created = member_on((&mut tx).into(), member.id).await?.ok_or(sqlx::Error::RowNotFound)?;
        record(&mut tx, self.by, vec![Change::created(EntityType::Member, member.id, &created)?]).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Inserts the members in one transaction (all or none).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn import_members(&self, members: &[ImportedMember]) -> StoreResult<()> {
        let mut tx = self.pool.begin_write().await?;
        let width = IMPORT_COLUMNS.len();
        for chunk in members.chunks(tx.backend().rows_per_statement(width, 0)) {
            let rows: Vec<String> =
                (0..chunk.len()).map(|i| format!("({})", placeholders(i * width + 1, width))).collect();
            let mut insert =
                sql(format!("insert into members ({}) values {}", IMPORT_COLUMNS.join(", "), rows.join(", ")));
            for m in chunk {
                insert = insert
                    .bind(m.id)
                    .bind(&m.login_email)
                    .bind(m.status.as_str())
                    .bind(m.privacy_status.as_str())
                    .bind(m.activity_status.as_str())
                    .bind_profile(&m.nickname, &m.title, &m.slug, &m.contact)
                    .bind(m.created_at)
                    .bind(m.created_at)
                    .bind(m.last_login_at);
            }
            insert.execute(&mut tx).await.map_err(unique_violation)?;
        }
        let created: Vec<Change> = members
            .iter()
            .map(|m| Change::created(EntityType::Member, m.id, &m.as_record()))
            .collect::<Result<_, _>>()?;
        record(&mut tx, self.by, created).await?;
        tx.commit().await?;
        Ok(())
    }
}
