//! Server functions for members and the community. Each one decides on the server what its
//! caller may see (`service::fieldset_for`) or do (the actor's proofs).

use super::{DashboardStats, MemberProfile, MemberRow, MemberView};
use crate::error::AppError;
use crate::paging::{KeysetPage, Page};
use leptos::prelude::*;
use uuid::Uuid;

#[server]
pub async fn get_dashboard_stats() -> Result<DashboardStats, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let c = super::service::counts(&guard::state()?.store, &actor).await?;
    Ok(DashboardStats { members: c.total, pending: c.pending, public: c.public })
}

/// The admin member list: `search` (email, nickname, names), `status` and `privacy` filters,
/// `holds` / `lacks` (a badge id: members holding it, or not),
/// `sort` (`newest` — the default —, `nickname`, `name`, `last_login`), 50 a page, each row
/// with its badges. Paged from a place: `after` / `before` are the tokens of the page's
/// `next` / `previous`; `page` is only the number shown (1 without a token).
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn list_members(
    search: Option<String>,
    status: Option<String>,
    privacy: Option<String>,
    holds: Option<String>,
    lacks: Option<String>,
    sort: Option<String>,
    after: Option<String>,
    before: Option<String>,
    page: i64,
) -> Result<KeysetPage<MemberRow>, AppError> {
    use super::{service, Fieldset};
    use crate::auth::guard;
    use crate::paging::{keyset, page_number, Toward, PAGE_SIZE};
    use crate::store::{MemberPage, MemberSort, PageStart};
    let actor = guard::actor().await?;
    let sort = match sort.as_deref().filter(|s| !s.trim().is_empty()) {
        None | Some("newest") | Some("any") => MemberSort::NewestFirst,
        Some("nickname") => MemberSort::Nickname,
        Some("name") => MemberSort::Name,
        Some("last_login") => MemberSort::LastLogin,
        Some(_) => return Err(AppError::validation("sort", "Sort by newest, nickname, name or last login")),
    };
    let filters = service::member_filters(search, status, privacy, holds, lacks)?;
    let place = |token: String| {
        sort.parse_cursor(&token).ok_or_else(|| {
            AppError::validation("page", "This page link is out of date or damaged: start again from the first page")
        })
    };
    let (start, toward, number) = match (after.filter(|t| !t.is_empty()), before.filter(|t| !t.is_empty())) {
        (Some(token), _) => (PageStart::After(place(token)?), Toward::After, page_number(page)?),
        (None, Some(token)) => (PageStart::Before(place(token)?), Toward::Before, page_number(page)?),
        (None, None) => (PageStart::First, Toward::First, 1),
    };
    let store = &guard::state()?.store;
    let mut read = MemberPage { sort, limit: PAGE_SIZE + 1, start };
    let mut rows = service::list(store, &actor, &filters, &read).await?;
    let (toward, number) = if toward == Toward::Before && rows.len() as i64 <= PAGE_SIZE {
        // reading back reached the start: that is the first page, read as one (it may have
        // grown since the person left it)
        read.start = PageStart::First;
        rows = service::list(store, &actor, &filters, &read).await?;
        (Toward::First, 1)
    } else {
        (toward, number)
    };
    let page = keyset(rows, toward, number, |r| sort.cursor(&r.member).token());
    let items = page
        .items
        .into_iter()
        .map(|r| MemberRow { member: MemberView::of(&r.member, Fieldset::Full), badges: r.badges })
        .collect();
    Ok(KeysetPage { items, number: page.number, previous: page.previous, next: page.next })
}

/// The community directory: public, approved members only, to anyone; `search` matches the
/// nickname or the profile address.
#[server]
pub async fn community(search: Option<String>, page: i64) -> Result<Page<MemberView>, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    use crate::paging::{paged, public_offset, PAGE_SIZE};
    let search = crate::domain::search(search.as_deref()).map_err(|m| AppError::validation("search", m))?;
    let rows =
        super::service::directory(&guard::state()?.store, search.as_deref(), PAGE_SIZE + 1, public_offset(page)?)
            .await?;
    Ok(paged(rows.iter().map(|m| MemberView::of(m, Fieldset::Public)).collect(), page))
}

