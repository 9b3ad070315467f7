//! The badge rules, shared by the server functions and (later) the REST handlers.

use super::BadgeInput;
use crate::domain::badge_order::{OrderError, Reorder};
use crate::domain::{IconRef, IconSource};
use crate::error::{AppError, ErrorCode};
use crate::store::{BadgeChanges, BadgeRecord, BadgeUpdate, NewBadge, Store, StoreError};
use uuid::Uuid;

pub const CONFLICT_MESSAGE: &str =
    "Someone else saved this badge while you were editing it. Your changes are still in the form: reload the page to see theirs, then apply yours again.";

/// The parser knows an icon reference is well formed; only the server knows whether the library
/// icon or the uploaded image it names exists.
async fn check_icon_exists(store: &dyn Store, icon: &Option<IconRef>) -> Result<(), AppError> {
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

pub async fn create(store: &dyn Store, input: &BadgeInput) -> Result<BadgeRecord, AppError> {
    let p = input.parse()?;
    check_icon_exists(store, &p.icon).await?;
    let new = NewBadge {
        title: p.title,
        description: p.description,
        background_color: p.background_color,
        text_color: p.text_color,
        icon: p.icon,
        permissions_enabled: p.permissions_enabled,
    };
    // Two badges created at once with the same title may pick the same free slug; the loser
    // tries again and gets the next suffix.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match store.create_badge(&new).await {
            Err(StoreError::Unique(c)) if c == "badges_slug_key" && attempts < 10 => continue,
            other => return Ok(other?),
        }
    }
}

pub async fn update(store: &dyn Store, id: Uuid, revision: i64, input: &BadgeInput) -> Result<BadgeRecord, AppError> {
    let p = input.parse()?;
    check_icon_exists(store, &p.icon).await?;
    let changes = BadgeChanges {
        title: Some(p.title),
        description: Some(p.description),
        background_color: Some(p.background_color),
        text_color: Some(p.text_color),
        icon: Some(p.icon),
        permissions_enabled: Some(p.permissions_enabled),
    };
    match store.update_badge(id, revision, &changes).await? {
        BadgeUpdate::Updated(b) => Ok(*b),
        BadgeUpdate::Stale { .. } => Err(AppError::conflict(ErrorCode::RevisionConflict, CONFLICT_MESSAGE)),
        BadgeUpdate::NotFound => Err(AppError::BADGE_NOT_FOUND),
    }
}

pub async fn delete(store: &dyn Store, id: Uuid) -> Result<(), AppError> {
    if store.delete_badge(id).await? {
        Ok(())
    } else {
        Err(AppError::BADGE_NOT_FOUND)
    }
}

pub async fn reorder(store: &dyn Store, change: &Reorder) -> Result<(), AppError> {
    match store.reorder_badges(change).await? {
        Ok(()) => Ok(()),
        Err(OrderError::Unknown(_)) => Err(AppError::BADGE_NOT_FOUND),
        Err(OrderError::AfterItself) => Err(AppError::validation("position", "A badge cannot move next to itself")),
    }
}
