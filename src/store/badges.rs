//! Badges: their records, the editor's writes (with revisions and slugs) and the lists.

use super::codec::Id;
use super::dialect::{unique_violation, Lock, Ordered};
use super::events::{record, Change, Writer};
use super::sql::{sql, Pool, Tx};
use super::{first_free_slug, like_pattern, Store, StoreResult};
use crate::domain::badge_order::{OrderError, Reorder};
use crate::domain::event::{EntityType, EventAction};
use crate::domain::new_id;
use crate::domain::{BadgeDescription, BadgeTitle, HexColor, IconRef, IconSource};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A badge as stored, with how many members hold it. Events keep it as JSON (serde's names).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BadgeRecord {
    pub id: Uuid,
    pub revision: i64,
    pub title: String,
    pub description: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub permissions_enabled: bool,
    pub slug: String,
    pub position: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub member_count: i64,
}

/// Everything a new badge needs; the store adds id, slug, position and dates.
#[derive(Debug, Clone)]
pub struct NewBadge {
    pub title: BadgeTitle,
    pub description: BadgeDescription,
    pub background_color: HexColor,
    pub text_color: HexColor,
    pub icon: Option<IconRef>,
    pub permissions_enabled: bool,
}

/// A partial update: `None` leaves a field as it is; `icon: Some(None)` removes the icon.
#[derive(Debug, Clone, Default)]
pub struct BadgeChanges {
    pub title: Option<BadgeTitle>,
    pub description: Option<BadgeDescription>,
    pub background_color: Option<HexColor>,
    pub text_color: Option<HexColor>,
    pub icon: Option<Option<IconRef>>,
    pub permissions_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BadgeUpdate {
    // boxed: a record is large next to the other variants
    Updated(Box<BadgeRecord>),
    /// Someone saved first: nothing was changed.
    Stale {
        current_revision: i64,
    },
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadgeSort {
    #[default]
    Position,
    Title,
    NewestFirst,
}

#[derive(Debug, Clone, Default)]
pub struct BadgeQuery {
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
    pub permissions_enabled: Option<bool>,
    pub sort: BadgeSort,
    pub limit: i64,
    pub offset: i64,
}

impl BadgeSort {
    fn order_by(self) -> &'static str {
        match self {
            BadgeSort::Position => "b.position, b.id",
            BadgeSort::Title => "lower(b.title), b.id",
            BadgeSort::NewestFirst => "b.created_at desc, b.id",
        }
    }
}

/// The badge columns every read selects, from `badges b`.
pub(super) const BADGE_COLUMNS: &str = "b.id, b.revision, b.title, b.description, b.background_color, b.text_color,
    b.icon_kind, b.icon_value, b.icon_alt, b.permissions_enabled, b.slug, b.position, b.created_at, b.updated_at,
    b.member_count";

#[derive(sqlx::FromRow)]
pub(super) struct BadgeRow {
    id: Id,
    revision: i64,
    title: String,
    description: String,
    background_color: String,
    text_color: String,
    #[sqlx(flatten)]
    icon: IconColumns,
    permissions_enabled: bool,
    slug: String,
    position: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    member_count: i64,
}

/// The three columns that store an icon.
#[derive(sqlx::FromRow, Default)]
pub(super) struct IconColumns {
    icon_kind: Option<String>,
    icon_value: Option<String>,
    icon_alt: String,
}

impl IconColumns {
    fn of(icon: &Option<IconRef>) -> Self {
        let Some(icon) = icon else { return IconColumns::default() };
        let (kind, value) = match &icon.source {
            IconSource::Library(name) => ("library", name.clone()),
            IconSource::Upload(id) => ("upload", id.to_string()),
            IconSource::Url(url) => ("url", url.clone()),
        };
        IconColumns { icon_kind: Some(kind.to_owned()), icon_value: Some(value), icon_alt: icon.alt_text.clone() }
    }

