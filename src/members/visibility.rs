//! Who sees which members: the one rule every list, profile, badge page and photo follows.

use super::Fieldset;
use crate::auth::actor::Actor;
use crate::domain::{MemberStatus, PrivacyStatus, Scope};
use crate::store::MemberRecord;

/// Whether `viewer` sees every holder of a badge, and so its full holder count: admins, site
/// keys and Insignia itself. Anyone else sees (and counts) only public, approved holders, as
/// `fieldset_for` shows them.
pub fn sees_all_holders(viewer: &Actor) -> bool {
    viewer.is_admin() || matches!(viewer, Actor::ApiKey(_) | Actor::System)
}

/// The most of `member` that `viewer` may see, capped at `wanted`; `None` when the member is
/// invisible to them. Admins, site keys that may read members, and the member themself see
/// everything; anyone else sees only the PUBLIC fieldset, and only of public, approved members:
/// a private member does not exist for them.
pub fn fieldset_for(viewer: &Actor, member: &MemberRecord, wanted: Fieldset) -> Option<Fieldset> {
    let is_self = viewer.own_member().is_some_and(|m| m.id == member.id);
    let reads_members = matches!(viewer, Actor::ApiKey(_)) && viewer.require(Scope::MembersRead).is_ok();
    if viewer.is_admin() || matches!(viewer, Actor::System) || reads_members || is_self {
        Some(wanted)
    } else if member.privacy_status == PrivacyStatus::Public && member.status == MemberStatus::Approved {
        Some(Fieldset::Public)
    } else {
        None
    }
}
