//! Server functions for assigning badges from the dashboard: admins only (delegated members
//! come with the delegation work).

use super::{BadgeChoice, BulkReport};
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

/// Every badge, in display order, for the assignment menus.
#[server]
pub async fn badge_choices() -> Result<Vec<BadgeChoice>, AppError> {
    use crate::auth::guard;
    use crate::store::BadgeQuery;
    guard::require_admin().await?;
    let query = BadgeQuery { limit: 1000, ..BadgeQuery::default() };
    let badges = guard::state()?.store.list_badges(&query).await?;
    Ok(badges
        .into_iter()
        .map(|b| BadgeChoice { id: b.id, title: b.title, background_color: b.background_color, text_color: b.text_color, icon: b.icon })
        .collect())
}

/// Gives a badge to one member, with an optional reason. Already holding it is reported, not
/// an error.
#[server]
pub async fn assign_badge(badge_id: Uuid, member_id: Uuid, #[server(default)] reason: String) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let account = guard::require_admin().await?;
    let report = super::service::assign(&*guard::state()?.store, account.id, badge_id, &[member_id], &reason)
        .await
        .map_err(guard::reject)?;
    tracing::info!(account = %account.id, badge = %badge_id, member = %member_id, assigned = report.total_successes, "badge assigned");
    Ok(report)
}

/// Takes a badge from one member. Not holding it is reported, not an error.
#[server]
pub async fn unassign_badge(badge_id: Uuid, member_id: Uuid) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let account = guard::require_admin().await?;
    let report = super::service::unassign(&*guard::state()?.store, badge_id, &[member_id]).await.map_err(guard::reject)?;
    tracing::info!(account = %account.id, badge = %badge_id, member = %member_id, removed = report.total_successes, "badge unassigned");
    Ok(report)
}

/// Assigns (`action` = `assign`) or removes (`unassign`) one badge for up to 100 members at
/// once (the member list's selection); one result per member.
#[server]
pub async fn bulk_assign(
    badge_id: Uuid,
    action: String,
    #[server(default)] member_ids: Vec<Uuid>,
    #[server(default)] reason: String,
) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let account = guard::require_admin().await?;
    let store = guard::state()?.store;
    let report = match action.as_str() {
        "assign" => super::service::assign(&*store, account.id, badge_id, &member_ids, &reason).await,
        "unassign" => super::service::unassign(&*store, badge_id, &member_ids).await,
        _ => Err(AppError::validation("action", "Choose assign or remove")),
    }
    .map_err(guard::reject)?;
    tracing::info!(account = %account.id, badge = %badge_id, %action, members = member_ids.len(), changed = report.total_successes, "bulk assignment");
    Ok(report)
}
