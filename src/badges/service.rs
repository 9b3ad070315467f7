//! The badge rules, shared by the server functions and the REST handlers: the only door to
//! badges. Each function authorizes from the `Actor` before it reads or writes anything.

use crate::auth::actor::Actor;
use crate::domain::badge_order::{OrderError, Reorder};
use crate::domain::query::{BadgeField, Query};
use crate::domain::{IconRef, IconSource, Scope};
use crate::error::{AppError, ErrorCode};
use crate::members::visibility::sees_all_holders;
use crate::store::{
    BadgeChanges, BadgeQuery, BadgeRecord, BadgeSort, BadgeUpdate, Holder, HolderCursor, NewBadge, PageStart, Store,
    StoreError,
};
use uuid::Uuid;

pub const CONFLICT_MESSAGE: &str =
    "Someone else saved this badge while you were editing it. Your changes are still in the form: reload the page to see theirs, then apply yours again.";

/// The parser knows an icon reference is well formed; only the server knows whether the library
/// icon or the uploaded image it names exists.
async fn check_icon_exists(store: &Store, icon: &Option<IconRef>) -> Result<(), AppError> {
    match icon.as_ref().map(|i| &i.source) {
        Some(IconSource::Library(name)) if !crate::icons::library::contains(name) => {
            Err(AppError::validation("icon_library", format!("The library has no icon called {name:?}")))
        }
        Some(IconSource::Upload(id)) if !store.upload_exists(*id).await? => {
            Err(AppError::validation("icon_file", "That image is no longer on the server; upload it again"))
        }
        _ => Ok(()),
    }
}

/// Badges in the query's order and page. Badges are public (every badge has a public page),
/// so any member may read them; site keys need `badges.read`.
pub async fn list(store: &Store, actor: &Actor, query: &BadgeQuery) -> Result<Vec<BadgeRecord>, AppError> {
    actor.require(Scope::BadgesRead)?;
    counted_as_seen(store, actor, store.list_badges(query).await?).await
}

/// The badges with the holder counts `actor` may know: a member counts only the holders they
/// may see (public, approved), as a badge's page lists them; else the count would tell them that
/// private, pending or blocked members hold it.
async fn counted_as_seen(
    store: &Store,
    actor: &Actor,
    mut badges: Vec<BadgeRecord>,
) -> Result<Vec<BadgeRecord>, AppError> {
    if !sees_all_holders(actor) {
        let ids: Vec<Uuid> = badges.iter().map(|b| b.id).collect();
        let visible = store.public_holder_counts(&ids).await?;
        for badge in &mut badges {
            badge.member_count = visible.get(&badge.id).copied().unwrap_or(0);
        }
    }
    Ok(badges)
}

/// Every badge, in display order (readable as `list` is); the REST answers that list them all.
pub async fn in_display_order(store: &Store, actor: &Actor) -> Result<Vec<BadgeRecord>, AppError> {
    list(store, actor, &BadgeQuery { sort: BadgeSort::Position, limit: 10_000, ..Default::default() }).await
}

/// How many badges match (readable as `list` is).
pub async fn count(store: &Store, actor: &Actor, query: &BadgeQuery) -> Result<i64, AppError> {
    actor.require(Scope::BadgesRead)?;
    Ok(store.count_badges(query).await?)
}

/// One badge (readable as `list` is).
pub async fn get(store: &Store, actor: &Actor, id: Uuid) -> Result<BadgeRecord, AppError> {
    actor.require(Scope::BadgesRead)?;
    let mut badge = store.badge(id).await?.ok_or(AppError::BADGE_NOT_FOUND)?;
    if !sees_all_holders(actor) {
        badge.member_count = store.count_badge_holders(id, true).await?;
    }
    Ok(badge)
}

/// A badge and one page of its holders as `actor` may see them.
pub struct HoldersPage {
    pub badge: BadgeRecord,
    pub holders: Vec<Holder>,
    /// Admins see every holder; anyone else only public, approved members.
    pub all_holders: bool,
}

/// A badge's public page, most recently assigned first, up to `limit` holders from `start`.
/// The visibility rule of holders lives here: admins see everyone, anyone else only the
/// members they could find in the directory.
pub async fn holders_page(
    store: &Store,
    actor: &Actor,
    slug: &str,
    limit: i64,
    start: &PageStart<HolderCursor>,
) -> Result<HoldersPage, AppError> {
    let badge = store.badge_by_slug(slug).await?.ok_or(AppError::BADGE_NOT_FOUND)?;
    let all_holders = actor.is_admin();
    let holders = store.badge_holders_from(badge.id, !all_holders, limit, start).await?;
    Ok(HoldersPage { badge, holders, all_holders })
}

/// The badges a REST query asks for, and how many match in all.
pub async fn query(
    store: &Store,
    actor: &Actor,
    query: &Query<BadgeField>,
) -> Result<(Vec<BadgeRecord>, i64), AppError> {
    actor.require(Scope::BadgesRead)?;
    Ok(store.query_badges(query).await?)
}

pub async fn create(store: &Store, actor: &Actor, new: &NewBadge) -> Result<BadgeRecord, AppError> {
    actor.require(Scope::BadgesManage)?;
    check_icon_exists(store, &new.icon).await?;
    // Two badges created at once with the same title may pick the same free slug; the loser
    // tries again and gets the next suffix.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match store.acting(&actor.changed_by()).create_badge(new).await {
            Err(StoreError::Unique(c)) if c == "badges_slug_key" && attempts < 10 => continue,
            other => return Ok(other?),
        }
    }
}

/// Applies the fields given (a PATCH may give one) if the badge is still at `revision`; with
/// no revision, to the badge as it is.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    revision: Option<i64>,
    changes: &BadgeChanges,
) -> Result<BadgeRecord, AppError> {
    actor.require(Scope::BadgesManage)?;
    if let Some(icon) = &changes.icon {
        check_icon_exists(store, icon).await?;
    }
    match store.acting(&actor.changed_by()).update_badge(id, revision, changes).await? {
        BadgeUpdate::Updated(b) => Ok(*b),
        BadgeUpdate::Stale { .. } => Err(AppError::conflict(ErrorCode::RevisionConflict, CONFLICT_MESSAGE)),
        BadgeUpdate::NotFound => Err(AppError::BADGE_NOT_FOUND),
    }
}

pub async fn delete(store: &Store, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    actor.require(Scope::BadgesManage)?;
    if store.acting(&actor.changed_by()).delete_badge(id).await? {
        Ok(())
    } else {
        Err(AppError::BADGE_NOT_FOUND)
    }
}

pub async fn reorder(store: &Store, actor: &Actor, change: &Reorder) -> Result<(), AppError> {
    actor.require(Scope::BadgesManage)?;
    match store.reorder_badges(change).await? {
        Ok(()) => Ok(()),
        Err(OrderError::Unknown(_)) => Err(AppError::BADGE_NOT_FOUND),
        Err(OrderError::AfterItself) => Err(AppError::validation("position", "A badge cannot move next to itself")),
    }
}
