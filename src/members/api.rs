//! Server functions for members and the community. Each one decides on the server what its
//! caller may see (`service::fieldset_for`) or do (the actor's proofs).

use super::{DashboardStats, MemberProfile, MemberRow, MemberView};
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;
use uuid::Uuid;

#[server]
pub async fn get_dashboard_stats() -> Result<DashboardStats, AppError> {
    use crate::auth::guard;
    guard::actor().await?.require_admin()?;
    let c = guard::state()?.store.member_counts().await?;
    Ok(DashboardStats { members: c.total, pending: c.pending, public: c.public })
}

/// The admin member list: `search` (email, nickname, names), `status` and `privacy` filters,
/// `holds` / `lacks` (a badge id: members holding it, or not),
/// `sort` (`newest` — the default —, `nickname`, `name`, `last_login`), 50 a page, each row
/// with its badges.
#[server]
pub async fn list_members(
    search: Option<String>,
    status: Option<String>,
    privacy: Option<String>,
    holds: Option<String>,
    lacks: Option<String>,
    sort: Option<String>,
    page: i64,
) -> Result<Page<MemberRow>, AppError> {
    use super::{service, Fieldset};
    use crate::auth::guard;
    use crate::paging::{offset, paged, PAGE_SIZE};
    use crate::store::{MemberQuery, MemberSort};
    guard::actor().await?.require_admin()?;
    let bad = |field: &str, m: &str| AppError::validation(field, m);
    let sort = match sort.as_deref().filter(|s| !s.trim().is_empty()) {
        None | Some("newest") | Some("any") => MemberSort::NewestFirst,
        Some("nickname") => MemberSort::Nickname,
        Some("name") => MemberSort::Name,
        Some("last_login") => MemberSort::LastLogin,
        Some(_) => return Err(bad("sort", "Sort by newest, nickname, name or last login")),
    };
    let filters = service::member_filters(search, status, privacy, holds, lacks)?;
    let query = MemberQuery { sort, limit: PAGE_SIZE + 1, offset: offset(page)?, ..filters };
    let store = guard::state()?.store;
    let members = store.query_members(&query).await?;
    let ids: Vec<Uuid> = members.iter().take(PAGE_SIZE as usize).map(|m| m.id).collect();
    let mut badges = service::badges_of(&*store, &ids).await?;
    let rows = members
        .iter()
        .map(|m| MemberRow {
            member: MemberView::of(m, Fieldset::Full),
            badges: badges.remove(&m.id).unwrap_or_default(),
        })
        .collect();
    Ok(paged(rows, page))
}

/// The community directory: public, approved members only, to anyone; `search` matches the
/// nickname or the profile address.
#[server]
pub async fn community(search: Option<String>, page: i64) -> Result<Page<MemberView>, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    use crate::paging::{offset, paged, PAGE_SIZE};
    let search = search.filter(|s| !s.trim().is_empty() && s.chars().count() <= 100);
    let rows = guard::state()?.store.list_public_members(search.as_deref(), PAGE_SIZE + 1, offset(page)?).await?;
    Ok(paged(rows.iter().map(|m| MemberView::of(m, Fieldset::Public)).collect(), page))
}

/// A member's profile page. Answers 404, exactly as for a slug nobody has, when the caller may
/// not see the member (private, pending or blocked, and the caller is neither an admin nor
/// the member).
#[server]
pub async fn get_profile(slug: String) -> Result<MemberProfile, AppError> {
    use super::{service, Fieldset};
    use crate::auth::guard;
    let store = guard::state()?.store;
    let viewer = guard::actor().await?;
    let member = store.member_by_slug(&slug).await?;
    let Some((member, fieldset)) =
        member.and_then(|m| service::fieldset_for(&viewer, &m, Fieldset::Public).map(|f| (m, f)))
    else {
        return Err(AppError::MEMBER_NOT_FOUND);
    };
    let badges = service::badges_of(&*store, &[member.id]).await?.remove(&member.id).unwrap_or_default();
    Ok(MemberProfile { member: MemberView::of(&member, fieldset), badges })
}

/// The logged-in member, in full, for their own profile page.
#[server]
pub async fn my_profile() -> Result<MemberProfile, AppError> {
    use super::{service, Fieldset};
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let Some(member) = actor.require_login()?.member.clone() else {
        return Err(AppError::MEMBER_NOT_FOUND);
    };
    let store = guard::state()?.store;
    let badges = service::badges_of(&*store, &[member.id]).await?.remove(&member.id).unwrap_or_default();
    Ok(MemberProfile { member: MemberView::of(&member, Fieldset::Full), badges })
}