/// A member's profile page. Answers 404, exactly as for a slug nobody has, when the caller may
/// not see the member (private, pending or blocked, and the caller is neither an admin nor
/// the member).
#[server]
pub async fn get_profile(slug: String) -> Result<MemberProfile, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let (found, fieldset) = super::service::profile(&guard::state()?.store, &actor, &slug).await?;
    Ok(MemberProfile { member: MemberView::of(&found.member, fieldset), badges: found.badges })
}

/// The logged-in member, in full, for their own profile page.
#[server]
pub async fn my_profile() -> Result<MemberProfile, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let found = super::service::own_profile(&guard::state()?.store, &actor).await?;
    Ok(MemberProfile { member: MemberView::of(&found.member, Fieldset::Full), badges: found.badges })
}

/// The logged-in member changes their nickname, title or profile address.
#[server]
pub async fn update_my_profile(nickname: String, title: String, slug: String) -> Result<MemberView, AppError> {
    use super::{Fieldset, ProfileInput};
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let input = ProfileInput { nickname, title, slug };
    let saved = super::service::update_own_profile(&guard::state()?.store, &actor, &input).await?;
    tracing::info!(member = %saved.id, "profile updated by the member");
    Ok(MemberView::of(&saved, Fieldset::Full))
}

/// The logged-in member sets their profile photo: PNG, JPEG, WebP or GIF, at most 1 MB, kept
/// without its metadata. The photo it replaces is deleted.
#[server(input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_photo(data: leptos::server_fn::codec::MultipartData) -> Result<MemberView, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    // refused before the body is read: only an approved member may send one
    actor.require_approved_member()?;
    let bytes = crate::uploads::api::read_file(data, "photo").await?;
    let saved = super::service::set_own_photo(&guard::state()?.store, &actor, Some(bytes)).await?;
    Ok(MemberView::of(&saved, Fieldset::Full))
}

/// The logged-in member removes their profile photo; the image is deleted.
#[server]
pub async fn remove_photo() -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::set_own_photo(&guard::state()?.store, &actor, None).await?;
    Ok(())
}

/// The logged-in member joins the community (public) or leaves it (private).
#[server]
pub async fn set_community_membership(join: bool) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::set_community_membership(&guard::state()?.store, &actor, join).await
}

/// One member in full, with badges: admins only.
#[server]
pub async fn get_member(id: Uuid) -> Result<MemberRow, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let found = super::service::get(&guard::state()?.store, &actor, id).await?;
    Ok(MemberRow { member: MemberView::of(&found.member, Fieldset::Full), badges: found.badges })
}

/// An admin saves a member's profile and contact details (the form's fields arrive flat).
#[server]
pub async fn save_member(
    id: Uuid,
    #[server(flatten)] profile: super::ProfileInput,
    #[server(flatten)] contact: super::ContactInput,
) -> Result<MemberView, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let saved = super::service::update_member(&guard::state()?.store, &actor, id, &profile, &contact).await?;
    tracing::info!(account = ?actor.account_id(), member = %id, "member updated");
    leptos_axum::redirect("/dashboard/members");
    Ok(MemberView::of(&saved, Fieldset::Full))
}

/// An admin creates a member (approved) with a first password to hand over.
#[server]
pub async fn create_member(email: String, nickname: String, password: String) -> Result<MemberView, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let member = super::service::create_by_admin(&guard::state()?.store, &actor, &email, &nickname, &password).await?;
    tracing::info!(account = ?actor.account_id(), member = %member.id, "member created by an admin");
    leptos_axum::redirect("/dashboard/members");
    Ok(MemberView::of(&member, Fieldset::Full))
}

/// Approve (or unblock), block, mute or unmute a member: admins only.
#[server]
pub async fn member_action(id: Uuid, action: String) -> Result<(), AppError> {
    use super::MemberAction;
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let action = MemberAction::parse(&action).map_err(|m| AppError::validation("action", m))?;
    super::service::apply(&guard::state()?.store, &actor, id, action).await?;
    tracing::info!(account = ?actor.account_id(), member = %id, action = action.as_str(), "member action");
    Ok(())
}

/// Deletes a member with their account and badge assignments: admins only.
#[server]
pub async fn delete_member(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::delete(&guard::state()?.store, &actor, id).await?;
    tracing::info!(account = ?actor.account_id(), member = %id, "member deleted");
    Ok(())
}
