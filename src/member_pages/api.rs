//! Server functions for members-only pages: who is calling, the form parsed, one service call.

use super::{BadgeChoice, EditablePage, PageLink, PageOpening, PageSummary};
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
fn link(page: crate::store::PageRecord) -> PageLink {
    PageLink { id: page.id, title: page.title, slug: page.slug }
}

/// A members-only page for whoever asks: its content if the rule lets them read it, else why
/// not (a visitor is `Unauthorized`, and is sent to log in).
#[server]
pub async fn open_page(slug: String) -> Result<PageOpening, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::open(&guard::state()?.store, &actor, &slug).await
}

/// The pages the caller may open ("Your pages"); none for a visitor.
#[server]
pub async fn your_pages() -> Result<Vec<PageLink>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    Ok(super::service::readable(&guard::state()?.store, &actor).await?.into_iter().map(link).collect())
}

/// The pages a badge was chosen to open, for its editor (admins).
#[server]
pub async fn pages_of_badge(badge_id: Uuid) -> Result<Vec<PageLink>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    Ok(super::service::chosen_for(&guard::state()?.store, &actor, badge_id).await?.into_iter().map(link).collect())
}

/// Every page with the titles of its badges (admins).
#[server]
pub async fn list_pages() -> Result<Vec<PageSummary>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let store = guard::state()?.store;
    let pages = super::service::list(&store, &actor).await?;
    let badges = crate::badges::service::in_display_order(&store, &actor).await?;
    let title_of = |id: &Uuid| badges.iter().find(|b| b.id == *id).map(|b| b.title.clone());
    Ok(pages
        .into_iter()
        .map(|p| PageSummary {
            badges: p.badge_ids.iter().filter_map(title_of).collect(),
            id: p.id,
            title: p.title,
            slug: p.slug,
            open_to_members: p.open_to_members,
        })
        .collect())
}

/// A page with its Markdown, for its editor (admins).
#[server]
pub async fn get_page(id: Uuid) -> Result<EditablePage, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let p = super::service::get(&guard::state()?.store, &actor, id).await?;
    Ok(EditablePage {
        id: p.id,
        revision: p.revision,
        title: p.title,
        slug: p.slug,
        html: super::markdown::render(&p.content),
        content: p.content,
        open_to_members: p.open_to_members,
        badge_ids: p.badge_ids,
    })
}

/// The badges the page editor offers, in display order (admins).
#[server]
pub async fn page_badge_choices() -> Result<Vec<BadgeChoice>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    actor.require_admin()?;
    let badges = crate::badges::service::in_display_order(&guard::state()?.store, &actor).await?;
    Ok(badges
        .into_iter()
        .map(|b| BadgeChoice { id: b.id, title: b.title, permissions_enabled: b.permissions_enabled })
        .collect())
}

/// Creates (no `id`) or updates (with `id` and the `revision` it was read at) a page, then goes
/// back to the list. An empty `slug` is derived from the title; no badges opens the page to
/// every approved member.
#[server]
pub async fn save_page(
    id: Option<Uuid>,
    revision: Option<i64>,
    title: String,
    #[server(default)] slug: String,
    #[server(default)] content: String,
    #[server(default)] badges: Vec<Uuid>,
) -> Result<PageLink, AppError> {
    use super::service::{self, PageInput};
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let store = guard::state()?.store;
    let input = PageInput { title: &title, slug: &slug, content: &content, badge_ids: &badges };
    let saved = match (id, revision) {
        (None, _) => service::create(&store, &actor, &input).await,
        (Some(id), Some(revision)) => service::update(&store, &actor, id, revision, &input).await,
        (Some(_), None) => {
            Err(AppError::validation("revision", "The form is missing the page's revision; reload the page"))
        }
    }?;
    tracing::info!(account = ?actor.account_id(), page = %saved.id, revision = saved.revision, "page saved");
    leptos_axum::redirect("/dashboard/pages");
    Ok(link(saved))
}

/// The editor's live preview: the Markdown rendered and sanitized as the page will show it.
#[server]
pub async fn preview_page(#[server(default)] content: String) -> Result<String, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::preview(&actor, &content)
}

#[server]
pub async fn delete_page(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::delete(&guard::state()?.store, &actor, id).await?;
    tracing::info!(account = ?actor.account_id(), page = %id, "page deleted");
    Ok(())
}

/// Moves a page in the display order: `to` is `first`, `last`, `up`, `down`, `after:ID` or
/// `before:ID`.
#[server]
pub async fn move_page(id: Uuid, to: String) -> Result<(), AppError> {
    use crate::auth::guard;
    use crate::domain::badge_order::{MoveTo, Reorder};
    let actor = guard::actor().await?;
    let to = MoveTo::parse(&to).map_err(|m| AppError::validation("to", m))?;
    super::service::reorder(&guard::state()?.store, &actor, &Reorder::Move(id, to)).await
}
