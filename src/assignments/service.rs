//! The assignment rules, shared by the server functions and the REST handlers: the only door to
//! assignments. Each public function authorizes from the `Actor` first.

use super::{BulkReport, ItemResult, Outcome};
use crate::auth::actor::Actor;
use crate::domain::job::Job;
use crate::domain::Scope;
use crate::error::{AppError, Invalid};
use crate::members::visibility::sees_all_holders;
use crate::store::{
    AssignOutcome, AssignedBy, BadgeQuery, BadgeRecord, MemberFilter, MemberRecord, Store, UnassignOutcome,
};
use uuid::Uuid;

/// Members per operation, as the contract's bulk calls allow.
pub const MAX_ITEMS: usize = 100;
/// Longest reason kept with an assignment.
pub const MAX_REASON: usize = 500;

fn check_count(member_ids: &[Uuid]) -> Result<(), AppError> {
    if member_ids.is_empty() || member_ids.len() > MAX_ITEMS {
        return Err(AppError::validation("member_ids", format!("Choose between 1 and {MAX_ITEMS} members")));
    }
    Ok(())
}

/// Trimmed, at most `MAX_REASON` characters, empty meaning none.
pub fn parse_reason(reason: &str) -> Result<Option<String>, AppError> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::validation(
            "reason",
            Invalid::max_length(format!("A reason has at most {MAX_REASON} characters")),
        ));
    }
    if reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(AppError::validation("reason", Invalid::format("A reason cannot contain control characters")));
    }
    Ok((!reason.is_empty()).then(|| reason.to_owned()))
}

/// An admin (or a key that may manage badges) gives the badge to each member; one result per
/// member, in order.
pub async fn assign(
    store: &Store,
    actor: &Actor,
    badge_id: Uuid,
    member_ids: &[Uuid],
    reason: &str,
) -> Result<BulkReport, AppError> {
    let granted = actor.require(Scope::BadgesManage)?;
    let by = AssignedBy { account: granted.account_id, key: granted.key_id };
    assign_by(store, actor, by, badge_id, member_ids, reason).await
}

/// Gives the badge to each member as `by` (already authorized), recorded as done by `actor`.
async fn assign_by(
    store: &Store,
    actor: &Actor,
    by: AssignedBy,
    badge_id: Uuid,
    member_ids: &[Uuid],
    reason: &str,
) -> Result<BulkReport, AppError> {
    check_count(member_ids)?;
    let reason = parse_reason(reason)?;
    let outcomes = store
        .acting(&actor.changed_by())
        .assign_badge(badge_id, member_ids, by, reason.as_deref())
        .await?
        .ok_or(AppError::BADGE_NOT_FOUND)?;
    let results = outcomes
        .into_iter()
        .zip(member_ids)
        .enumerate()
        .map(|(original_index, (outcome, &member_id))| {
            let (assignment_id, outcome) = match outcome {
                AssignOutcome::Assigned(id) => (Some(id), Outcome::Assigned),
                AssignOutcome::AlreadyHeld(id) => (Some(id), Outcome::AlreadyHeld),
                AssignOutcome::MemberNotFound => (None, Outcome::MemberNotFound),
            };
            ItemResult { original_index, member_id, assignment_id, outcome }
        })
        .collect();
    Ok(BulkReport::new(results))
}

/// An admin (or a key that may manage badges) takes the badge from each member; one result per
/// member, in order.
pub async fn unassign(
    store: &Store,
    actor: &Actor,
    badge_id: Uuid,
    member_ids: &[Uuid],
) -> Result<BulkReport, AppError> {
    actor.require(Scope::BadgesManage)?;
    check_count(member_ids)?;
    let results = store
        .acting(&actor.changed_by())
        .unassign_badge(badge_id, member_ids)
        .await?
        .into_iter()
        .zip(member_ids)
        .enumerate()
        .map(|(original_index, (outcome, &member_id))| {
            let (assignment_id, outcome) = match outcome {
                UnassignOutcome::Removed(id) => (Some(id), Outcome::Removed),
                UnassignOutcome::NotHeld => (None, Outcome::NotHeld),
            };
            ItemResult { original_index, member_id, assignment_id, outcome }
        })
        .collect();
    Ok(BulkReport::new(results))
}

