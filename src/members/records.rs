//! The Members V1 rules (REST_CONTRACT §8 and §12) beside the dashboard's (`service`): reads
//! through fieldsets, partial updates, slugs, the community, statuses, deletion one by one, in
//! bulk and by filter. Every function decides from the `Actor` first:
//! - site keys need `members.read` (reads) or `members.manage` (everything else); admins and
//!   Insignia itself may do it all;
//! - a member's token reads and changes its own member (any status reads; an approved member
//!   writes, as on the profile page), reads others only where they are public and approved, and
//!   does nothing else;
//! - the current-member methods need a caller who is a member.

use super::visibility::fieldset_for;
use super::{service, Fieldset, MemberAction};
use crate::assignments::runner::JobRunner;
use crate::auth::actor::Actor;
use crate::domain::job::{Job, JobAction};
use crate::domain::query::{Filter, MemberField, MemberQuery, SortKey, Window};
use crate::domain::{ActivityStatus, Address, Email, MemberStatus, PrivacyStatus, Scope};
use crate::error::{AppError, ErrorCode, Invalid};
use crate::store::{ImportedMember, JobSource, JobStart, MemberRecord, NewJob, Store, StoreError};
use uuid::Uuid;

/// The most ids a bulk call takes.
pub const MAX_BULK: usize = 100;

const SLUG_EXISTS: &str = "Another member already has that slug";

/// What a partial update changes: `None` leaves a field alone; `Some(None)` clears it. An
/// empty list is no list: clearing one is a call of its own (`clear`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberPatch {
    pub nickname: Option<Option<String>>,
    pub title: Option<Option<String>>,
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub company: Option<Option<String>>,
    pub job_title: Option<Option<String>>,
    pub birthdate: Option<Option<String>>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    pub addresses: Option<Vec<Address>>,
}

impl MemberPatch {
    pub fn apply(&self, m: &mut MemberRecord) {
        fn set<T: Clone>(field: &mut T, value: &Option<T>) {
            if let Some(v) = value {
                *field = v.clone();
            }
        }
        set(&mut m.nickname, &self.nickname);
        set(&mut m.title, &self.title);
        let c = &mut m.contact;
        set(&mut c.first_name, &self.first_name);
        set(&mut c.last_name, &self.last_name);
        set(&mut c.company, &self.company);
        set(&mut c.job_title, &self.job_title);
        set(&mut c.birthdate, &self.birthdate);
        set(&mut c.phones, &self.phones);
        set(&mut c.emails, &self.emails);
        set(&mut c.addresses, &self.addresses);
    }
}

/// One of the contact lists, for the calls that clear one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactList {
    Phones,
    Emails,
    Addresses,
}

/// The status and activity changes of the Members API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// Approve, block, mute or unmute, as the dashboard does them.
    Action(MemberAction),
    /// OFFLINE.
    Disconnect,
}

/// How much a caller may read: everyone in full, or (a member's token) themselves in full and
/// others only where public.
enum Reader<'a> {
    All,
    Member(&'a MemberRecord),
}

fn reader(actor: &Actor) -> Result<Reader<'_>, AppError> {
    match actor.require(Scope::MembersRead) {
        Ok(_) => Ok(Reader::All),
        Err(AppError::Forbidden) => match (actor, actor.own_member()) {
            (Actor::Account(..), Some(me)) => Ok(Reader::Member(me)),
            _ => Err(AppError::Forbidden),
        },
        Err(e) => Err(e),
    }
}

/// Whether the caller may call the Members API at all: a key needs a `members.*` scope, an
/// account must be an admin or a member. Each rule below still decides what exactly they may do.
pub fn may_call(actor: &Actor) -> Result<(), AppError> {
    reader(actor).map(|_| ())
}

/// The caller's own member: a site key that may read members (or an admin without a member)
/// has none (NOT_FOUND); a key without the scope is refused.
fn current(actor: &Actor) -> Result<&MemberRecord, AppError> {
    reader(actor)?;
    actor.own_member().ok_or(AppError::NOT_FOUND)
}

/// May the caller change `member_id`'s profile: a manager, or the approved member themself.
fn may_write(actor: &Actor, member_id: Uuid) -> Result<(), AppError> {
    match actor.require(Scope::MembersManage) {
        Ok(_) => Ok(()),
        Err(AppError::Forbidden) if actor.own_member().is_some_and(|m| m.id == member_id) => {
            actor.require_approved_member().map(|_| ())
        }
        Err(e) => Err(e),
    }
}

