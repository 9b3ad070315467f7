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
    let actor = guard::actor().await?;
    let badges = super::service::badge_choices(&guard::state()?.store, &actor).await?;
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
    let actor = guard::actor().await?;
    let report = super::service::assign(&guard::state()?.store, &actor, badge_id, &[member_id], &reason).await?;
    tracing::info!(account = ?actor.account_id(), badge = %badge_id, member = %member_id, assigned = report.total_successes, "badge assigned");
    Ok(report)
}

/// Takes a badge from one member. Not holding it is reported, not an error.
#[server]
pub async fn unassign_badge(badge_id: Uuid, member_id: Uuid) -> Result<BulkReport, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let report = super::service::unassign(&guard::state()?.store, &actor, badge_id, &[member_id]).await?;
    tracing::info!(account = ?actor.account_id(), badge = %badge_id, member = %member_id, removed = report.total_successes, "badge unassigned");
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
    let actor = guard::actor().await?;
    let store = guard::state()?.store;
    let report = match action.as_str() {
        "assign" => super::service::assign(&store, &actor, badge_id, &member_ids, &reason).await,
        "unassign" => super::service::unassign(&store, &actor, badge_id, &member_ids).await,
        _ => Err(AppError::validation("action", "Choose assign or remove")),
    }?;
    tracing::info!(account = ?actor.account_id(), badge = %badge_id, %action, members = member_ids.len(), changed = report.total_successes, "bulk assignment");
    Ok(report)
}

/// The member list's filters as its query string names them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FilterFields {
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub privacy: Option<String>,
    #[serde(default)]
    pub holds: Option<String>,
    #[serde(default)]
    pub lacks: Option<String>,
}

#[cfg(feature = "ssr")]
impl FilterFields {
    fn parse(self) -> Result<crate::store::MemberFilter, AppError> {
        crate::members::service::member_filters(self.search, self.status, self.privacy, self.holds, self.lacks)
    }
}

/// How many members match the member list's filters: what "assign to all matching" would
/// go through.
#[server]
pub async fn count_matching(#[server(flatten)] filters: FilterFields) -> Result<i64, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::count_matching(&guard::state()?.store, &actor, &filters.parse()?).await
}

/// Starts assigning (`action` = `assign`) or removing (`unassign`) one badge for every member
/// matching the filters, as a background run; the page follows it with `assignment_jobs`.
/// Refused while a run for the same badge is still going, so a second click or a reload cannot
/// start the same work twice.
#[server]
pub async fn assign_all_matching(
    badge_id: Uuid,
    action: String,
    #[server(default)] reason: String,
    #[server(flatten)] filters: FilterFields,
) -> Result<Job, AppError> {
    use crate::auth::guard;
    use crate::store::JobSource;
    let actor = guard::actor().await?;
    let source = JobSource::Filter(filters.parse()?);
    let state = guard::state()?;
    let job = super::service::start_job(&state.store, &state.jobs, &actor, badge_id, &action, &reason, source).await?;
    tracing::info!(account = ?actor.account_id(), badge = %badge_id, job = %job.id, total = job.total, %action, "assignment run started");
    Ok(job)
}

/// The latest background runs, newest first, with their progress.
#[server]
pub async fn assignment_jobs() -> Result<Vec<Job>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::recent_jobs(&guard::state()?.store, &actor).await
}

/// The fields of an import form.
#[cfg(feature = "ssr")]
struct ImportForm {
    badge_id: Uuid,
    reason: String,
    confirm: bool,
    file: Vec<u8>,
}

/// Reads an import form, each part abandoned past the file size limit.
#[cfg(feature = "ssr")]
async fn read_import_form(data: MultipartData) -> Result<ImportForm, AppError> {
    use super::import::MAX_FILE_BYTES;
    use crate::uploads::api::{read_part, PartError};
    let bad = |field: &str, m: &str| AppError::validation(field, m);
    let interrupted = || bad("file", "The upload was interrupted; try again");
    let mut form = data.into_inner().ok_or_else(|| bad("file", "Choose a CSV file"))?;
    let (mut badge_id, mut reason, mut confirm, mut file) = (None, String::new(), false, None);
    while let Some(mut part) = form.next_field().await.map_err(|_| interrupted())? {
        let name = part.name().unwrap_or_default().to_owned();
        let buf = read_part(&mut part, MAX_FILE_BYTES).await.map_err(|e| match e {
            PartError::Interrupted => interrupted(),
            PartError::TooLarge => bad("file", "The file is larger than 2 MB"),
        })?;
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
    Ok(ImportForm { badge_id, reason, confirm, file })
}

/// A CSV import (admins): a multipart form with `badge_id`, an optional default `reason`, the
/// `file`, and `confirm`. Without `confirm` it only previews: which lines match a member and
/// why the others do not. With it, the matched lines are assigned in a background run.
#[server(input = MultipartFormData)]
pub async fn import_assignments(data: MultipartData) -> Result<ImportOutcome, AppError> {
    use crate::auth::guard;
    use crate::store::JobSource;
    let actor = guard::actor().await?;
    // refused before the body is read: only admins import
    actor.require_admin()?;
    let form = read_import_form(data).await?;
    super::service::parse_reason(&form.reason)?;
    let state = guard::state()?;
    let (preview, items) = super::import::preview(&state.store, &actor, form.badge_id, &form.file).await?;
    if !form.confirm {
        return Ok(ImportOutcome { preview, job: None });
    }
    if items.is_empty() {
        return Err(AppError::validation("file", "No line of this file matches a member"));
    }
    let source = JobSource::List(items);
    let job =
        super::service::start_job(&state.store, &state.jobs, &actor, form.badge_id, "assign", &form.reason, source)
            .await?;
    tracing::info!(account = ?actor.account_id(), badge = %form.badge_id, job = %job.id, lines = preview.lines, matched = preview.matched, "CSV import started");
    Ok(ImportOutcome { preview, job: Some(job) })
}

/// Who may assign the badge (admins).
#[server]
pub async fn badge_assigners(badge_id: Uuid) -> Result<Vec<Assigner>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let members = super::service::assigners(&guard::state()?.store, &actor, badge_id).await?;
    Ok(members
        .into_iter()
        .map(|m| Assigner { member_id: m.id, name: m.nickname.clone().unwrap_or_else(|| m.slug.clone()), slug: m.slug })
        .collect())
}

/// Lets a member (by login email or profile address) assign the badge (admins).
#[server]
pub async fn add_badge_assigner(badge_id: Uuid, member: String) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::add_assigner(&guard::state()?.store, &actor, badge_id, &member).await?;
    tracing::info!(account = ?actor.account_id(), badge = %badge_id, "badge assigner added");
    Ok(())
}

/// Stops a member assigning the badge (admins).
#[server]
pub async fn remove_badge_assigner(badge_id: Uuid, member_id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::remove_assigner(&guard::state()?.store, &actor, badge_id, member_id).await?;
    tracing::info!(account = ?actor.account_id(), badge = %badge_id, member = %member_id, "badge assigner removed");
    Ok(())
}

/// The badges the logged-in member may assign to others; none for anyone else.
#[server]
pub async fn my_assignable_badges() -> Result<Vec<BadgeChoice>, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let badges = super::service::assignable_badges(&guard::state()?.store, &actor).await?;
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
    let report = super::service::delegated_assign(&guard::state()?.store, &actor, badge_id, member_id, &reason).await?;
    tracing::info!(member = ?actor.own_member().map(|m| m.id), badge = %badge_id, member = %member_id, assigned = report.total_successes, "delegated assignment");
    Ok(report)
}
