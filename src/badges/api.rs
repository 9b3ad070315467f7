//! Server functions for badges: who is calling, the form parsed, one service call.

use super::Badge;
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
    let actor = guard::actor().await?;
    let search = crate::domain::search(search.as_deref()).map_err(|m| AppError::validation("search", m))?;
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
    let rows = super::service::list(&guard::state()?.store, &actor, &query).await?;
    Ok(paged(rows.into_iter().map(Badge::from).collect(), page))
}

/// A badge's page with its holders, 50 a page, most recent first: public holders for everyone,
/// every holder for admins. Paged from a holder's place: `after` / `before` are the tokens of
/// the page's `next` / `previous`; `page` is only the number shown (1 without a token).
#[server]
pub async fn badge_page(
    slug: String,
    after: Option<String>,
    before: Option<String>,
    page: i64,
) -> Result<super::BadgePage, AppError> {
    use crate::auth::guard;
    use crate::members::{Fieldset, MemberView};
    use crate::paging::{keyset, page_number, Toward, PAGE_SIZE};
    use crate::store::{HolderCursor, PageStart};
    let actor = guard::actor().await?;
    let store = guard::state()?.store;
    let place = |token: String| {
        HolderCursor::parse(&token).ok_or_else(|| {
            AppError::validation("page", "This page link is out of date or damaged: start again from the first page")
        })
    };
    let (start, toward, number) = match (after.filter(|t| !t.is_empty()), before.filter(|t| !t.is_empty())) {
        (Some(token), _) => (PageStart::After(place(token)?), Toward::After, page_number(page)?),
        (None, Some(token)) => (PageStart::Before(place(token)?), Toward::Before, page_number(page)?),
        (None, None) => (PageStart::First, Toward::First, 1),
    };
    let mut found = super::service::holders_page(&store, &actor, &slug, PAGE_SIZE + 1, &start).await?;
    let (toward, number) = if toward == Toward::Before && found.holders.len() as i64 <= PAGE_SIZE {
        // reading back reached the start: that is the first page, read as one
        found = super::service::holders_page(&store, &actor, &slug, PAGE_SIZE + 1, &PageStart::First).await?;
        (Toward::First, 1)
    } else {
        (toward, number)
    };
    let unlocks = crate::member_pages::service::opened_by(&store, &found.badge)
        .await?
        .into_iter()
        .map(|p| crate::member_pages::PageLink { id: p.id, title: p.title, slug: p.slug })
        .collect();
    let (badge, is_admin) = (found.badge, found.all_holders);
    let fieldset = if is_admin { Fieldset::Extended } else { Fieldset::Public };
    let holders = keyset(found.holders, toward, number, |(member, at)| HolderCursor::of(member.id, *at).token());
    let items = holders
        .items
        .iter()
        .map(|(member, assigned_at)| super::Holder {
            member: MemberView::of(member, fieldset),
            assigned_at: *assigned_at,
        })
        .collect();
    Ok(super::BadgePage {
        id: badge.id,
        title: badge.title,
        description: badge.description,
        background_color: badge.background_color,
        text_color: badge.text_color,
        icon: badge.icon,
        holders: crate::paging::KeysetPage { items, number, previous: holders.previous, next: holders.next },
        all_holders: is_admin,
        unlocks,
    })
}

#[server]
pub async fn get_badge(id: Uuid) -> Result<Badge, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    Ok(super::service::get(&guard::state()?.store, &actor, id).await?.into())
}

/// Creates (no `id`) or updates (with `id` and the `revision` it was read at) a badge, then
/// goes back to the list. The editor's fields arrive flat, as the form posts them.
#[server]
pub async fn save_badge(
    id: Option<Uuid>,
    revision: Option<i64>,
    #[server(flatten)] input: BadgeInput,
) -> Result<Badge, AppError> {
    use super::service;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let store = guard::state()?.store;
    let parsed = input.parse()?;
    let saved = match (id, revision) {
        (None, _) => service::create(&store, &actor, &parsed.into_new()).await,
        (Some(id), Some(revision)) => service::update(&store, &actor, id, Some(revision), &parsed.into_changes()).await,
        (Some(_), None) => {
            Err(AppError::validation("revision", "The form is missing the badge's revision; reload the page"))
        }
    }?;
    tracing::info!(account = ?actor.account_id(), badge = %saved.id, revision = saved.revision, "badge saved");
    leptos_axum::redirect("/dashboard/badges");
    Ok(saved.into())
}

#[server]
pub async fn delete_badge(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::delete(&guard::state()?.store, &actor, id).await?;
    tracing::info!(account = ?actor.account_id(), badge = %id, "badge deleted");
    Ok(())
}

/// Moves a badge in the display order: `to` is `first`, `last`, `up`, `down`, `after:ID` or
/// `before:ID` (the list's buttons and drag and drop).
#[server]
pub async fn move_badge(id: Uuid, to: String) -> Result<(), AppError> {
    use crate::auth::guard;
    use crate::domain::badge_order::{MoveTo, Reorder};
    let actor = guard::actor().await?;
    let to = MoveTo::parse(&to).map_err(|m| AppError::validation("to", m))?;
    super::service::reorder(&guard::state()?.store, &actor, &Reorder::Move(id, to)).await
}
