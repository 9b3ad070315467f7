//! The members-only pages' rules, the only door to them: reading one (through `access::decide`),
//! listing the ones a reader may open, and the owners' editing. Each function authorizes from
//! the `Actor` before it reads or writes anything.
//!
//! The seam for events and the audit log: every change to a page goes through `create`,
//! `update`, `delete` or `reorder` here, each one store call that writes in one transaction;
//! the outbox row of a page event belongs in that transaction, with the actor passed down.

use super::access::{decide, Decision, Reader};
use super::{markdown, Grantor, KeyBadge, PageOpening};
use crate::auth::actor::Actor;
use crate::domain::badge_order::{OrderError, Reorder};
use crate::domain::page::{PageContent, PageSlug, PageTitle};
use crate::error::{AppError, ErrorCode};
use crate::members::visibility::fieldset_for;
use crate::members::Fieldset;
use crate::store::{BadgeRecord, PageFields, PageRecord, PageUpdate, Store, StoreError};
use std::collections::HashMap;
use uuid::Uuid;

pub const CONFLICT_MESSAGE: &str =
    "Someone else saved this page while you were editing it. Your changes are still in the form: reload the page to see theirs, then apply yours again.";

/// The most badges one page may name: far more than a site needs, and it bounds the form.
pub const MAX_BADGES: usize = 100;

/// A page's editor fields as typed; `fields` parses them.
pub struct PageInput<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub content: &'a str,
    pub badge_ids: &'a [Uuid],
}

impl PageInput<'_> {
    /// Every field parsed, the first problem reported against its field in the form's order.
    fn fields(&self) -> Result<PageFields, AppError> {
        let at = |field: &'static str| move |m: crate::error::Invalid| AppError::validation(field, m);
        let title = PageTitle::parse(self.title).map_err(at("title"))?;
        let slug = PageSlug::parse_or_derive(self.slug, &title).map_err(at("slug"))?;
        let content = PageContent::parse(self.content).map_err(at("content"))?;
        if self.badge_ids.len() > MAX_BADGES {
            return Err(AppError::validation("badges", format!("A page can name at most {MAX_BADGES} badges")));
        }
        let mut badge_ids = self.badge_ids.to_vec();
        badge_ids.sort_unstable();
        badge_ids.dedup();
        Ok(PageFields { title, slug, content, badge_ids })
    }
}

