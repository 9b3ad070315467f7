//! Badge assignments: giving and taking a badge, and who holds what.

use super::assignment_records::{assignments_in, held_in, write_tags, AssignmentRecord};
use super::badges::IconColumns;
use super::codec::Id;
use super::events::{record, Change, Writer};
use super::sql::{placeholders, sql, Tx};
use super::{Store, StoreResult};
use crate::domain::event::EntityType;
use crate::domain::new_id;
use crate::domain::tags::Tags;
use crate::domain::IconRef;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What assigning a badge to one member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOutcome {
    /// A new assignment, with its id.
    Assigned(Uuid),
    /// The member already held the badge (the existing assignment's id); nothing changed.
    AlreadyHeld(Uuid),
    MemberNotFound,
}

/// Who makes an assignment, for the record: the account (an admin, a delegated member, a
/// member token's member) and the API key or token used, either or both unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AssignedBy {
    pub account: Option<Uuid>,
    pub key: Option<Uuid>,
}

impl AssignedBy {
    /// Insignia itself (a seed, a test).
    pub const NOBODY: AssignedBy = AssignedBy { account: None, key: None };

    pub fn account(id: Uuid) -> Self {
        AssignedBy { account: Some(id), key: None }
    }
}

/// One assignment to make (Badge Assignments V4: each item has its own badge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssignment {
    pub badge_id: Uuid,
    pub member_id: Uuid,
    pub tags: Tags,
}

/// What making one assignment did.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    Created(AssignmentRecord),
    /// The member already holds the badge: that assignment's id.
    AlreadyHeld(Uuid),
    MemberNotFound,
    BadgeNotFound,
}

/// What unassigning a badge from one member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnassignOutcome {
    Removed(Uuid),
    NotHeld,
}

/// A badge a member holds, with what a chip needs and when it was assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldBadge {
    pub member_id: Uuid,
    pub badge_id: Uuid,
    pub title: String,
    pub slug: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub assigned_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct HeldRow {
    member_id: Id,
    badge_id: Id,
    title: String,
    slug: String,
    background_color: String,
    text_color: String,
    #[sqlx(flatten)]
    icon: IconColumns,
    assigned_at: DateTime<Utc>,
}

async fn badge_exists(tx: &mut Tx, badge_id: Uuid) -> Result<bool, sqlx::Error> {
    let found: Option<(i32,)> = sql("select 1 from badges where id = $1").bind(badge_id).fetch_optional(tx).await?;
    Ok(found.is_some())
}

