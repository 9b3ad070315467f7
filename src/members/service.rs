//! The member rules, shared by the server functions and the REST handlers (Members V1's own
//! rules are in `records`): who sees which fieldset of whom, profile and contact changes,
//! statuses, creation and deletion.

use super::visibility::fieldset_for;
use super::{ContactInput, Fieldset, MemberAction, ProfileBadge, ProfileInput};
use crate::auth::actor::Actor;
use crate::auth::password;
use crate::domain::{slugify, ActivityStatus, Email, MemberStatus, Password, PrivacyStatus, Scope};
use crate::error::{AppError, ErrorCode, Invalid, Rule};
use crate::store::{
    AccountRecord, MemberChanges, MemberCounts, MemberFilter, MemberPage, MemberRecord, NewMemberAccount, Store,
    StoreError,
};
use std::collections::HashMap;
use uuid::Uuid;

pub const SLUG_TAKEN: &str = "Another member already has that profile address; choose another";

/// The member list's filters, from the query string's values ("any" or blank meaning none):
/// used by the list, its count and "assign to all matching" alike, so all three mean the same
/// members.
pub fn member_filters(
    search: Option<String>,
    status: Option<String>,
    privacy: Option<String>,
    holds: Option<String>,
    lacks: Option<String>,
) -> Result<crate::store::MemberFilter, AppError> {
    use std::str::FromStr;
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty() && s != "any");
    let status = given(status)
        .map(|s| MemberStatus::from_str(&s))
        .transpose()
        .map_err(|_| AppError::validation("status", "Choose pending, approved, blocked or offline"))?;
    let privacy = given(privacy)
        .map(|s| PrivacyStatus::from_str(&s))
        .transpose()
        .map_err(|_| AppError::validation("privacy", "Choose public or private"))?;
    let badge = |field: &str, v: Option<String>| {
        given(v)
            .map(|s| Uuid::parse_str(&s))
            .transpose()
            .map_err(|_| AppError::validation(field, "Choose a badge from the list"))
    };
    let (holds, lacks) = (badge("holds", holds)?, badge("lacks", lacks)?);
    let search = crate::domain::search(search.as_deref()).map_err(|m| AppError::validation("search", m))?;
    Ok(crate::store::MemberFilter { search, status, privacy, holds, lacks })
}

/// Each member's badges, in the badges' display order.
pub async fn badges_of(store: &Store, member_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<ProfileBadge>>, AppError> {
    let mut by_member: HashMap<Uuid, Vec<ProfileBadge>> = HashMap::new();
    for held in store.held_badges(member_ids).await? {
        by_member.entry(held.member_id).or_default().push(held.into());
    }
    Ok(by_member)
}

fn slug_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Unique(c) if c == "members_slug_key" => {
            AppError::validation("slug", Invalid::new(Rule::Taken, SLUG_TAKEN))
        }
        other => other.into(),
    }
}

/// An approved member changes their own nickname, title and profile address.
pub async fn update_own_profile(store: &Store, actor: &Actor, input: &ProfileInput) -> Result<MemberRecord, AppError> {
    let me = actor.require_approved_member()?;
    let member_id = me.member.id;
    let p = input.parse()?;
    let changes = MemberChanges {
        nickname: Some(p.nickname),
        title: Some(p.title),
        slug: Some(p.slug),
        ..MemberChanges::default()
    };
    let by = actor.changed_by();
    store.acting(&by).update_member(member_id, &changes).await.map_err(slug_taken)?.ok_or(AppError::MEMBER_NOT_FOUND)
}

/// An admin saves a member's profile and contact details together, in one write.
pub async fn update_member(
    store: &Store,
    actor: &Actor,
    member_id: Uuid,
    profile: &ProfileInput,
    contact: &ContactInput,
) -> Result<MemberRecord, AppError> {
    actor.require_admin()?;
    let current = store.member(member_id).await?.ok_or(AppError::MEMBER_NOT_FOUND)?;
    let p = profile.parse()?;
    let contact = contact.parse(chrono::Utc::now().date_naive(), &current.contact)?;
    let changes =
        MemberChanges { nickname: Some(p.nickname), title: Some(p.title), slug: Some(p.slug), contact: Some(contact) };
    store
        .acting(&actor.changed_by())
        .update_member(member_id, &changes)
        .await
        .map_err(slug_taken)?
        .ok_or(AppError::MEMBER_NOT_FOUND)
}

