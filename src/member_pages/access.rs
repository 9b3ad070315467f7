//! The one rule of who reads a members-only page. Everything that shows a page, lists pages or
//! could reveal a page's content asks `decide`; the service reads the facts it needs anew on
//! every request (no cache), so a badge taken away, a permissions flag switched off, a badge
//! deleted or a member blocked counts from the next request on.

use super::Refusal;
use crate::auth::actor::Actor;
use crate::domain::MemberStatus;
use crate::store::{PageRecord, Store, StoreError};
use std::collections::HashSet;
use uuid::Uuid;

/// Who is reading, as far as the rule cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// Nobody logged in (a blocked member counts as nobody: see `auth::resolve`).
    Visitor,
    /// Owners, admins and Insignia itself read every page.
    Staff,
    /// A member account: approved or not, and the badges it holds whose permissions are on.
    Member { approved: bool, permitted_badges: HashSet<Uuid> },
    /// A site API key: no person, so no reader of members' pages.
    Key,
}

/// What the rule says about one page for one reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Read,
    /// Read, by an owner or admin (who read every page).
    ReadAsStaff,
    /// Nobody is logged in: they are sent to log in first.
    LogIn,
    Refused(Refusal),
}

impl Decision {
    pub fn may_read(self) -> bool {
        matches!(self, Decision::Read | Decision::ReadAsStaff)
    }
}

impl Reader {
    /// The reader behind `actor`, with the badges of theirs that open pages.
    pub async fn of(store: &Store, actor: &Actor) -> Result<Reader, StoreError> {
        Ok(match actor {
            Actor::Visitor => Reader::Visitor,
            Actor::System => Reader::Staff,
            Actor::ApiKey(_) => Reader::Key,
            Actor::Account(account, _) if account.role.is_admin() => Reader::Staff,
            Actor::Account(account, _) => match &account.member {
                Some(member) if member.status == MemberStatus::Approved => Reader::Member {
                    approved: true,
                    permitted_badges: store.permitted_badges_of(member.id).await?.into_iter().collect(),
                },
                _ => Reader::Member { approved: false, permitted_badges: HashSet::new() },
            },
        })
    }
}

/// Whether `reader` reads `page`. `permitted_badges` holds only badges whose permissions are
/// on, so a badge chosen for the page whose flag is now off opens nothing. A page saved without
/// badges is open to every approved member; one whose badges were all deleted since is open to
/// nobody but staff (`open_to_members` was decided when it was saved).
pub fn decide(reader: &Reader, page: &PageRecord, any_badge_grants: bool) -> Decision {
    match reader {
        Reader::Visitor => Decision::LogIn,
        Reader::Staff => Decision::ReadAsStaff,
        Reader::Key => Decision::Refused(Refusal::NotAPerson),
        Reader::Member { approved: false, .. } => Decision::Refused(Refusal::NotApproved),
        Reader::Member { permitted_badges, .. } => {
            if page.open_to_members || page.badge_ids.iter().any(|b| permitted_badges.contains(b)) {
                Decision::Read
            } else if any_badge_grants {
                Decision::Refused(Refusal::NeedsBadge)
            } else {
                Decision::Refused(Refusal::NoBadgeOpensIt)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn page(open_to_members: bool, badge_ids: Vec<Uuid>) -> PageRecord {
        PageRecord {
            id: Uuid::new_v4(),
            revision: 1,
            title: "Staff handbook".into(),
            slug: "staff-handbook".into(),
            content: "secret".into(),
            open_to_members,
            position: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            badge_ids,
        }
    }

    fn member(holds: &[Uuid]) -> Reader {
        Reader::Member { approved: true, permitted_badges: holds.iter().copied().collect() }
    }

    #[test]
    fn every_reader_against_a_gated_page() {
        let (staff, other) = (Uuid::new_v4(), Uuid::new_v4());
        let gated = page(false, vec![staff]);
        assert_eq!(decide(&member(&[staff]), &gated, true), Decision::Read);
        assert_eq!(decide(&member(&[staff, other]), &gated, true), Decision::Read);
        // holding another badge (or one whose permissions are off, which `of` never collects)
        assert_eq!(decide(&member(&[other]), &gated, true), Decision::Refused(Refusal::NeedsBadge));
        assert_eq!(decide(&member(&[]), &gated, true), Decision::Refused(Refusal::NeedsBadge));
        assert_eq!(decide(&member(&[]), &gated, false), Decision::Refused(Refusal::NoBadgeOpensIt));
        assert_eq!(decide(&Reader::Staff, &gated, true), Decision::ReadAsStaff);
        assert_eq!(decide(&Reader::Visitor, &gated, true), Decision::LogIn);
        assert_eq!(decide(&Reader::Key, &gated, true), Decision::Refused(Refusal::NotAPerson));
        let pending = Reader::Member { approved: false, permitted_badges: [staff].into_iter().collect() };
        assert_eq!(decide(&pending, &gated, true), Decision::Refused(Refusal::NotApproved));
    }

    #[test]
    fn a_page_without_badges_is_for_every_approved_member_only() {
        let open = page(true, vec![]);
        assert_eq!(decide(&member(&[]), &open, false), Decision::Read);
        assert_eq!(decide(&Reader::Visitor, &open, false), Decision::LogIn);
        let pending = Reader::Member { approved: false, permitted_badges: HashSet::new() };
        assert_eq!(decide(&pending, &open, false), Decision::Refused(Refusal::NotApproved));
        // its badges deleted since it was saved: closed, not opened to everyone
        let orphaned = page(false, vec![]);
        assert_eq!(decide(&member(&[]), &orphaned, false), Decision::Refused(Refusal::NoBadgeOpensIt));
        assert_eq!(decide(&Reader::Staff, &orphaned, false), Decision::ReadAsStaff);
    }
}