/// An admin starts a background run of `action` ("assign" or "unassign") of the badge over
/// `source`.
pub async fn start_job(
    store: &Store,
    runner: &super::runner::JobRunner,
    actor: &Actor,
    badge_id: Uuid,
    action: &str,
    reason: &str,
    source: crate::store::JobSource,
) -> Result<crate::domain::job::Job, AppError> {
    use crate::domain::job::JobAction;
    use crate::store::{JobStart, NewJob};
    let by = actor.require_admin()?.id;
    let action = JobAction::parse(action)
        .filter(|a| matches!(a, JobAction::Assign | JobAction::Unassign))
        .ok_or_else(|| AppError::validation("action", "Choose assign or remove"))?;
    let reason = parse_reason(reason)?;
    let new = NewJob {
        action,
        badge_id: Some(badge_id),
        source,
        tags: None,
        reason,
        created_by: Some(by),
        created_by_key: None,
    };
    match store.create_job(&new).await {
        Ok(JobStart::Started(job)) => {
            runner.wake();
            Ok(job)
        }
        Ok(JobStart::AlreadyRunning(job)) => Err(already_running(&job)),
        Ok(JobStart::BadgeNotFound) => Err(AppError::validation("badge_id", "That badge no longer exists")),
        Err(crate::store::StoreError::Unique(_)) => Err(AppError::validation(
            "badge_id",
            "This badge is already being assigned in the background; wait for that run to end",
        )),
        Err(e) => Err(e.into()),
    }
}

fn already_running(job: &crate::domain::job::Job) -> AppError {
    AppError::validation(
        "badge_id",
        format!(
            "\"{}\" is already being assigned in the background ({} of {} done); wait for that run to end",
            job.badge_title.as_deref().unwrap_or_default(),
            job.processed,
            job.total
        ),
    )
}

/// A member assigning a badge the owner delegated to them: only those badges (403 otherwise,
/// nothing changes), and only to members they can see (404 otherwise, as on the profile page).
pub async fn delegated_assign(
    store: &Store,
    actor: &Actor,
    badge_id: Uuid,
    member_id: Uuid,
    reason: &str,
) -> Result<BulkReport, AppError> {
    let delegate = may_assign_as_delegate(store, actor, badge_id, member_id).await?;
    assign_by(store, actor, AssignedBy::account(delegate.account_id), badge_id, &[member_id], reason).await
}

/// Checks that the caller is an approved member to whom the owner delegated the badge, and
/// that the member to receive it is someone else they can see: 403 for a badge not delegated
/// or for themself, 404 for a member they cannot see (as on the profile page).
pub(super) async fn may_assign_as_delegate(
    store: &Store,
    actor: &Actor,
    badge_id: Uuid,
    member_id: Uuid,
) -> Result<crate::auth::actor::ApprovedMember, AppError> {
    let delegate = actor.require_approved_member()?;
    let me = &delegate.member;
    if member_id == me.id {
        tracing::warn!(member = %me.id, badge = %badge_id, "refused: a delegate assigning to themself");
        return Err(AppError::Forbidden);
    }
    let allowed = store.delegated_badges(me.id).await?.iter().any(|b| b.id == badge_id);
    if !allowed {
        tracing::warn!(member = %me.id, badge = %badge_id, "refused: badge not delegated to this member");
        return Err(AppError::Forbidden);
    }
    let target = store.member(member_id).await?.ok_or(AppError::MEMBER_NOT_FOUND)?;
    if crate::members::visibility::fieldset_for(actor, &target, crate::members::Fieldset::Public).is_none() {
        return Err(AppError::MEMBER_NOT_FOUND);
    }
    Ok(delegate)
}

/// Every badge, in display order, for the assignment menus: admins only.
pub async fn badge_choices(store: &Store, actor: &Actor) -> Result<Vec<BadgeRecord>, AppError> {
    actor.require_admin()?;
    Ok(store.list_badges(&BadgeQuery { limit: 1000, ..BadgeQuery::default() }).await?)
}

/// The badges the caller may assign to others: those delegated to them if they are an approved
/// member; none for anyone else.
pub async fn assignable_badges(store: &Store, actor: &Actor) -> Result<Vec<BadgeRecord>, AppError> {
    match actor.approved_member() {
        Some(me) => Ok(store.delegated_badges(me.member.id).await?),
        None => Ok(Vec::new()),
    }
}

/// How many members match the filters: what "assign to all matching" would go through.
pub async fn count_matching(store: &Store, actor: &Actor, filter: &MemberFilter) -> Result<i64, AppError> {
    actor.require_admin()?;
    Ok(store.count_members(filter).await?)
}