    /// The icon back; rows the migrations allowed always rebuild.
    pub(super) fn icon(self) -> Option<IconRef> {
        let source = match (self.icon_kind.as_deref(), self.icon_value) {
            (Some("library"), Some(v)) => IconSource::Library(v),
            (Some("upload"), Some(v)) => IconSource::Upload(v.parse().ok()?),
            (Some("url"), Some(v)) => IconSource::Url(v),
            _ => return None,
        };
        Some(IconRef { source, alt_text: self.icon_alt })
    }
}

impl From<BadgeRow> for BadgeRecord {
    fn from(row: BadgeRow) -> Self {
        BadgeRecord {
            id: row.id.0,
            revision: row.revision,
            title: row.title,
            description: row.description,
            background_color: row.background_color,
            text_color: row.text_color,
            icon: row.icon.icon(),
            permissions_enabled: row.permissions_enabled,
            slug: row.slug,
            position: row.position,
            created_at: row.created_at,
            updated_at: row.updated_at,
            member_count: row.member_count,
        }
    }
}

/// The badge after `changes`, and whether its slug must follow a new title.
fn apply_changes(current: &BadgeRecord, changes: &BadgeChanges) -> (BadgeRecord, bool) {
    let mut next = current.clone();
    if let Some(t) = &changes.title {
        next.title = t.as_str().to_owned();
    }
    if let Some(d) = &changes.description {
        next.description = d.as_str().to_owned();
    }
    if let Some(c) = changes.background_color {
        next.background_color = c.to_string();
    }
    if let Some(c) = changes.text_color {
        next.text_color = c.to_string();
    }
    if let Some(icon) = &changes.icon {
        next.icon = icon.clone();
    }
    if let Some(p) = changes.permissions_enabled {
        next.permissions_enabled = p;
    }
    let title_changed = next.title != current.title;
    (next, title_changed)
}

/// The slug a title asks for (before uniqueness suffixes).
pub(crate) fn badge_base_slug(title: &str) -> String {
    crate::domain::slugify(title).unwrap_or_else(|| "badge".to_owned())
}

/// The first free slug for `title`, read inside the writing transaction.
async fn free_badge_slug(tx: &mut Tx, title: &str, except: Option<Uuid>) -> Result<String, sqlx::Error> {
    let base = badge_base_slug(title);
    let taken: Vec<(String,)> =
        sql("select slug from badges where (slug = $1 or slug like $1 || '-%') and ($2 is null or id <> $2)")
            .bind(&base)
            .bind(except)
            .fetch_all(tx)
            .await?;
    let taken: Vec<String> = taken.into_iter().map(|(slug,)| slug).collect();
    Ok(first_free_slug(&base, &taken))
}

/// The badge under a row lock, for a change to write back (see `Lock::Badge`).
async fn locked_badge(pool: &Pool, tx: &mut Tx, badge_id: Uuid) -> Result<Option<BadgeRecord>, sqlx::Error> {
    let lock = pool.lock(Lock::Badge);
    let row: Option<BadgeRow> = sql(format!("select {BADGE_COLUMNS} from badges b where b.id = $1 {lock}"))
        .bind(badge_id)
        .fetch_optional(tx)
        .await?;
    Ok(row.map(BadgeRecord::from))
}

async fn badge_in(tx: &mut Tx, badge_id: Uuid) -> Result<BadgeRecord, sqlx::Error> {
    let row: BadgeRow =
        sql(format!("select {BADGE_COLUMNS} from badges b where b.id = $1")).bind(badge_id).fetch_one(tx).await?;
    Ok(row.into())
}

/// Both conditions are always present and switched off by a null value, so the SQL text stays
/// fixed and every value is bound.
fn badge_filter(like: &str) -> String {
    format!("where ($1 is null or b.title {like} $1 escape '\\') and ($2 is null or b.permissions_enabled = $2)")
}

impl Writer<'_> {
    /// Creates a badge last in the display order, with a unique slug from its title.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_badge(&self, new: &NewBadge) -> StoreResult<BadgeRecord> {
        let badge_id = new_id();
        let icon = IconColumns::of(&new.icon);
        let mut tx = self.pool.begin_write().await?;
        // the new position is read from the others: two creates at once must not read the
        // same maximum
        tx.lock_order(Ordered::Badges).await?;
        let slug = free_badge_slug(&mut tx, new.title.as_str(), None).await?;
        sql("insert into badges (id, title, description, background_color, text_color, icon_kind, icon_value,
                 icon_alt, permissions_enabled, slug, position, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (select coalesce(max(position), 0) + 1 from badges), $11, $11)")
        .bind(badge_id)
        .bind(new.title.as_str())
        .bind(new.description.as_str())
        .bind(new.background_color.to_string())
        .bind(new.text_color.to_string())
        .bind(icon.icon_kind)
        .bind(icon.icon_value)
        .bind(icon.icon_alt)
        .bind(new.permissions_enabled)
        .bind(slug)
        .bind(Utc::now())
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        let created = badge_in(&mut tx, badge_id).await?;
        record(&mut tx, self.by, vec![Change::created(EntityType::Badge, badge_id, &created)?]).await?;
        tx.commit().await?;
        Ok(created)
    }
}

