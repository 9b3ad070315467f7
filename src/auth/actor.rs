//! Who is calling, as every edge and service sees it, and the proofs that authorization
//! checks hand back: a function that holds an `Admin` or an `ApprovedMember` was authorized,
//! and holds what it needs (an approved member comes with its member record).

use crate::domain::event::ChangedBy;
use crate::domain::{MemberStatus, Scope, Scopes};
use crate::error::AppError;
use crate::store::{AccountRecord, ApiKeyRecord, MemberRecord};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub enum Actor {
    /// No valid session or key (or a blocked member's: blocking takes effect on the next
    /// request).
    Visitor,
    /// A logged-in account: an owner or admin, or a member of any status. A member's personal
    /// API token acts as this too: it has its member's powers and no more; `Via` says which, for
    /// the record of who changed what.
    Account(Box<AccountRecord>, Via),
    /// A site API key, with the scopes it was given.
    ApiKey(Box<KeyActor>),
    /// Insignia itself: background runs and the command line.
    System,
}

/// How an account is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A dashboard session.
    Session,
    /// A member's personal API token: its id and prefix.
    Token { id: Uuid, prefix: String },
}

/// The caller behind a site API key.
#[derive(Debug, Clone)]
pub struct KeyActor {
    pub key: ApiKeyRecord,
    pub scopes: Scopes,
}

/// Proof that the caller may do what a scope allows, and who they are for the record: an
/// account (an admin), a key, or neither (Insignia itself).
#[derive(Debug, Clone, Copy)]
pub struct Granted {
    pub account_id: Option<Uuid>,
    pub key_id: Option<Uuid>,
}

/// Proof of an owner or admin.
#[derive(Debug, Clone)]
pub struct Admin {
    /// The admin's account.
    pub id: Uuid,
}

/// Proof of a member account whose member is approved, with that member.
#[derive(Debug, Clone)]
pub struct ApprovedMember {
    pub account_id: Uuid,
    pub member: MemberRecord,
}

impl Actor {
    pub fn account(&self) -> Option<&AccountRecord> {
        match self {
            Actor::Account(account, _) => Some(account.as_ref()),
            Actor::Visitor | Actor::ApiKey(_) | Actor::System => None,
        }
    }

    /// What a scope allows: admins and Insignia itself may do it all, a site key what its
    /// scopes say; members may read badges (they are public) and nothing else this way —
    /// what members may do is decided by the rules that name them.
    pub fn require(&self, needed: Scope) -> Result<Granted, AppError> {
        match self {
            Actor::Visitor => Err(AppError::Unauthorized),
            Actor::System => Ok(Granted { account_id: None, key_id: None }),
            Actor::ApiKey(k) if k.scopes.allows(needed) => Ok(Granted { account_id: None, key_id: Some(k.key.id) }),
            Actor::ApiKey(k) => {
                tracing::warn!(key = %k.key.prefix, scope = %needed, "refused: key lacks the scope");
                Err(AppError::Forbidden)
            }
            Actor::Account(a, _) if a.role.is_admin() => Ok(Granted { account_id: Some(a.id), key_id: None }),
            Actor::Account(..) if needed == Scope::BadgesRead => Ok(Granted { account_id: None, key_id: None }),
            Actor::Account(a, _) => {
                tracing::warn!(account = %a.id, scope = %needed, "refused: members may not");
                Err(AppError::Forbidden)
            }
        }
    }

    /// Who this is in the record of changes (the events): the account (by session or by
    /// token), the key, Insignia itself, or a visitor.
    pub fn changed_by(&self) -> ChangedBy {
        match self {
            Actor::Visitor => ChangedBy::visitor(),
            Actor::System => ChangedBy::system(),
            Actor::ApiKey(k) => ChangedBy::api_key(k.key.id, &k.key.prefix),
            Actor::Account(a, Via::Session) => ChangedBy::account(a.id, &a.email),
            Actor::Account(a, Via::Token { id, prefix }) => ChangedBy::member_token(*id, &a.email, prefix),
        }
    }

    /// The key's prefix when a site key calls, for the log.
    pub fn key_prefix(&self) -> Option<&str> {
        match self {
            Actor::ApiKey(k) => Some(&k.key.prefix),
            _ => None,
        }
    }

    /// The calling account's id, for the log; `None` for a visitor or Insignia itself.
    pub fn account_id(&self) -> Option<Uuid> {
        self.account().map(|a| a.id)
    }

    pub fn is_admin(&self) -> bool {
        self.account().is_some_and(|a| a.role.is_admin())
    }

    /// The caller's own member record, if the caller is a member (of any status).
    pub fn own_member(&self) -> Option<&MemberRecord> {
        self.account().and_then(|a| a.member.as_ref())
    }

    /// Any logged-in account (a site key is no account: refused).
    pub fn require_login(&self) -> Result<&AccountRecord, AppError> {
        match self {
            Actor::ApiKey(_) => Err(AppError::Forbidden),
            _ => self.account().ok_or(AppError::Unauthorized),
        }
    }

    /// An owner or admin.
    pub fn require_admin(&self) -> Result<Admin, AppError> {
        let account = self.require_login()?;
        if account.role.is_admin() {
            Ok(Admin { id: account.id })
        } else {
            tracing::warn!(account = %account.id, "refused: admin only");
            Err(AppError::Forbidden)
        }
    }

    /// An approved member (pending members may only see their own status).
    pub fn require_approved_member(&self) -> Result<ApprovedMember, AppError> {
        let account = self.require_login()?;
        match &account.member {
            Some(m) if m.status == MemberStatus::Approved => {
                Ok(ApprovedMember { account_id: account.id, member: m.clone() })
            }
            _ => Err(AppError::Forbidden),
        }
    }

