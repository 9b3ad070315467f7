//! Server functions for badges: admins only.

use super::Badge;
#[cfg(feature = "ssr")]
use super::BadgeInput;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;
use uuid::Uuid;

/// Badges, optionally only those whose title contains `search` or with the permissions flag
/// `permissions` (`on`/`off`), sorted by `sort` (`order` — the display order, the default —,
/// `title` or `newest`).
#[server]
pub async fn list_badges(
    search: Option<String>,
    permissions: Option<String>,
    sort: Option<String>,
    page: i64,
) -> Result<Page<Badge>, AppError> {
    use crate::auth::guard;
    use crate::paging::{offset, paged, PAGE_SIZE};
    use crate::store::{BadgeQuery, BadgeSort};
    guard::actor().await?.require_admin()?;
    let search = search.filter(|s| s.chars().count() <= 100);
    let permissions_enabled = match permissions.as_deref() {
        None | Some("") | Some("any") => None,
        Some("on") => Some(true),
        Some("off") => Some(false),
        Some(_) => return Err(AppError::validation("permissions", "Choose on, off or any")),
    };
    let sort = match sort.as_deref() {
        None | Some("") | Some("order") => BadgeSort::Position,
        Some("title") => BadgeSort::Title,
        Some("newest") => BadgeSort::NewestFirst,
        Some(_) => return Err(AppError::validation("sort", "Sort by order, title or newest")),
    };
    let query = BadgeQuery { search, permissions_enabled, sort, limit: PAGE_SIZE + 1, offset: offset(page)? };
    let rows = guard::state()?.store.list_badges(&query).await?;
    Ok(paged(rows.into_iter().map(Badge::from).collect(), page))
}

/// A badge's page with its holders, 50 a page, most recent first: public holders for everyone,
/// every holder for admins.
#[server]
pub async fn badge_page(slug: String, page: i64) -> Result<super::BadgePage, AppError> {
    use crate::auth::guard;
    use crate::members::{Fieldset, MemberView};
    use crate::paging::{offset, paged, PAGE_SIZE};
    let store = guard::state()?.store;
    let badge = store.badge_by_slug(&slug).await?.ok_or(AppError::BADGE_NOT_FOUND)?;
    let is_admin = guard::actor().await?.is_admin();
    let fieldset = if is_admin { Fieldset::Extended } else { Fieldset::Public };
    let rows = store.badge_holders(badge.id, !is_admin, PAGE_SIZE + 1, offset(page)?).await?;
    let holders = rows
        .iter()
        .map(|(member, assigned_at)| super::Holder {
            member: MemberView::of(member, fieldset),
            assigned_at: *assigned_at,
        })
        .collect();
    Ok(super::BadgePage {
        title: badge.title,
        description: badge.description,
        background_color: badge.background_color,
        text_color: badge.text_color,
        icon: badge.icon,
        holders: paged(holders, page),
        all_holders: is_admin,
    })
}

#[server]
pub async fn get_badge(id: Uuid) -> Result<Badge, AppError> {
    use crate::auth::guard;
    guard::actor().await?.require_admin()?;
    match guard::state()?.store.badge(id).await? {
        Some(b) => Ok(b.into()),
        None => Err(AppError::BADGE_NOT_FOUND),
    }
}

/// Creates (no `id`) or updates (with `id` and the `revision` it was read at) a badge, then
/// goes back to the list. A checkbox sends its field only when ticked, hence the `Option`.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_badge(
    id: Option<Uuid>,
    revision: Option<i64>,
    title: String,
    description: String,
    background_color: String,
    text_color: String,
    permissions_enabled: Option<String>,
    #[server(default)] icon_kind: String,
    #[server(default)] icon_library: String,
    #[server(default)] icon_upload: String,
    #[server(default)] icon_url: String,
    #[server(default)] icon_alt: String,
) -> Result<Badge, AppError> {
    use super::service;
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let store = guard::state()?.store;
    let input = BadgeInput {
        title,
        description,
        background_color,
        text_color,
        permissions_enabled: permissions_enabled.is_some(),
        icon_kind,
        icon_library,
        icon_upload,
        icon_url,
        icon_alt,
    };
    let saved = match (id, revision) {
        (None, _) => service::create(&*store, &input).await,
        (Some(id), Some(revision)) => service::update(&*store, id, revision, &input).await,
        (Some(_), None) => {
            Err(AppError::validation("revision", "The form is missing the badge's revision; reload the page"))
        }
    }?;
    tracing::info!(account = %account.id, badge = %saved.id, revision = saved.revision, "badge saved");
    leptos_axum::redirect("/dashboard/badges");
    Ok(saved.into())
}

#[server]
pub async fn delete_badge(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    super::service::delete(&*guard::state()?.store, id).await?;
    tracing::info!(account = %account.id, badge = %id, "badge deleted");
    Ok(())
}

/// Moves a badge in the display order: `to` is `first`, `last`, `up`, `down`, `after:ID` or
/// `before:ID` (the list's buttons and drag and drop).
#[server]
pub async fn move_badge(id: Uuid, to: String) -> Result<(), AppError> {
    use crate::auth::guard;
    use crate::domain::badge_order::{MoveTo, Reorder};
    guard::actor().await?.require_admin()?;
    let to = MoveTo::parse(&to).map_err(|m| AppError::validation("to", m))?;
    super::service::reorder(&*guard::state()?.store, &Reorder::Move(id, to)).await
}