/// The badges of `ids` that exist, by id.
async fn badges_by_id(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, BadgeRecord>, AppError> {
    let mut found = HashMap::with_capacity(ids.len());
    for id in ids {
        if let Some(badge) = store.badge(*id).await? {
            found.insert(*id, badge);
        }
    }
    Ok(found)
}

/// `/pages/{slug}` for `actor`: the content (as sanitized HTML) when the rule lets them read it,
/// else the refusal with the badges that would open it. A visitor gets `Unauthorized` (they
/// are sent to log in); an unknown address is `PAGE_NOT_FOUND` for everyone.
pub async fn open(store: &Store, actor: &Actor, slug: &str) -> Result<PageOpening, AppError> {
    let page = store.page_by_slug(slug).await?.ok_or(AppError::PAGE_NOT_FOUND)?;
    let reader = Reader::of(store, actor).await?;
    let badges = badges_by_id(store, &page.badge_ids).await?;
    let granting: Vec<&BadgeRecord> =
        page.badge_ids.iter().filter_map(|id| badges.get(id)).filter(|b| b.permissions_enabled).collect();
    let decision = decide(&reader, &page, !granting.is_empty());
    let mut key_badges = Vec::with_capacity(granting.len());
    for badge in granting {
        key_badges.push(key_badge(store, actor, badge).await?);
    }
    match decision {
        Decision::Read | Decision::ReadAsStaff => Ok(PageOpening::Read {
            html: markdown::render(&page.content),
            title: page.title,
            as_staff: decision == Decision::ReadAsStaff,
            badges: key_badges,
        }),
        Decision::LogIn => Err(AppError::Unauthorized),
        Decision::Refused(reason) => {
            tracing::info!(account = ?actor.account_id(), page = %page.id, ?reason, "page refused");
            Ok(PageOpening::Refused { title: page.title, reason, badges: key_badges })
        }
    }
}

/// A badge as a refusal names it, with the members who may grant it that `actor` may see.
async fn key_badge(store: &Store, actor: &Actor, badge: &BadgeRecord) -> Result<KeyBadge, AppError> {
    let grantors = store
        .badge_assigners(badge.id)
        .await?
        .into_iter()
        .filter(|m| fieldset_for(actor, m, Fieldset::Public).is_some())
        .map(|m| Grantor { name: m.nickname.clone().unwrap_or_else(|| m.slug.clone()), slug: m.slug })
        .collect();
    Ok(KeyBadge {
        title: badge.title.clone(),
        slug: badge.slug.clone(),
        background_color: badge.background_color.clone(),
        text_color: badge.text_color.clone(),
        icon: badge.icon.clone(),
        grantors,
    })
}

/// Exactly the pages `actor` may open, in display order ("Your pages"): the same rule as
/// `open`, page by page. Nobody logged in has none.
pub async fn readable(store: &Store, actor: &Actor) -> Result<Vec<PageRecord>, AppError> {
    let reader = Reader::of(store, actor).await?;
    if matches!(reader, Reader::Visitor | Reader::Key) {
        return Ok(Vec::new());
    }
    let pages = store.list_pages().await?;
    let mut readable = Vec::new();
    for page in pages {
        // whether a badge grants matters only to why a page is refused, never to whether
        if decide(&reader, &page, true).may_read() {
            readable.push(page);
        }
    }
    Ok(readable)
}

/// The pages a badge opens, for its public page: none while its permissions are off. Titles
/// and addresses only; opening one is still up to `open`.
pub async fn opened_by(store: &Store, badge: &BadgeRecord) -> Result<Vec<PageRecord>, AppError> {
    if !badge.permissions_enabled {
        return Ok(Vec::new());
    }
    Ok(store.pages_opened_by(badge.id).await?)
}

/// The pages a badge was chosen for, whether or not its permissions are on (the badge editor,
/// for admins).
pub async fn chosen_for(store: &Store, actor: &Actor, badge_id: Uuid) -> Result<Vec<PageRecord>, AppError> {
    actor.require_admin()?;
    Ok(store.pages_opened_by(badge_id).await?)
}

/// Every page, in display order (admins).
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<PageRecord>, AppError> {
    actor.require_admin()?;
    Ok(store.list_pages().await?)
}

/// One page with its Markdown (admins).
pub async fn get(store: &Store, actor: &Actor, id: Uuid) -> Result<PageRecord, AppError> {
    actor.require_admin()?;
    store.page(id).await?.ok_or(AppError::PAGE_NOT_FOUND)
}

/// The Markdown as the page will show it (admins: the editor's live preview).
pub fn preview(actor: &Actor, content: &str) -> Result<String, AppError> {
    actor.require_admin()?;
    let content = PageContent::parse(content).map_err(|m| AppError::validation("content", m))?;
    Ok(markdown::render(content.as_str()))
}

/// Only badges that grant page permissions can be chosen to open a page; a badge chosen before
/// its permissions were switched off may stay chosen (the editor says it opens nothing now).
async fn check_badges(store: &Store, fields: &PageFields, chosen_before: &[Uuid]) -> Result<(), AppError> {
    let found = badges_by_id(store, &fields.badge_ids).await?;
    for id in &fields.badge_ids {
        match found.get(id) {
            None => {
                return Err(AppError::validation(
                    "badges",
                    "One of the chosen badges no longer exists; reload the page",
                ))
            }
            Some(b) if !b.permissions_enabled && !chosen_before.contains(id) => {
                return Err(AppError::validation(
                    "badges",
                    format!("“{}” does not grant page permissions: turn them on in its editor first", b.title),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn slug_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Unique(c) if c == "pages_slug_key" => {
            AppError::validation("slug", "Another page has this address; choose another")
        }
        other => other.into(),
    }
}

pub async fn create(store: &Store, actor: &Actor, input: &PageInput<'_>) -> Result<PageRecord, AppError> {
    actor.require_admin()?;
    let fields = input.fields()?;
    check_badges(store, &fields, &[]).await?;
    store.create_page(&fields).await.map_err(slug_taken)
}

/// Replaces the page's fields if it is still at `revision`.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    revision: i64,
    input: &PageInput<'_>,
) -> Result<PageRecord, AppError> {
    actor.require_admin()?;
    let fields = input.fields()?;
    let current = store.page(id).await?.ok_or(AppError::PAGE_NOT_FOUND)?;
    check_badges(store, &fields, &current.badge_ids).await?;
    match store.update_page(id, revision, &fields).await.map_err(slug_taken)? {
        PageUpdate::Updated(page) => Ok(*page),
        PageUpdate::Stale => Err(AppError::conflict(ErrorCode::RevisionConflict, CONFLICT_MESSAGE)),
        PageUpdate::NotFound => Err(AppError::PAGE_NOT_FOUND),
    }
}

pub async fn delete(store: &Store, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    actor.require_admin()?;
    if store.delete_page(id).await? {
        Ok(())
    } else {
        Err(AppError::PAGE_NOT_FOUND)
    }
}

pub async fn reorder(store: &Store, actor: &Actor, change: &Reorder) -> Result<(), AppError> {
    actor.require_admin()?;
    match store.reorder_pages(change).await? {
        Ok(()) => Ok(()),
        Err(OrderError::Unknown(_)) => Err(AppError::PAGE_NOT_FOUND),
        Err(OrderError::AfterItself) => Err(AppError::validation("position", "A page cannot move next to itself")),
    }
}