async fn fresh(store: &Store, member_id: Uuid) -> Result<MemberRecord, AppError> {
    store.member(member_id).await?.ok_or(AppError::MEMBER_NOT_FOUND)
}

/// One member through the widest fieldset asked for, capped at what the caller may see; a
/// member they may not see is not found.
pub async fn get(
    store: &Store,
    actor: &Actor,
    member_id: Uuid,
    wanted: Fieldset,
) -> Result<(MemberRecord, Fieldset), AppError> {
    reader(actor)?;
    let member = fresh(store, member_id).await?;
    let fieldset = fieldset_for(actor, &member, wanted).ok_or(AppError::MEMBER_NOT_FOUND)?;
    Ok((member, fieldset))
}

/// The caller's own member, read afresh.
pub async fn get_current(store: &Store, actor: &Actor) -> Result<MemberRecord, AppError> {
    let me = current(actor)?;
    // deleted since the caller's key was resolved: no member now
    store.member(me.id).await?.ok_or(AppError::NOT_FOUND)
}

/// The fields a member's token may filter, search and sort others by: what the PUBLIC
/// fieldset shows. Anything else would let it find out another member's email or name.
const PUBLIC_FIELDS: [MemberField; 7] = [
    MemberField::Id,
    MemberField::ContactId,
    MemberField::Nickname,
    MemberField::Slug,
    MemberField::Title,
    MemberField::CreatedDate,
    MemberField::UpdatedDate,
];

fn fields_of(filter: &Filter<MemberField>, out: &mut Vec<MemberField>) {
    match filter {
        Filter::All(all) | Filter::Any(all) => all.iter().for_each(|f| fields_of(f, out)),
        Filter::Not(f) => fields_of(f, out),
        Filter::Test(field, _) => out.push(*field),
    }
}

/// A page of the members matching the query, each with the fieldset the caller gets of them,
/// and how many match in all. A member's token sees public, approved members only.
pub async fn query(
    store: &Store,
    actor: &Actor,
    mut query: MemberQuery,
    sort: &[SortKey<MemberField>],
    window: Window,
    wanted: Fieldset,
) -> Result<(Vec<(MemberRecord, Fieldset)>, i64), AppError> {
    if let Reader::Member(me) = reader(actor)? {
        let mut used = Vec::new();
        fields_of(&query.filter, &mut used);
        used.extend(sort.iter().map(|k| k.field));
        used.extend(query.search.iter().flat_map(|s| s.fields.iter().copied()));
        if let Some(field) = used.iter().find(|f| !PUBLIC_FIELDS.contains(f)) {
            tracing::warn!(member = %me.id, ?field, "refused: a member token queried by a private field");
            return Err(AppError::Forbidden);
        }
        query.public_only = true;
    }
    let (found, total) = store.query_members_by(&query, sort, window).await?;
    let found = found.into_iter().filter_map(|m| fieldset_for(actor, &m, wanted).map(|f| (m, f))).collect();
    Ok((found, total))
}