impl Store {
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn badge(&self, badge_id: Uuid) -> StoreResult<Option<BadgeRecord>> {
        let row: Option<BadgeRow> = sql(format!("select {BADGE_COLUMNS} from badges b where b.id = $1"))
            .bind(badge_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(BadgeRecord::from))
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn badge_by_slug(&self, slug: &str) -> StoreResult<Option<BadgeRecord>> {
        let row: Option<BadgeRow> = sql(format!("select {BADGE_COLUMNS} from badges b where b.slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(BadgeRecord::from))
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn list_badges(&self, query: &BadgeQuery) -> StoreResult<Vec<BadgeRecord>> {
        let filter = badge_filter(self.pool.like());
        let rows: Vec<BadgeRow> = sql(format!(
            "select {BADGE_COLUMNS} from badges b {filter} order by {} limit $3 offset $4",
            query.sort.order_by()
        ))
        .bind(like_pattern(query.search.as_deref()))
        .bind(query.permissions_enabled)
        .bind(query.limit)
        .bind(query.offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(BadgeRecord::from).collect())
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn count_badges(&self, query: &BadgeQuery) -> StoreResult<i64> {
        let filter = badge_filter(self.pool.like());
        Ok(sql(format!("select count(*) from badges b {filter}"))
            .bind(like_pattern(query.search.as_deref()))
            .bind(query.permissions_enabled)
            .fetch_scalar(&self.pool)
            .await?)
    }
}

impl Writer<'_> {
    /// Applies `changes` if the badge is still at `expected_revision` (any revision when
    /// `None`), all in one transaction; the revision goes up by exactly one and the slug
    /// follows a changed title.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn update_badge(
        &self,
        badge_id: Uuid,
        expected_revision: Option<i64>,
        changes: &BadgeChanges,
    ) -> StoreResult<BadgeUpdate> {
        let mut tx = self.pool.begin_write().await?;
        let Some(current) = locked_badge(self.pool, &mut tx, badge_id).await? else {
            return Ok(BadgeUpdate::NotFound);
        };
        if expected_revision.is_some_and(|r| r != current.revision) {
            return Ok(BadgeUpdate::Stale { current_revision: current.revision });
        }
        let (next, title_changed) = apply_changes(&current, changes);
        let slug = if title_changed { free_badge_slug(&mut tx, &next.title, Some(badge_id)).await? } else { next.slug };
        let icon = IconColumns::of(&next.icon);
        sql("update badges set revision = revision + 1, title = $1, description = $2, background_color = $3,
                 text_color = $4, icon_kind = $5, icon_value = $6, icon_alt = $7, permissions_enabled = $8,
                 slug = $9, updated_at = $10
             where id = $11 and revision = $12")
        .bind(next.title)
        .bind(next.description)
        .bind(next.background_color)
        .bind(next.text_color)
        .bind(icon.icon_kind)
        .bind(icon.icon_value)
        .bind(icon.icon_alt)
        .bind(next.permissions_enabled)
        .bind(slug)
        .bind(Utc::now())
        .bind(badge_id)
        .bind(current.revision)
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        // read back inside the transaction: after the commit a concurrent delete could already
        // have removed it
        let updated = badge_in(&mut tx, badge_id).await?;
        let change = Change::changed(EntityType::Badge, badge_id, EventAction::Updated, &current, &updated)?;
        record(&mut tx, self.by, vec![change]).await?;
        tx.commit().await?;
        Ok(BadgeUpdate::Updated(Box::new(updated)))
    }

    /// Deletes a badge and (by cascade, in the same statement) its assignments. The badge's
    /// event stands for its assignments too: they go without events of their own, so deleting
    /// a badge a million members hold stays one bounded transaction.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_badge(&self, badge_id: Uuid) -> StoreResult<bool> {
        let mut tx = self.pool.begin_write().await?;
        let Some(badge) = locked_badge(self.pool, &mut tx, badge_id).await? else {
            return Ok(false);
        };
        sql("delete from badges where id = $1").bind(badge_id).execute(&mut tx).await?;
        record(&mut tx, self.by, vec![Change::deleted(EntityType::Badge, badge_id, &badge)?]).await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Store {
    /// Applies `reorder` to the current display order in one transaction; an error from it (an
    /// unknown id) changes nothing.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn reorder_badges(&self, reorder: &Reorder) -> StoreResult<Result<(), OrderError>> {
        let mut tx = self.pool.begin_write().await?;
        tx.lock_order(Ordered::Badges).await?;
        let rows: Vec<(Id, i64)> =
            sql("select id, position from badges order by position, id").fetch_all(&mut tx).await?;
        let order: Vec<Uuid> = rows.iter().map(|(id, _)| id.0).collect();
        let new_order = match reorder.apply(&order) {
            Ok(o) => o,
            Err(e) => return Ok(Err(e)),
        };
        // positions become 1..n; a deleted badge leaves a gap, so a row is written whenever its
        // stored position is not its new place (not only when its neighbour changed)
        let stored: std::collections::HashMap<Uuid, i64> = rows.into_iter().map(|(id, p)| (id.0, p)).collect();
        for (index, badge_id) in new_order.iter().enumerate() {
            if stored.get(badge_id) != Some(&(index as i64 + 1)) {
                sql("update badges set position = $1 where id = $2")
                    .bind(index as i64 + 1)
                    .bind(*badge_id)
                    .execute(&mut tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }
}
