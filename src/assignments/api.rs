//! Server functions for assigning badges: from the dashboard (admins), and from member
//! profiles by members the owner delegated a badge to.

use super::import::ImportOutcome;
use super::{Assigner, BadgeChoice, BulkReport};
use crate::domain::job::Job;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use uuid::Uuid;

/// Every badge, in display order, for the assignment menus.
#[server]
pub async fn badge_choices() -> Result<Vec<BadgeChoice>, AppError> {
    use crate::auth::guard;
    use crate::store::BadgeQuery;
    guard::actor().await?.require_admin()?;
    let query = BadgeQuery { limit: 1000, ..BadgeQuery::default() };
    let badges = guard::state()?.store.list_badges(&query).await?;
    Ok(badges.into_iter().map(BadgeChoice::from).collect())
}

/// Gives a badge to one member, with an optional reason. Already holding it is reported, not
/// an error.
#[server]
pub async fn assign_badge(
    badge_id: Uuid,
    member_id: Uuid,
    #[server(default)] reason: String,
) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let report = super::service::assign(&*guard::state()?.store, account.id, badge_id, &[member_id], &reason).await?;
    tracing::info!(account = %account.id, badge = %badge_id, member = %member_id, assigned = report.total_successes, "badge assigned");
    Ok(report)
}

/// Takes a badge from one member. Not holding it is reported, not an error.
#[server]
pub async fn unassign_badge(badge_id: Uuid, member_id: Uuid) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let report = super::service::unassign(&*guard::state()?.store, badge_id, &[member_id]).await?;
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
    let account = guard::actor().await?.require_admin()?;
    let store = guard::state()?.store;
    let report = match action.as_str() {
        "assign" => super::service::assign(&*store, account.id, badge_id, &member_ids, &reason).await,
        "unassign" => super::service::unassign(&*store, badge_id, &member_ids).await,
        _ => Err(AppError::validation("action", "Choose assign or remove")),
    }?;
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
    guard::actor().await?.require_admin()?;
    let query = crate::members::service::member_filters(search, status, privacy, holds, lacks)?;
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
    let account = guard::actor().await?.require_admin()?;
    let query = crate::members::service::member_filters(search, status, privacy, holds, lacks)?;
    let state = guard::state()?;
    let job = super::service::start_job(
        &*state.store,
        &state.jobs,
        account.id,
        badge_id,
        &action,
        &reason,
        JobSource::Filter(query),
    )
    .await?;
    tracing::info!(account = %account.id, badge = %badge_id, job = %job.id, total = job.total, %action, "assignment run started");
    Ok(job)
}

/// The latest background runs, newest first, with their progress.
#[server]
pub async fn assignment_jobs() -> Result<Vec<Job>, AppError> {
    use crate::auth::guard;
    guard::actor().await?.require_admin()?;
    Ok(guard::state()?.store.recent_jobs(5).await?)
}