/// The logged-in member changes their nickname, title or profile address.
#[server]
pub async fn update_my_profile(nickname: String, title: String, slug: String) -> Result<MemberView, AppError> {
    use super::{service, Fieldset, ProfileInput};
    use crate::auth::guard;
    let account = guard::actor().await?.require_approved_member()?;
    let member = account.member;
    let input = ProfileInput { nickname, title, slug };
    let saved = service::update_profile(&*guard::state()?.store, member.id, &input).await?;
    tracing::info!(member = %member.id, "profile updated by the member");
    Ok(MemberView::of(&saved, Fieldset::Full))
}

/// The logged-in member sets their profile photo: PNG, JPEG, WebP or GIF, at most 1 MB, kept
/// without its metadata. The photo it replaces is deleted.
#[server(input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_photo(data: leptos::server_fn::codec::MultipartData) -> Result<MemberView, AppError> {
    use super::Fieldset;
    use crate::auth::guard;
    use crate::uploads::{api::read_file, service, ImagePurpose};
    let account = guard::actor().await?.require_approved_member()?;
    let member = account.member;
    let bytes = read_file(data, "photo").await?;
    let store = guard::state()?.store;
    let image = service::save(&*store, account.account_id, bytes, ImagePurpose::Photo, "photo").await?;
    let saved = super::service::set_photo(&*store, member.id, Some(image.id)).await?;
    Ok(MemberView::of(&saved, Fieldset::Full))
}

/// The logged-in member removes their profile photo; the image is deleted.
#[server]
pub async fn remove_photo() -> Result<(), AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_approved_member()?;
    let member = account.member;
    super::service::set_photo(&*guard::state()?.store, member.id, None).await?;
    Ok(())
}

/// The logged-in member joins the community (public) or leaves it (private).
#[server]
pub async fn set_community_membership(join: bool) -> Result<(), AppError> {
    use crate::auth::guard;
    use crate::domain::PrivacyStatus;
    let account = guard::actor().await?.require_approved_member()?;
    let member = account.member;
    let privacy = if join { PrivacyStatus::Public } else { PrivacyStatus::Private };
    guard::state()?.store.set_member_privacy(member.id, privacy).await?;
    tracing::info!(member = %member.id, ?privacy, "community membership changed");
    Ok(())
}

/// One member in full, with badges: admins only.
#[server]
pub async fn get_member(id: Uuid) -> Result<MemberRow, AppError> {
    use super::{service, Fieldset};
    use crate::auth::guard;
    guard::actor().await?.require_admin()?;
    let store = guard::state()?.store;
    let member = store.member(id).await?.ok_or(AppError::MEMBER_NOT_FOUND)?;
    let badges = service::badges_of(&*store, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(MemberRow { member: MemberView::of(&member, Fieldset::Full), badges })
}

/// An admin saves a member's profile and contact details.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_member(
    id: Uuid,
    nickname: String,
    title: String,
    slug: String,
    first_name: String,
    last_name: String,
    company: String,
    job_title: String,
    birthdate: String,
    phones: String,
    emails: String,
) -> Result<MemberView, AppError> {
    use super::{service, ContactInput, Fieldset, ProfileInput};
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let profile = ProfileInput { nickname, title, slug };
    let contact = ContactInput { first_name, last_name, company, job_title, birthdate, phones, emails };
    let saved = service::update_member(&*guard::state()?.store, id, &profile, &contact).await?;
    tracing::info!(account = %account.id, member = %id, "member updated");
    leptos_axum::redirect("/dashboard/members");
    Ok(MemberView::of(&saved, Fieldset::Full))
}

/// An admin creates a member (approved) with a first password to hand over.
#[server]
pub async fn create_member(email: String, nickname: String, password: String) -> Result<MemberView, AppError> {
    use super::{service, Fieldset};
    use crate::auth::guard;
    use crate::domain::{member::optional_text, MemberStatus};
    let account = guard::actor().await?.require_admin()?;
    let nickname = optional_text(&nickname, "A nickname").map_err(|m| AppError::validation("nickname", m))?;
    let store = guard::state()?.store;
    let created = service::create(&*store, &email, &password, nickname, MemberStatus::Approved).await?;
    let member = created.member.expect("a member account has a member");
    tracing::info!(account = %account.id, member = %member.id, "member created by an admin");
    leptos_axum::redirect("/dashboard/members");
    Ok(MemberView::of(&member, Fieldset::Full))
}

/// Approve (or unblock), block, mute or unmute a member: admins only.
#[server]
pub async fn member_action(id: Uuid, action: String) -> Result<(), AppError> {
    use super::{service, MemberAction};
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let action = MemberAction::parse(&action).map_err(|m| AppError::validation("action", m))?;
    service::apply(&*guard::state()?.store, id, action).await?;
    tracing::info!(account = %account.id, member = %id, action = action.as_str(), "member action");
    Ok(())
}

/// Deletes a member with their account and badge assignments: admins only.
#[server]
pub async fn delete_member(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    super::service::delete(&*guard::state()?.store, id).await?;
    tracing::info!(account = %account.id, member = %id, "member deleted");
    Ok(())
}