/// The latest background runs, newest first: admins only.
pub async fn recent_jobs(store: &Store, actor: &Actor) -> Result<Vec<Job>, AppError> {
    actor.require_admin()?;
    Ok(store.recent_jobs(5).await?)
}

/// The members who may assign the badge: admins only.
pub async fn assigners(store: &Store, actor: &Actor, badge_id: Uuid) -> Result<Vec<MemberRecord>, AppError> {
    actor.require_admin()?;
    Ok(store.badge_assigners(badge_id).await?)
}

/// An admin lets the member named by login email or profile address assign the badge.
pub async fn add_assigner(store: &Store, actor: &Actor, badge_id: Uuid, who: &str) -> Result<(), AppError> {
    actor.require_admin()?;
    let who = who.trim();
    if who.is_empty() {
        return Err(AppError::validation("member", "Enter a member's login email or profile address"));
    }
    store.badge(badge_id).await?.ok_or(AppError::BADGE_NOT_FOUND)?;
    let found = store.members_by_email_or_slug(&[who.to_owned()]).await?;
    let Some((_, member_id)) = found.first() else {
        return Err(AppError::validation("member", "No member has this email or profile address"));
    };
    Ok(store.add_badge_assigner(badge_id, *member_id).await?)
}

/// An admin takes the member off the badge's assigners.
pub async fn remove_assigner(store: &Store, actor: &Actor, badge_id: Uuid, member_id: Uuid) -> Result<(), AppError> {
    actor.require_admin()?;
    Ok(store.remove_badge_assigner(badge_id, member_id).await?)
}

/// The members holding a badge (ids, most recently assigned first) that `actor` may see, and
/// how many there are.
pub async fn holder_ids(
    store: &Store,
    actor: &Actor,
    badge_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Uuid>, i64), AppError> {
    actor.require(Scope::BadgesRead)?;
    let badge = store.badge(badge_id).await?.ok_or(AppError::BADGE_NOT_FOUND)?;
    let public_only = !sees_all_holders(actor);
    let holders = store.badge_holders(badge.id, public_only, limit, offset).await?;
    let total = if public_only { store.count_badge_holders(badge.id, true).await? } else { badge.member_count };
    Ok((holders.into_iter().map(|(m, _)| m.id).collect(), total))
}

/// For each member `actor` may see, the badges they hold (in display order); members they may
/// not see are answered with no badges, as members without any.
pub async fn badge_ids_of(
    store: &Store,
    actor: &Actor,
    member_ids: &[Uuid],
) -> Result<Vec<(Uuid, Vec<Uuid>)>, AppError> {
    actor.require(Scope::BadgesRead)?;
    check_count(member_ids)?;
    let visible: std::collections::HashSet<Uuid> = if sees_all_holders(actor) {
        member_ids.iter().copied().collect()
    } else {
        let mut visible = std::collections::HashSet::new();
        for id in member_ids {
            if let Some(m) = store.member(*id).await? {
                if crate::members::visibility::fieldset_for(actor, &m, crate::members::Fieldset::Public).is_some() {
                    visible.insert(m.id);
                }
            }
        }
        visible
    };
    let held = store.held_badges(member_ids).await?;
    Ok(member_ids
        .iter()
        .map(|id| {
            let badges = if visible.contains(id) {
                held.iter().filter(|h| h.member_id == *id).map(|h| h.badge_id).collect()
            } else {
                Vec::new()
            };
            (*id, badges)
        })
        .collect())
}

/// A caller that may manage badges starts a background run adding and removing tags on every
/// assignment matching the filter (`{}`: all of them).
pub async fn update_tags_by_filter(
    store: &Store,
    runner: &super::runner::JobRunner,
    actor: &Actor,
    filter: crate::domain::query::Filter<crate::domain::query::AssignmentField>,
    change: crate::domain::tags::TagChange,
) -> Result<Job, AppError> {
    let granted = actor.require(Scope::BadgesManage)?;
    let new = crate::store::NewJob {
        action: crate::domain::job::JobAction::UpdateTags,
        badge_id: None,
        source: crate::store::JobSource::Assignments(filter),
        tags: Some(change),
        reason: None,
        created_by: granted.account_id,
        created_by_key: granted.key_id,
    };
    match store.create_job(&new).await? {
        crate::store::JobStart::Started(job) => {
            runner.wake();
            Ok(job)
        }
        // only assign and remove runs have a badge to wait for
        crate::store::JobStart::AlreadyRunning(_) | crate::store::JobStart::BadgeNotFound => Err(AppError::Internal),
    }
}