/// Creates a member without a login (APPROVED, or PENDING when the site asks for approval;
/// PRIVATE; ACTIVE), with the slug from the nickname or else the email.
pub async fn create(
    store: &Store,
    actor: &Actor,
    email: &Email,
    patch: &MemberPatch,
) -> Result<MemberRecord, AppError> {
    actor.require(Scope::MembersManage)?;
    let status = if store.settings().await?.require_approval { MemberStatus::Pending } else { MemberStatus::Approved };
    let slug = patch
        .nickname
        .clone()
        .flatten()
        .as_deref()
        .and_then(crate::domain::slugify)
        .or_else(|| crate::domain::slugify(email.local_part()))
        .unwrap_or_else(|| "member".into());
    let now = chrono::Utc::now();
    // the patch applied to an empty member gives the fields to write
    let mut draft = MemberRecord {
        id: crate::domain::new_id(),
        login_email: email.as_str().to_owned(),
        status,
        privacy_status: PrivacyStatus::Private,
        activity_status: ActivityStatus::Active,
        nickname: None,
        slug,
        title: None,
        photo_id: None,
        contact: Default::default(),
        created_at: now,
        updated_at: now,
        last_login_at: None,
    };
    patch.apply(&mut draft);
    let member = ImportedMember {
        id: draft.id,
        login_email: draft.login_email,
        status: draft.status,
        privacy_status: draft.privacy_status,
        activity_status: draft.activity_status,
        nickname: draft.nickname,
        slug: draft.slug,
        title: draft.title,
        contact: draft.contact,
        created_at: now,
        last_login_at: None,
    };
    // two creations may pick the same free slug at once: the loser tries the next one
    for _ in 0..10 {
        match store.acting(&actor.changed_by()).create_member(&member).await {
            Ok(created) => {
                tracing::info!(member = %created.id, key = ?actor.key_prefix(), "member created through the API");
                return Ok(created);
            }
            Err(StoreError::Unique(c)) if c == "members_slug_key" => continue,
            Err(StoreError::Unique(c)) if c == "members_login_email_key" => {
                return Err(AppError::conflict(ErrorCode::MemberAlreadyExists, "A member with this login email exists"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal)
}

/// Changes the fields the patch names, and only those.
pub async fn update(
    store: &Store,
    actor: &Actor,
    member_id: Uuid,
    patch: &MemberPatch,
) -> Result<MemberRecord, AppError> {
    may_write(actor, member_id)?;
    store
        .acting(&actor.changed_by())
        .update_member_with(member_id, |m| patch.apply(m))
        .await?
        .ok_or(AppError::MEMBER_NOT_FOUND)
}

/// Empties one of the member's contact lists.
pub async fn clear(store: &Store, actor: &Actor, member_id: Uuid, list: ContactList) -> Result<MemberRecord, AppError> {
    let patch = match list {
        ContactList::Phones => MemberPatch { phones: Some(Vec::new()), ..MemberPatch::default() },
        ContactList::Emails => MemberPatch { emails: Some(Vec::new()), ..MemberPatch::default() },
        ContactList::Addresses => MemberPatch { addresses: Some(Vec::new()), ..MemberPatch::default() },
    };
    update(store, actor, member_id, &patch).await
}

/// A new profile slug, checked as the profile page checks it; one another member has is a
/// SLUG_ALREADY_EXISTS conflict.
pub async fn set_slug(store: &Store, actor: &Actor, member_id: Uuid, slug: &str) -> Result<MemberRecord, AppError> {
    may_write(actor, member_id)?;
    let slug = crate::domain::member::profile_slug(slug).map_err(|e| AppError::validation("slug", e))?;
    match store.acting(&actor.changed_by()).update_member_with(member_id, |m| m.slug = slug).await {
        Ok(found) => found.ok_or(AppError::MEMBER_NOT_FOUND),
        Err(StoreError::Unique(c)) if c == "members_slug_key" => {
            Err(AppError::conflict(ErrorCode::SlugAlreadyExists, SLUG_EXISTS))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_own_slug(store: &Store, actor: &Actor, slug: &str) -> Result<MemberRecord, AppError> {
    let me = current(actor)?.id;
    set_slug(store, actor, me, slug).await
}

/// The calling member joins the community (PUBLIC) or leaves it (PRIVATE). Only an approved
/// member can join (COMMUNITY_JOIN_IMPOSSIBLE otherwise); anyone may leave.
pub async fn set_community(store: &Store, actor: &Actor, join: bool) -> Result<MemberRecord, AppError> {
    let me = current(actor)?;
    if join && me.status != MemberStatus::Approved {
        return Err(AppError::conflict(
            ErrorCode::CommunityJoinImpossible,
            format!("A member whose status is {} cannot join the community", me.status),
        ));
    }
    let privacy = if join { PrivacyStatus::Public } else { PrivacyStatus::Private };
    store.acting(&actor.changed_by()).set_member_privacy(me.id, privacy).await?;
    tracing::info!(member = %me.id, ?privacy, "community membership changed through the API");
    fresh(store, me.id).await
}

/// Approve (also unblocks), block, mute, unmute or disconnect, then the member as it now is.
pub async fn change_status(
    store: &Store,
    actor: &Actor,
    member_id: Uuid,
    change: StatusChange,
) -> Result<MemberRecord, AppError> {
    match change {
        StatusChange::Action(action) => service::apply(store, actor, member_id, action).await?,
        StatusChange::Disconnect => {
            actor.require(Scope::MembersManage)?;
            if !store.acting(&actor.changed_by()).set_member_status(member_id, MemberStatus::Offline).await? {
                return Err(AppError::MEMBER_NOT_FOUND);
            }
        }
    }
    fresh(store, member_id).await
}

pub async fn delete(store: &Store, actor: &Actor, member_id: Uuid) -> Result<(), AppError> {
    service::delete(store, actor, member_id).await
}

/// The calling member deletes their own member (and with it their login and tokens).
pub async fn delete_own(store: &Store, actor: &Actor) -> Result<(), AppError> {
    let me = current(actor)?.id;
    if store.member_is_staff(me).await? {
        return Err(service::staff_delete_refused());
    }
    store.acting(&actor.changed_by()).delete_member(me).await?;
    tracing::info!(member = %me, "member deleted their own member through the API");
    Ok(())
}

/// Deletes each member, in order; each fails alone (not found, or linked to staff).
pub async fn delete_many(store: &Store, actor: &Actor, ids: &[Uuid]) -> Result<Vec<Result<(), AppError>>, AppError> {
    actor.require(Scope::MembersManage)?;
    let mut outcomes = Vec::with_capacity(ids.len());
    for &id in ids {
        outcomes.push(if store.member_is_staff(id).await? {
            Err(service::staff_delete_refused())
        } else if store.acting(&actor.changed_by()).delete_member(id).await? {
            Ok(())
        } else {
            Err(AppError::MEMBER_NOT_FOUND)
        });
    }
    Ok(outcomes)
}

/// Starts a background run that deletes, approves or blocks every member the query matches
/// (members linked to staff are never deleted or blocked); answers at once.
pub async fn start_run(
    store: &Store,
    runner: &JobRunner,
    actor: &Actor,
    action: JobAction,
    query: MemberQuery,
) -> Result<Job, AppError> {
    if !matches!(action, JobAction::DeleteMembers | JobAction::ApproveMembers | JobAction::BlockMembers) {
        return Err(AppError::Internal);
    }
    let granted = actor.require(Scope::MembersManage)?;
    let new = NewJob {
        action,
        badge_id: None,
        source: JobSource::Members(query),
        tags: None,
        reason: None,
        created_by: granted.account_id,
        created_by_key: granted.key_id,
    };
    match store.create_job(&new).await? {
        JobStart::Started(job) => {
            runner.wake();
            tracing::info!(job = %job.id, action = action.as_str(), total = job.total, "member run started");
            Ok(job)
        }
        // only assign and remove runs have a badge to wait for
        JobStart::AlreadyRunning(_) | JobStart::BadgeNotFound => Err(AppError::Internal),
    }
}

/// A search of at least one character: a blank one is refused, never dropped (dropping it
/// would make a delete-by-filter act on more members than asked).
pub fn search_expression(input: &str) -> Result<String, Invalid> {
    match crate::domain::search(Some(input))? {
        Some(text) => Ok(text),
        None => Err(Invalid::min_length("A search has at least one character")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::actor::fixtures::{account, key, member};
    use crate::domain::Role;

    #[test]
    fn readers_and_writers_follow_the_token_rules() {
        let me = member(PrivacyStatus::Private, MemberStatus::Approved);
        let token = account(Role::Member, Some(me.clone()));
        assert!(matches!(reader(&key("members.read")).unwrap(), Reader::All));
        assert_eq!(reader(&key("badges.manage")).err(), Some(AppError::Forbidden));
        assert!(matches!(reader(&token).unwrap(), Reader::Member(m) if m.id == me.id));
        assert_eq!(current(&key("members.manage")).err(), Some(AppError::NOT_FOUND));
        assert_eq!(current(&key("badges.read")).err(), Some(AppError::Forbidden));
        assert!(may_write(&token, me.id).is_ok());
        assert_eq!(may_write(&token, Uuid::new_v4()).err(), Some(AppError::Forbidden));
        assert_eq!(may_write(&key("members.read"), me.id).err(), Some(AppError::Forbidden));
        assert!(may_write(&key("members.manage"), me.id).is_ok());
        let pending = account(Role::Member, Some(member(PrivacyStatus::Private, MemberStatus::Pending)));
        let pending_id = pending.own_member().unwrap().id;
        assert_eq!(may_write(&pending, pending_id).err(), Some(AppError::Forbidden), "as on the profile page");
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let mut m = member(PrivacyStatus::Public, MemberStatus::Approved);
        m.nickname = Some("Ann".into());
        m.contact.phones = vec!["123".into()];
        m.contact.first_name = Some("Ann".into());
        let patch = MemberPatch { title: Some(Some("Chef".into())), first_name: Some(None), ..MemberPatch::default() };
        patch.apply(&mut m);
        assert_eq!((m.nickname.as_deref(), m.title.as_deref()), (Some("Ann"), Some("Chef")));
        assert_eq!((m.contact.first_name, m.contact.phones.len()), (None, 1));
    }

    #[test]
    fn blank_searches_are_refused() {
        assert_eq!(search_expression(" ann ").unwrap(), "ann");
        assert!(search_expression("  ").is_err());
        assert!(search_expression(&"a".repeat(101)).is_err());
    }
}