    /// The approved member calling, if that is who it is; `None` for anyone else.
    pub fn approved_member(&self) -> Option<ApprovedMember> {
        self.require_approved_member().ok()
    }
}

/// A member and an account to build actors from, for the unit tests of every rule that
/// decides from an `Actor`.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::Actor;
    use crate::domain::{ActivityStatus, Contact, MemberStatus, PrivacyStatus, Role};
    use crate::store::{AccountRecord, MemberRecord};
    use uuid::Uuid;

    pub fn member(privacy: PrivacyStatus, status: MemberStatus) -> MemberRecord {
        let now = chrono::Utc::now();
        MemberRecord {
            id: Uuid::new_v4(),
            login_email: "ann@example.com".into(),
            status,
            privacy_status: privacy,
            activity_status: ActivityStatus::Active,
            nickname: None,
            slug: "ann".into(),
            title: None,
            photo_id: None,
            contact: Contact::default(),
            created_at: now,
            updated_at: now,
            last_login_at: None,
        }
    }

    pub fn key(scopes: &str) -> Actor {
        let key = crate::store::ApiKeyRecord {
            id: Uuid::new_v4(),
            prefix: "ins_abcdefgh".into(),
            name: "test".into(),
            scopes: scopes.into(),
            member_id: None,
            created_at: chrono::Utc::now(),
            last_used_at: None,
        };
        Actor::ApiKey(Box::new(super::KeyActor { key, scopes: crate::domain::Scopes::parse(scopes).unwrap() }))
    }

    pub fn account(role: Role, member: Option<MemberRecord>) -> Actor {
        Actor::Account(
            Box::new(AccountRecord {
                id: Uuid::new_v4(),
                email: "x@example.com".into(),
                role,
                password_hash: String::new(),
                member,
            }),
            super::Via::Session,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PrivacyStatus, Role};

    fn account(role: Role, status: Option<MemberStatus>) -> Actor {
        fixtures::account(role, status.map(|status| fixtures::member(PrivacyStatus::Private, status)))
    }

    #[test]
    fn proofs_are_given_only_to_whom_they_name() {
        assert_eq!(Actor::Visitor.require_admin().unwrap_err(), AppError::Unauthorized);
        assert_eq!(Actor::System.require_login().unwrap_err(), AppError::Unauthorized);
        assert!(account(Role::Admin, None).require_admin().is_ok());
        assert!(account(Role::Owner, None).require_admin().is_ok());
        assert_eq!(
            account(Role::Member, Some(MemberStatus::Approved)).require_admin().unwrap_err(),
            AppError::Forbidden
        );
        let approved = account(Role::Member, Some(MemberStatus::Approved)).require_approved_member().unwrap();
        assert_eq!(approved.member.status, MemberStatus::Approved);
        for status in [MemberStatus::Pending, MemberStatus::Blocked, MemberStatus::Offline] {
            assert_eq!(account(Role::Member, Some(status)).require_approved_member().unwrap_err(), AppError::Forbidden);
        }
        assert_eq!(account(Role::Admin, None).require_approved_member().unwrap_err(), AppError::Forbidden);
    }

    #[test]
    fn changes_are_recorded_as_made_by_whom_and_how() {
        use crate::domain::event::ActorKind;
        let admin = account(Role::Admin, None);
        let by = admin.changed_by();
        assert_eq!((by.kind, by.id, by.label.as_str()), (ActorKind::Account, admin.account_id(), "x@example.com"));
        let Actor::Account(record, _) = account(Role::Member, Some(MemberStatus::Approved)) else { unreachable!() };
        let token_id = Uuid::new_v4();
        let by = Actor::Account(record, Via::Token { id: token_id, prefix: "ins_tok12345".into() }).changed_by();
        assert_eq!((by.kind, by.id), (ActorKind::MemberToken, Some(token_id)));
        assert_eq!(by.label, "x@example.com (ins_tok12345)");
        let by = fixtures::key("badges.read").changed_by();
        assert_eq!((by.kind, by.label.as_str()), (ActorKind::ApiKey, "ins_abcdefgh"));
        assert_eq!(Actor::System.changed_by().kind, ActorKind::System);
        assert_eq!(Actor::Visitor.changed_by().kind, ActorKind::Visitor);
    }

    #[test]
    fn scopes_grant_keys_what_they_name_and_members_only_reading_badges() {
        let reader = fixtures::key("badges.read");
        assert!(reader.require(Scope::BadgesRead).is_ok());
        assert_eq!(reader.require(Scope::BadgesManage).unwrap_err(), AppError::Forbidden);
        assert_eq!(reader.require(Scope::MembersRead).unwrap_err(), AppError::Forbidden);
        assert_eq!(reader.require_admin().unwrap_err(), AppError::Forbidden, "a key is no admin");
        let manager = fixtures::key("badges.manage");
        assert!(manager.require(Scope::BadgesRead).is_ok() && manager.require(Scope::BadgesManage).is_ok());
        let admin = account(Role::Admin, None);
        assert!(Scope::ALL.iter().all(|s| admin.require(*s).is_ok()));
        let member = account(Role::Member, Some(MemberStatus::Approved));
        assert!(member.require(Scope::BadgesRead).is_ok());
        assert_eq!(member.require(Scope::BadgesManage).unwrap_err(), AppError::Forbidden);
        assert_eq!(Actor::Visitor.require(Scope::BadgesRead).unwrap_err(), AppError::Unauthorized);
    }
}
