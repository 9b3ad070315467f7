//! Members-only pages: their records, the badges that open them, and their display order.
//!
//! A page's row and its badge links are always written in one transaction. When events land
//! (the outbox), a page's change records its event in that same transaction.

use super::codec::Id;
use super::dialect::{unique_violation, Lock, Ordered};
use super::sql::{placeholders, sql, On, Tx, Value};
use super::{Store, StoreResult};
use crate::domain::badge_order::{OrderError, Reorder};
use crate::domain::new_id;
use crate::domain::page::{PageContent, PageSlug, PageTitle};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// A page as stored, with the ids of the badges chosen to open it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRecord {
    pub id: Uuid,
    pub revision: i64,
    pub title: String,
    pub slug: String,
    /// The Markdown as written.
    pub content: String,
    /// Every approved member reads it (no badges were chosen when it was saved).
    pub open_to_members: bool,
    pub position: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In the badges' display order.
    pub badge_ids: Vec<Uuid>,
}

/// A page's fields as the editor saves them, for a new page and an update alike.
#[derive(Debug, Clone)]
pub struct PageFields {
    pub title: PageTitle,
    pub slug: PageSlug,
    pub content: PageContent,
    pub badge_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageUpdate {
    Updated(Box<PageRecord>),
    /// Someone saved first: nothing was changed.
    Stale,
    NotFound,
}

const PAGE_COLUMNS: &str =
    "p.id, p.revision, p.title, p.slug, p.content, p.open_to_members, p.position, p.created_at, p.updated_at";

#[derive(sqlx::FromRow)]
struct PageRow {
    id: Id,
    revision: i64,
    title: String,
    slug: String,
    content: String,
    open_to_members: bool,
    position: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl PageRow {
    fn into_record(self, badge_ids: Vec<Uuid>) -> PageRecord {
        PageRecord {
            id: self.id.0,
            revision: self.revision,
            title: self.title,
            slug: self.slug,
            content: self.content,
            open_to_members: self.open_to_members,
            position: self.position,
            created_at: self.created_at,
            updated_at: self.updated_at,
            badge_ids,
        }
    }
}

/// The badge links of these pages, each page's in the badges' display order.
async fn badge_links<'e>(on: impl Into<On<'e>>, page_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>, sqlx::Error> {
    let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if page_ids.is_empty() {
        return Ok(links);
    }
    let rows: Vec<(Id, Id)> = sql(format!(
        "select pb.page_id, pb.badge_id from page_badges pb join badges b on b.id = pb.badge_id
         where pb.page_id in ({}) order by b.position, b.id",
        placeholders(1, page_ids.len())
    ))
    .bind_all(page_ids.iter().copied())
    .fetch_all(on)
    .await?;
    for (page, badge) in rows {
        links.entry(page.0).or_default().push(badge.0);
    }
    Ok(links)
}

fn with_links(rows: Vec<PageRow>, mut links: HashMap<Uuid, Vec<Uuid>>) -> Vec<PageRecord> {
    rows.into_iter()
        .map(|row| {
            let badges = links.remove(&row.id.0).unwrap_or_default();
            row.into_record(badges)
        })
        .collect()
}

async fn page_in(tx: &mut Tx, page_id: Uuid) -> Result<PageRecord, sqlx::Error> {
    let row: PageRow =
        sql(format!("select {PAGE_COLUMNS} from pages p where p.id = $1")).bind(page_id).fetch_one(&mut *tx).await?;
    let mut links = badge_links(&mut *tx, &[page_id]).await?;
    Ok(row.into_record(links.remove(&page_id).unwrap_or_default()))
}

async fn replace_links(tx: &mut Tx, page_id: Uuid, badge_ids: &[Uuid]) -> Result<(), sqlx::Error> {
    sql("delete from page_badges where page_id = $1").bind(page_id).execute(&mut *tx).await?;
    for badge_id in badge_ids {
        sql("insert into page_badges (page_id, badge_id) values ($1, $2) on conflict do nothing")
            .bind(page_id)
            .bind(*badge_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Creates a page last in the display order. A slug another page has is refused with
    /// `pages_slug_key`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_page(&self, fields: &PageFields) -> StoreResult<PageRecord> {
        let page_id = new_id();
        let mut tx = self.pool.begin_write().await?;
        tx.lock_order(Ordered::Pages).await?;
        sql("insert into pages (id, title, slug, content, open_to_members, position, created_at, updated_at)
             values ($1, $2, $3, $4, $5, (select coalesce(max(position), 0) + 1 from pages), $6, $6)")
        .bind(page_id)
        .bind(fields.title.as_str())
        .bind(fields.slug.as_str())
        .bind(fields.content.as_str())
        .bind(fields.badge_ids.is_empty())
        .bind(Utc::now())
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        replace_links(&mut tx, page_id, &fields.badge_ids).await?;
        let created = page_in(&mut tx, page_id).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Replaces a page's fields and badges if it is still at `expected_revision`, all in one
    /// transaction; the revision goes up by exactly one.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn update_page(
        &self,
        page_id: Uuid,
        expected_revision: i64,
        fields: &PageFields,
    ) -> StoreResult<PageUpdate> {
        let mut tx = self.pool.begin_write().await?;
        let lock = self.pool.lock(Lock::Page);
        let current: Option<(i64,)> = sql(format!("select p.revision from pages p where p.id = $1 {lock}"))
            .bind(page_id)
            .fetch_optional(&mut tx)
            .await?;
        match current {
            None => return Ok(PageUpdate::NotFound),
            Some((revision,)) if revision != expected_revision => return Ok(PageUpdate::Stale),
            Some(_) => {}
        }
        sql("update pages set revision = revision + 1, title = $1, slug = $2, content = $3, open_to_members = $4,
                 updated_at = $5
             where id = $6")
        .bind(fields.title.as_str())
        .bind(fields.slug.as_str())
        .bind(fields.content.as_str())
        .bind(fields.badge_ids.is_empty())
        .bind(Utc::now())
        .bind(page_id)
        .execute(&mut tx)
        .await
        .map_err(unique_violation)?;
        replace_links(&mut tx, page_id, &fields.badge_ids).await?;
        let updated = page_in(&mut tx, page_id).await?;
        tx.commit().await?;
        Ok(PageUpdate::Updated(Box::new(updated)))
    }

    /// Deletes a page and (by cascade) its badge links.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn delete_page(&self, page_id: Uuid) -> StoreResult<bool> {
        Ok(sql("delete from pages where id = $1").bind(page_id).execute(&self.pool).await? > 0)
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn page(&self, page_id: Uuid) -> StoreResult<Option<PageRecord>> {
        self.page_where("p.id = $1", page_id).await
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn page_by_slug(&self, slug: &str) -> StoreResult<Option<PageRecord>> {
        self.page_where("p.slug = $1", slug).await
    }

    async fn page_where(&self, condition: &str, value: impl Into<Value>) -> StoreResult<Option<PageRecord>> {
        let row: Option<PageRow> = sql(format!("select {PAGE_COLUMNS} from pages p where {condition}"))
            .bind(value)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut links = badge_links(&self.pool, &[row.id.0]).await?;
        let badges = links.remove(&row.id.0).unwrap_or_default();
        Ok(Some(row.into_record(badges)))
    }

    /// Every page in display order. Sites have tens of pages, not thousands: the dashboard and
    /// the access rule read them whole.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn list_pages(&self) -> StoreResult<Vec<PageRecord>> {
        let rows: Vec<PageRow> =
            sql(format!("select {PAGE_COLUMNS} from pages p order by p.position, p.id")).fetch_all(&self.pool).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id.0).collect();
        let links = badge_links(&self.pool, &ids).await?;
        Ok(with_links(rows, links))
    }

    /// The pages this badge was chosen to open, in display order.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn pages_opened_by(&self, badge_id: Uuid) -> StoreResult<Vec<PageRecord>> {
        let rows: Vec<PageRow> = sql(format!(
            "select {PAGE_COLUMNS} from pages p join page_badges pb on pb.page_id = p.id
             where pb.badge_id = $1 order by p.position, p.id"
        ))
        .bind(badge_id)
        .fetch_all(&self.pool)
        .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id.0).collect();
        let links = badge_links(&self.pool, &ids).await?;
        Ok(with_links(rows, links))
    }

    /// The badges the member holds whose permissions are on: what opens pages for them, read
    /// anew on every request so an unassigned badge or a switched-off flag counts at once.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn permitted_badges_of(&self, member_id: Uuid) -> StoreResult<Vec<Uuid>> {
        let rows: Vec<(Id,)> = sql("select a.badge_id from badge_assignments a join badges b on b.id = a.badge_id
             where a.member_id = $1 and b.permissions_enabled")
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id.0).collect())
    }

    /// Applies `reorder` to the pages' display order in one transaction.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn reorder_pages(&self, reorder: &Reorder) -> StoreResult<Result<(), OrderError>> {
        let mut tx = self.pool.begin_write().await?;
        tx.lock_order(Ordered::Pages).await?;
        let rows: Vec<(Id, i64)> =
            sql("select id, position from pages order by position, id").fetch_all(&mut tx).await?;
        let order: Vec<Uuid> = rows.iter().map(|(id, _)| id.0).collect();
        let new_order = match reorder.apply(&order) {
            Ok(o) => o,
            Err(e) => return Ok(Err(e)),
        };
        let stored: HashMap<Uuid, i64> = rows.into_iter().map(|(id, p)| (id.0, p)).collect();
        for (index, page_id) in new_order.iter().enumerate() {
            if stored.get(page_id) != Some(&(index as i64 + 1)) {
                sql("update pages set position = $1 where id = $2")
                    .bind(index as i64 + 1)
                    .bind(*page_id)
                    .execute(&mut tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }
}