/// A CSV import (admins): a multipart form with `badge_id`, an optional default `reason`, the
/// `file`, and `confirm`. Without `confirm` it only previews: which lines match a member and
/// why the others do not. With it, the matched lines are assigned in a background run.
#[server(input = MultipartFormData)]
pub async fn import_assignments(data: MultipartData) -> Result<ImportOutcome, AppError> {
    use super::import::{self, ImportPreview, Unmatched, MAX_FILE_BYTES, SHOWN};
    use crate::auth::guard;
    use crate::store::{JobItem, JobSource};
    let account = guard::actor().await?.require_admin()?;
    let bad = |field: &str, m: &str| AppError::validation(field, m);
    let interrupted = |_| bad("file", "The upload was interrupted; try again");
    let mut form = data.into_inner().ok_or_else(|| bad("file", "Choose a CSV file"))?;
    let (mut badge_id, mut reason, mut confirm, mut file) = (None, String::new(), false, None);
    while let Some(mut part) = form.next_field().await.map_err(interrupted)? {
        let name = part.name().unwrap_or_default().to_owned();
        let mut buf = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(interrupted)? {
            if buf.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(bad("file", "The file is larger than 2 MB"));
            }
            buf.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&buf).trim().to_owned();
        match name.as_str() {
            "badge_id" => badge_id = Uuid::parse_str(&text()).ok(),
            "reason" => reason = text(),
            "confirm" => confirm = text() == "true",
            "file" => file = Some(buf),
            _ => {}
        }
    }
    let badge_id = badge_id.ok_or_else(|| bad("badge_id", "Choose a badge"))?;
    let file = file.filter(|f| !f.is_empty()).ok_or_else(|| bad("file", "Choose a CSV file"))?;
    super::service::parse_reason(&reason)?;
    let state = guard::state()?;
    let badge = state.store.badge(badge_id).await?.ok_or_else(|| bad("badge_id", "That badge no longer exists"))?;
    let parsed = import::parse_csv(&file).map_err(|m| bad("file", &m))?;

    let values: Vec<String> = parsed.lines.iter().map(|l| l.value.clone()).collect();
    let found: std::collections::HashMap<String, Uuid> =
        state.store.members_by_email_or_slug(&values).await?.into_iter().collect();
    let mut items = Vec::new();
    let mut unmatched = parsed.bad;
    for line in parsed.lines {
        match found.get(&line.value) {
            Some(&member_id) => items.push((line.line, line.value, member_id, line.reason)),
            None => unmatched.push(Unmatched {
                line: line.line,
                value: line.value,
                problem: "No member has this email or profile address".into(),
            }),
        }
    }
    unmatched.sort_by_key(|u| u.line);
    let preview = ImportPreview {
        badge_title: badge.title.clone(),
        lines: items.len() + unmatched.len(),
        matched: items.len(),
        matched_sample: items.iter().take(10).map(|(line, value, _, _)| (*line, value.clone())).collect(),
        unmatched_total: unmatched.len(),
        unmatched_csv: import::unmatched_csv(&unmatched),
        unmatched: unmatched.into_iter().take(SHOWN).collect(),
    };
    if !confirm {
        return Ok(ImportOutcome { preview, job: None });
    }
    if items.is_empty() {
        return Err(bad("file", "No line of this file matches a member"));
    }
    let items = items
        .into_iter()
        .map(|(line, _, member_id, reason)| JobItem { line: line as i64, member_id, reason })
        .collect();
    let job = super::service::start_job(
        &*state.store,
        &state.jobs,
        account.id,
        badge_id,
        "assign",
        &reason,
        JobSource::List(items),
    )
    .await?;
    tracing::info!(account = %account.id, badge = %badge_id, job = %job.id, lines = preview.lines, matched = preview.matched, "CSV import started");
    Ok(ImportOutcome { preview, job: Some(job) })
}

/// Who may assign the badge (admins).
#[server]
pub async fn badge_assigners(badge_id: Uuid) -> Result<Vec<Assigner>, AppError> {
    use crate::auth::guard;
    guard::actor().await?.require_admin()?;
    let members = guard::state()?.store.badge_assigners(badge_id).await?;
    Ok(members
        .into_iter()
        .map(|m| Assigner { member_id: m.id, name: m.nickname.clone().unwrap_or_else(|| m.slug.clone()), slug: m.slug })
        .collect())
}

/// Lets a member (by login email or profile address) assign the badge (admins).
#[server]
pub async fn add_badge_assigner(badge_id: Uuid, member: String) -> Result<(), AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    super::service::add_assigner(&*guard::state()?.store, badge_id, &member).await?;
    tracing::info!(account = %account.id, badge = %badge_id, "badge assigner added");
    Ok(())
}

/// Stops a member assigning the badge (admins).
#[server]
pub async fn remove_badge_assigner(badge_id: Uuid, member_id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    super::service::remove_assigner(&*guard::state()?.store, badge_id, member_id).await?;
    tracing::info!(account = %account.id, badge = %badge_id, member = %member_id, "badge assigner removed");
    Ok(())
}

/// The badges the logged-in member may assign to others; none for anyone else.
#[server]
pub async fn my_assignable_badges() -> Result<Vec<BadgeChoice>, AppError> {
    use crate::auth::guard;
    let Some(me) = guard::actor().await?.approved_member() else {
        return Ok(Vec::new());
    };
    let badges = guard::state()?.store.delegated_badges(me.member.id).await?;
    Ok(badges.into_iter().map(BadgeChoice::from).collect())
}

/// A member gives another member a badge the owner delegated to them. Any other badge: 403.
#[server]
pub async fn delegated_assign(
    badge_id: Uuid,
    member_id: Uuid,
    #[server(default)] reason: String,
) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let report =
        super::service::delegated_assign(&*guard::state()?.store, &actor, badge_id, member_id, &reason).await?;
    tracing::info!(member = ?actor.own_member().map(|m| m.id), badge = %badge_id, member = %member_id, assigned = report.total_successes, "delegated assignment");
    Ok(report)
}