/// Assigns the badge to the member unless they hold it already or do not exist.
async fn insert_one(
    tx: &mut Tx,
    badge_id: Uuid,
    member_id: Uuid,
    by: AssignedBy,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AssignOutcome, sqlx::Error> {
    let new_id = new_id();
    // the WHERE also keeps SQLite from reading ON CONFLICT as part of the SELECT
    let inserted = sql(
        "insert into badge_assignments (id, badge_id, member_id, assigned_by, assigned_by_key, reason, created_at, updated_at)
         select $1, $2, $3, $4, $5, $6, $7, $7 where exists (select 1 from members where id = $3)
         on conflict (badge_id, member_id) do nothing",
    )
    .bind(new_id)
    .bind(badge_id)
    .bind(member_id)
    .bind(by.account)
    .bind(by.key)
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted == 1 {
        return Ok(AssignOutcome::Assigned(new_id));
    }
    let existing: Option<(Id,)> = sql("select id from badge_assignments where badge_id = $1 and member_id = $2")
        .bind(badge_id)
        .bind(member_id)
        .fetch_optional(tx)
        .await?;
    Ok(existing.map_or(AssignOutcome::MemberNotFound, |(id,)| AssignOutcome::AlreadyHeld(id.0)))
}

/// A new assignment as `insert_one` wrote it: no tags, made now.
fn new_record(id: Uuid, badge_id: Uuid, member_id: Uuid, by: AssignedBy, now: DateTime<Utc>) -> AssignmentRecord {
    AssignmentRecord {
        id,
        badge_id,
        member_id,
        assigned_by: by.account,
        assigned_by_key: by.key,
        tags: Tags::default(),
        created_at: now,
        updated_at: now,
    }
}

impl Writer<'_> {
    /// Gives `badge_id` to each member, in one transaction, by `by` with an optional reason;
    /// one outcome per member, in order. `None` when the badge does not exist. The unique
    /// (badge, member) constraint, not a prior read, decides "already held", so concurrent
    /// assignments of the same pair leave exactly one row.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn assign_badge(
        &self,
        badge_id: Uuid,
        member_ids: &[Uuid],
        by: AssignedBy,
        reason: Option<&str>,
    ) -> StoreResult<Option<Vec<AssignOutcome>>> {
        let mut tx = self.pool.begin_write().await?;
        if !badge_exists(&mut tx, badge_id).await? {
            return Ok(None);
        }
        let now = Utc::now();
        let mut outcomes = Vec::with_capacity(member_ids.len());
        let mut changes = Vec::new();
        for &member_id in member_ids {
            let outcome = insert_one(&mut tx, badge_id, member_id, by, reason, now).await?;
            if let AssignOutcome::Assigned(id) = outcome {
                let created = new_record(id, badge_id, member_id, by, now);
                changes.push(Change::created(EntityType::BadgeAssignment, id, &created)?);
            }
            outcomes.push(outcome);
        }
        record(&mut tx, self.by, changes).await?;
        tx.commit().await?;
        Ok(Some(outcomes))
    }

    /// Makes each assignment (each with its own badge and tags), in one transaction; one
    /// outcome per item, in order: an unknown badge or member, or a pair already held, fails
    /// that item only.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_assignments(&self, items: &[NewAssignment], by: AssignedBy) -> StoreResult<Vec<CreateOutcome>> {
        let mut tx = self.pool.begin_write().await?;
        let now = Utc::now();
        let mut known_badges = std::collections::HashMap::new();
        let mut created = Vec::new();
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            let exists = match known_badges.get(&item.badge_id) {
                Some(exists) => *exists,
                None => {
                    let exists = badge_exists(&mut tx, item.badge_id).await?;
                    known_badges.insert(item.badge_id, exists);
                    exists
                }
            };
            if !exists {
                outcomes.push(Err(CreateOutcome::BadgeNotFound));
                continue;
            }
            outcomes.push(match insert_one(&mut tx, item.badge_id, item.member_id, by, None, now).await? {
                AssignOutcome::Assigned(id) => {
                    write_tags(&mut tx, id, &item.tags).await?;
                    created.push(id);
                    Ok(id)
                }
                AssignOutcome::AlreadyHeld(id) => Err(CreateOutcome::AlreadyHeld(id)),
                AssignOutcome::MemberNotFound => Err(CreateOutcome::MemberNotFound),
            });
        }
        let records = assignments_in(&mut tx, &created).await?;
        let changes = records.iter().map(|r| Change::created(EntityType::BadgeAssignment, r.id, r));
        record(&mut tx, self.by, changes.collect::<Result<_, _>>()?).await?;
        tx.commit().await?;
        Ok(outcomes
            .into_iter()
            .map(|o| match o {
                Ok(id) => records
                    .iter()
                    .find(|r| r.id == id)
                    .cloned()
                    .map_or(CreateOutcome::MemberNotFound, CreateOutcome::Created),
                Err(failed) => failed,
            })
            .collect())
    }

    /// Takes `badge_id` from each member, in one transaction; one outcome per member.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn unassign_badge(&self, badge_id: Uuid, member_ids: &[Uuid]) -> StoreResult<Vec<UnassignOutcome>> {
        let mut tx = self.pool.begin_write().await?;
        // read first, with their tags, for the events
        let held = held_in(&mut tx, badge_id, member_ids).await?;
        let mut outcomes = Vec::with_capacity(member_ids.len());
        let mut changes = Vec::new();
        for &member_id in member_ids {
            let removed: Option<(Id,)> =
                sql("delete from badge_assignments where badge_id = $1 and member_id = $2 returning id")
                    .bind(badge_id)
                    .bind(member_id)
                    .fetch_optional(&mut tx)
                    .await?;
            if let Some(before) = removed.and_then(|(id,)| held.iter().find(|a| a.id == id.0)) {
                changes.push(Change::deleted(EntityType::BadgeAssignment, before.id, before)?);
            }
            outcomes.push(removed.map_or(UnassignOutcome::NotHeld, |(id,)| UnassignOutcome::Removed(id.0)));
        }
        record(&mut tx, self.by, changes).await?;
        tx.commit().await?;
        Ok(outcomes)
    }
}

impl Store {
    /// The badges each of these members holds, in the badges' display order.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn held_badges(&self, member_ids: &[Uuid]) -> StoreResult<Vec<HeldBadge>> {
        if member_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<HeldRow> = sql(format!(
            "select a.member_id, a.created_at as assigned_at, b.id as badge_id, b.title, b.slug, b.background_color,
                    b.text_color, b.icon_kind, b.icon_value, b.icon_alt
             from badge_assignments a join badges b on b.id = a.badge_id
             where a.member_id in ({})
             order by b.position, b.id",
            placeholders(1, member_ids.len())
        ))
        .bind_all(member_ids.iter().copied())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| HeldBadge {
                member_id: row.member_id.0,
                badge_id: row.badge_id.0,
                title: row.title,
                slug: row.slug,
                background_color: row.background_color,
                text_color: row.text_color,
                icon: row.icon.icon(),
                assigned_at: row.assigned_at,
            })
            .collect())
    }

    /// For each of these badges that has public, approved holders, how many. Only the badges
    /// asked for are counted: a page of badges must not cost a scan of every assignment.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn public_holder_counts(&self, badge_ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, i64>> {
        if badge_ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(Id, i64)> = sql(format!(
            "select a.badge_id, count(*) from badge_assignments a join members m on m.id = a.member_id
             where a.badge_id in ({}) and m.privacy_status = 'PUBLIC' and m.status = 'APPROVED'
             group by a.badge_id",
            placeholders(1, badge_ids.len())
        ))
        .bind_all(badge_ids.iter().copied())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id, n)| (id.0, n)).collect())
    }

    /// How many members hold the badge; `public_only` counts only public, approved ones.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn count_badge_holders(&self, badge_id: Uuid, public_only: bool) -> StoreResult<i64> {
        let visible = if public_only { "and m.privacy_status = 'PUBLIC' and m.status = 'APPROVED'" } else { "" };
        Ok(sql(format!(
            "select count(*) from badge_assignments a join members m on m.id = a.member_id where a.badge_id = $1 {visible}"
        ))
        .bind(badge_id)
        .fetch_scalar(&self.pool)
        .await?)
    }
}
