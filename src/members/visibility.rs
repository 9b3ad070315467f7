//! Who sees which members: the one rule every list, profile, badge page and photo follows.

use super::Fieldset;
use crate::auth::actor::Actor;
use crate::domain::{MemberStatus, PrivacyStatus};
use crate::store::MemberRecord;

/// The most of `member` that `viewer` may see, capped at `wanted`; `None` when the member is
/// invisible to them. Admins and the member themself see everything; anyone else sees only the
/// PUBLIC fieldset, and only of public, approved members: a private member does not exist for
/// them.
pub fn fieldset_for(viewer: &Actor, member: &MemberRecord, wanted: Fieldset) -> Option<Fieldset> {
    let is_self = viewer.own_member().is_some_and(|m| m.id == member.id);
    if viewer.is_admin() || matches!(viewer, Actor::System) || is_self {
        Some(wanted)
    } else if member.privacy_status == PrivacyStatus::Public && member.status == MemberStatus::Approved {
        Some(Fieldset::Public)
    } else {
        None
    }
}
