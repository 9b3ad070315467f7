//! Assignments as records, for Badge Assignments V4: made one by one or in bulk (each with its
//! own badge and tags), queried, deleted, and their tags changed. The same rules as the
//! dashboard: a caller that may manage badges may do all of it; an approved member may assign
//! exactly the badges delegated to them, to members they can see; members see the assignments
//! of public, approved members and their own, without private tags.

use super::service::may_assign_as_delegate;
use crate::auth::actor::Actor;
use crate::domain::query::{AssignmentField, Filter, SortKey, Window};
use crate::domain::tags::TagChange;
use crate::domain::Scope;
use crate::error::{AppError, ErrorCode};
use crate::store::{AssignedBy, AssignmentRecord, AssignmentScope, CreateOutcome, NewAssignment, Store};
use uuid::Uuid;

/// Items per bulk call, as the contract bounds them.
pub const MAX_BULK: usize = 100;

fn check_bulk(n: usize, field: &str) -> Result<(), AppError> {
    if n == 0 || n > MAX_BULK {
        return Err(AppError::validation(field, format!("Send 1 to {MAX_BULK} items")));
    }
    Ok(())
}

fn already_held() -> AppError {
    AppError::conflict(ErrorCode::AlreadyExists, "This member already holds this badge")
}

/// Whether the caller sees private tags: everyone who may read badges but members.
fn sees_private_tags(actor: &Actor) -> bool {
    !matches!(actor, Actor::Account(a, _) if !a.role.is_admin())
}

fn for_caller(actor: &Actor, mut record: AssignmentRecord) -> AssignmentRecord {
    if !sees_private_tags(actor) {
        record.tags.private.clear();
    }
    record
}

/// Makes each assignment; one result per item, in order. A caller that may manage badges may
/// make any; a delegated member only those the dashboard would let them make (the others fail
/// as FORBIDDEN or MEMBER_NOT_FOUND). An unknown badge or member, or a pair already held,
/// fails that item only.
pub async fn create_many(
    store: &Store,
    actor: &Actor,
    items: Vec<NewAssignment>,
) -> Result<Vec<Result<AssignmentRecord, AppError>>, AppError> {
    check_bulk(items.len(), "badgeAssignments")?;
    let (by, refused) = match actor.require(Scope::BadgesManage) {
        Ok(granted) => (AssignedBy { account: granted.account_id, key: granted.key_id }, vec![None; items.len()]),
        Err(AppError::Forbidden) if actor.approved_member().is_some() => {
            let mut refused = Vec::with_capacity(items.len());
            for item in &items {
                refused.push(may_assign_as_delegate(store, actor, item.badge_id, item.member_id).await.err());
            }
            (AssignedBy { account: actor.account_id(), key: None }, refused)
        }
        Err(e) => return Err(e),
    };
    let allowed: Vec<NewAssignment> =
        items.iter().zip(&refused).filter(|(_, r)| r.is_none()).map(|(i, _)| i.clone()).collect();
    let mut made = if allowed.is_empty() {
        Vec::new()
    } else {
        store.acting(&actor.changed_by()).create_assignments(&allowed, by).await?
    }
    .into_iter();
    Ok(refused
        .into_iter()
        .map(|refusal| match refusal {
            Some(e) => Err(e),
            None => match made.next() {
                Some(CreateOutcome::Created(record)) => Ok(for_caller(actor, record)),
                Some(CreateOutcome::AlreadyHeld(_)) => Err(already_held()),
                Some(CreateOutcome::MemberNotFound) => Err(AppError::MEMBER_NOT_FOUND),
                Some(CreateOutcome::BadgeNotFound) => Err(AppError::BADGE_NOT_FOUND),
                None => Err(AppError::Internal),
            },
        })
        .collect())
}

/// Makes one assignment; its failure is the call's.
pub async fn create(store: &Store, actor: &Actor, item: NewAssignment) -> Result<AssignmentRecord, AppError> {
    create_many(store, actor, vec![item]).await?.pop().unwrap_or(Err(AppError::Internal))
}

/// The assignments matching the filter that the caller may see, in the window, and how many.
pub async fn query(
    store: &Store,
    actor: &Actor,
    filter: &Filter<AssignmentField>,
    sort: &[SortKey<AssignmentField>],
    window: Window,
) -> Result<(Vec<AssignmentRecord>, i64), AppError> {
    actor.require(Scope::BadgesRead)?;
    let scope = match actor {
        Actor::Account(a, _) if !a.role.is_admin() => AssignmentScope::VisibleTo(a.member.as_ref().map(|m| m.id)),
        _ => AssignmentScope::All,
    };
    let (records, total) = store.query_assignments(filter, scope, sort, window).await?;
    Ok((records.into_iter().map(|r| for_caller(actor, r)).collect(), total))
}

/// Deletes each assignment; for each id, the assignment deleted or `None` if there was none.
pub async fn delete_many(
    store: &Store,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<Option<AssignmentRecord>>, AppError> {
    actor.require(Scope::BadgesManage)?;
    check_bulk(ids.len(), "badgeAssignmentIds")?;
    Ok(store.acting(&actor.changed_by()).delete_assignments(ids).await?)
}

pub async fn delete(store: &Store, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    actor.require(Scope::BadgesManage)?;
    match store.acting(&actor.changed_by()).delete_assignments(&[id]).await?.pop().flatten() {
        Some(_) => Ok(()),
        None => Err(AppError::ASSIGNMENT_NOT_FOUND),
    }
}

/// Adds and removes tags on each assignment; for each id, the assignment as it now is, or
/// `None` if there is none.
pub async fn update_tags(
    store: &Store,
    actor: &Actor,
    ids: &[Uuid],
    change: &TagChange,
) -> Result<Vec<Option<AssignmentRecord>>, AppError> {
    actor.require(Scope::BadgesManage)?;
    check_bulk(ids.len(), "ids")?;
    Ok(store.acting(&actor.changed_by()).update_assignment_tags(ids, change).await?)
}