/// Creates a member with a login: from sign-up (status per the site's approval setting) or by
/// an admin (approved), recorded as made by `actor` (a visitor signing up, or the admin). The
/// slug comes from the nickname, else from the email's local part; a taken one gets `-2`, `-3`…
pub async fn create(
    store: &Store,
    actor: &Actor,
    email: &str,
    password: &str,
    nickname: Option<String>,
    status: MemberStatus,
) -> Result<AccountRecord, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::validation("email", m))?;
    let password = Password::parse(password).map_err(|m| AppError::validation("password", m))?;
    let base_slug = nickname
        .as_deref()
        .and_then(slugify)
        .or_else(|| slugify(email.local_part()))
        .unwrap_or_else(|| "member".into());
    let new = NewMemberAccount { base_slug, nickname, email, password_hash: password::hash(&password).await?, status };
    // Two creations may pick the same free slug at once; the loser of that race simply tries
    // again and gets the next suffix.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match store.acting(&actor.changed_by()).create_member_account(&new).await {
            Ok(account) => return Ok(account),
            Err(StoreError::Unique(c)) if c == "members_slug_key" && attempts < 10 => continue,
            Err(StoreError::Unique(c)) if c == "accounts_email_key" || c == "members_login_email_key" => {
                return Err(AppError::validation(
                    "email",
                    Invalid::new(Rule::Taken, "An account with this email already exists. Log in instead."),
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// An approved member sets (with an image's bytes) or removes their photo. The image it
/// replaces is deleted in the same transaction, so an old photo is never served again.
pub async fn set_own_photo(store: &Store, actor: &Actor, image: Option<Vec<u8>>) -> Result<MemberRecord, AppError> {
    use crate::uploads::{service as uploads, ImagePurpose};
    let me = actor.require_approved_member()?;
    let photo = match image {
        Some(bytes) => Some(uploads::save(store, me.account_id, bytes, ImagePurpose::Photo, "photo").await?.id),
        None => None,
    };
    store.acting(&actor.changed_by()).set_member_photo(me.member.id, photo).await?.ok_or(AppError::MEMBER_NOT_FOUND)
}

/// An approved member joins the community (public) or leaves it (private).
pub async fn set_community_membership(store: &Store, actor: &Actor, join: bool) -> Result<(), AppError> {
    let me = actor.require_approved_member()?;
    let privacy = if join { PrivacyStatus::Public } else { PrivacyStatus::Private };
    store.acting(&actor.changed_by()).set_member_privacy(me.member.id, privacy).await?;
    tracing::info!(member = %me.member.id, ?privacy, "community membership changed");
    Ok(())
}

/// How many members there are, pending and public: admins only.
pub async fn counts(store: &Store, actor: &Actor) -> Result<MemberCounts, AppError> {
    actor.require_admin()?;
    Ok(store.member_counts().await?)
}

/// A member and the badges they hold, in display order.
#[derive(Debug, Clone)]
pub struct WithBadges {
    pub member: MemberRecord,
    pub badges: Vec<ProfileBadge>,
}

/// One member with their badges.
async fn one_with_badges(store: &Store, member: MemberRecord) -> Result<WithBadges, AppError> {
    let badges = badges_of(store, &[member.id]).await?.remove(&member.id).unwrap_or_default();
    Ok(WithBadges { member, badges })
}

async fn with_badges(store: &Store, members: Vec<MemberRecord>) -> Result<Vec<WithBadges>, AppError> {
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    let mut badges = badges_of(store, &ids).await?;
    Ok(members
        .into_iter()
        .map(|m| WithBadges { badges: badges.remove(&m.id).unwrap_or_default(), member: m })
        .collect())
}

/// The admin member list, each row with its badges.
pub async fn list(
    store: &Store,
    actor: &Actor,
    filter: &MemberFilter,
    page: &MemberPage,
) -> Result<Vec<WithBadges>, AppError> {
    actor.require_admin()?;
    with_badges(store, store.query_members(filter, page).await?).await
}

/// One member in full, with badges: admins only.
pub async fn get(store: &Store, actor: &Actor, id: Uuid) -> Result<WithBadges, AppError> {
    actor.require_admin()?;
    let member = store.member(id).await?.ok_or(AppError::MEMBER_NOT_FOUND)?;
    one_with_badges(store, member).await
}

/// The community directory: public, approved members only, for anyone.
pub async fn directory(
    store: &Store,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<MemberRecord>, AppError> {
    Ok(store.list_public_members(search, limit, offset).await?)
}

/// A member's profile as `actor` may see it, with the fieldset they get. A member they may
/// not see answers exactly as a slug nobody has.
pub async fn profile(store: &Store, actor: &Actor, slug: &str) -> Result<(WithBadges, Fieldset), AppError> {
    let member = store.member_by_slug(slug).await?.ok_or(AppError::MEMBER_NOT_FOUND)?;
    let fieldset = fieldset_for(actor, &member, Fieldset::Public).ok_or(AppError::MEMBER_NOT_FOUND)?;
    Ok((one_with_badges(store, member).await?, fieldset))
}

/// The caller's own member record with badges (any status: pending members see theirs).
pub async fn own_profile(store: &Store, actor: &Actor) -> Result<WithBadges, AppError> {
    let member = actor.require_login()?.member.clone().ok_or(AppError::MEMBER_NOT_FOUND)?;
    one_with_badges(store, member).await
}

/// An admin creates a member (approved) with a first password to hand over.
pub async fn create_by_admin(
    store: &Store,
    actor: &Actor,
    email: &str,
    nickname: &str,
    password: &str,
) -> Result<MemberRecord, AppError> {
    actor.require_admin()?;
    let nickname = crate::domain::member::optional_text(nickname, "A nickname")
        .map_err(|m| AppError::validation("nickname", m))?;
    let created = create(store, actor, email, password, nickname, MemberStatus::Approved).await?;
    created.member.ok_or(AppError::Internal)
}

/// Approve (also unblocks), block, mute or unmute: admins, and site keys that may manage
/// members. Nobody blocks their own member, and a member linked to an owner's or admin's
/// account is never blocked (the by-filter runs skip them alike).
pub async fn apply(store: &Store, actor: &Actor, member_id: Uuid, action: MemberAction) -> Result<(), AppError> {
    if action == MemberAction::Block && actor.own_member().is_some_and(|m| m.id == member_id) {
        return Err(AppError::conflict(ErrorCode::MemberSelfBlockForbidden, "You cannot block yourself"));
    }
    actor.require(Scope::MembersManage)?;
    if action == MemberAction::Block && store.member_is_staff(member_id).await? {
        return Err(AppError::conflict(
            ErrorCode::OwnerMemberBlockForbidden,
            "This member is the site's owner or an admin and cannot be blocked",
        ));
    }
    let by = actor.changed_by();
    let store = store.acting(&by);
    let found = match action {
        MemberAction::Approve => store.set_member_status(member_id, MemberStatus::Approved).await?,
        MemberAction::Block => store.set_member_status(member_id, MemberStatus::Blocked).await?,
        MemberAction::Mute => store.set_member_activity(member_id, ActivityStatus::Muted).await?,
        MemberAction::Unmute => store.set_member_activity(member_id, ActivityStatus::Active).await?,
    };
    if found {
        Ok(())
    } else {
        Err(AppError::MEMBER_NOT_FOUND)
    }
}

/// Why a member linked to an owner's or admin's account is not deleted.
pub fn staff_delete_refused() -> AppError {
    AppError::conflict(
        ErrorCode::OwnerOrContributorMemberDeleteForbidden,
        "This member is the site's owner or an admin and cannot be deleted",
    )
}

/// Deletes a member: admins, and site keys that may manage members; never a member linked to
/// an owner's or admin's account.
pub async fn delete(store: &Store, actor: &Actor, member_id: Uuid) -> Result<(), AppError> {
    actor.require(Scope::MembersManage)?;
    if store.member_is_staff(member_id).await? {
        return Err(staff_delete_refused());
    }
    if store.acting(&actor.changed_by()).delete_member(member_id).await? {
        Ok(())
    } else {
        Err(AppError::MEMBER_NOT_FOUND)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::actor::fixtures::{account, member};
    use crate::domain::Role;

    #[test]
    fn private_members_are_invisible_to_everyone_but_admins_and_themselves() {
        use Fieldset::*;
        let private = member(PrivacyStatus::Private, MemberStatus::Approved);
        let public = member(PrivacyStatus::Public, MemberStatus::Approved);
        let blocked = member(PrivacyStatus::Public, MemberStatus::Blocked);
        let other = account(Role::Member, Some(member(PrivacyStatus::Public, MemberStatus::Approved)));
        let admin = account(Role::Admin, None);
        let me = account(Role::Member, Some(private.clone()));

        assert_eq!(fieldset_for(&Actor::Visitor, &private, Full), None, "visitor");
        assert_eq!(fieldset_for(&other, &private, Public), None, "another member");
        assert_eq!(fieldset_for(&Actor::Visitor, &blocked, Public), None, "blocked members are not shown");
        assert_eq!(fieldset_for(&Actor::Visitor, &public, Full), Some(Public), "public members: PUBLIC only");
        assert_eq!(fieldset_for(&other, &public, Extended), Some(Public));
        assert_eq!(fieldset_for(&admin, &private, Full), Some(Full));
        assert_eq!(fieldset_for(&me, &private, Full), Some(Full), "yourself");
        assert_eq!(fieldset_for(&Actor::System, &private, Full), Some(Full), "Insignia itself");
    }

    #[test]
    fn views_carry_only_their_fieldset() {
        use crate::members::MemberView;
        let mut m = member(PrivacyStatus::Public, MemberStatus::Approved);
        m.contact.first_name = Some("Ann".into());
        let public = MemberView::of(&m, Fieldset::Public);
        assert_eq!((public.login_email, public.status, public.contact), (None, None, None));
        let extended = MemberView::of(&m, Fieldset::Extended);
        assert_eq!((extended.login_email.as_deref(), extended.contact), (Some("ann@example.com"), None));
        let full = MemberView::of(&m, Fieldset::Full);
        assert_eq!(full.contact.and_then(|c| c.first_name).as_deref(), Some("Ann"));
    }
}
