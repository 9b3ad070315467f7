//! Server functions for assigning badges from the dashboard: admins only (delegated members
//! come with the delegation work).

use super::jobs::Job;
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

/// How many members match the member list's filters: what "assign to all matching" would
/// go through.
#[server]
pub async fn count_matching(
    #[server(default)] search: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] privacy: Option<String>,
    #[server(default)] holds: Option<String>,
    #[server(default)] lacks: Option<String>,
) -> Result<i64, AppError> {
    use crate::auth::guard;
    guard::require_admin().await?;
    let query = crate::members::service::member_filters(search, status, privacy, holds, lacks).map_err(guard::reject)?;
    Ok(guard::state()?.store.count_members(&query).await?)
}

/// Starts assigning (`action` = `assign`) or removing (`unassign`) one badge for every member
/// matching the filters, as a background run; the page follows it with `assignment_jobs`.
/// Refused while a run for the same badge is still going, so a second click or a reload cannot
/// start the same work twice.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn assign_all_matching(
    badge_id: Uuid,
    action: String,
    #[server(default)] reason: String,
    #[server(default)] search: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] privacy: Option<String>,
    #[server(default)] holds: Option<String>,
    #[server(default)] lacks: Option<String>,
) -> Result<Job, AppError> {
    use crate::auth::guard;
    use crate::store::JobSource;
    let account = guard::require_admin().await?;
    let query = crate::members::service::member_filters(search, status, privacy, holds, lacks).map_err(guard::reject)?;
    let state = guard::state()?;
    let job = super::service::start_job(&*state.store, &state.jobs, account.id, badge_id, &action, &reason, JobSource::Filter(query))
        .await
        .map_err(guard::reject)?;
    tracing::info!(account = %account.id, badge = %badge_id, job = %job.id, total = job.total, %action, "assignment run started");
    Ok(job)
}

/// The latest background runs, newest first, with their progress.
#[server]
pub async fn assignment_jobs() -> Result<Vec<Job>, AppError> {
    use crate::auth::guard;
    guard::require_admin().await?;
    Ok(guard::state()?.store.recent_jobs(5).await?)
}
