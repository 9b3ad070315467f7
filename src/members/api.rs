//! Server functions for members and the community.

use super::{DashboardStats, MemberRow, PublicMember};
use crate::error::AppError;
use crate::paging::Page;
#[cfg(feature = "ssr")]
use crate::paging::{offset, paged, PAGE_SIZE};
use leptos::prelude::*;

#[server]
pub async fn get_dashboard_stats() -> Result<DashboardStats, AppError> {
    use crate::auth::guard;
    guard::require_admin().await?;
    let c = guard::state()?.store.member_counts().await?;
    Ok(DashboardStats { members: c.total, pending: c.pending, public: c.public })
}

/// Every member, newest first: admins only.
#[server]
pub async fn list_members(page: i64) -> Result<Page<MemberRow>, AppError> {
    use crate::auth::guard;
    guard::require_admin().await?;
    let rows = guard::state()?.store.list_members(PAGE_SIZE + 1, offset(page)?).await?;
    Ok(paged(rows.into_iter().map(MemberRow::from).collect(), page))
}

/// The community directory: public, approved members only, to anyone.
#[server]
pub async fn community(page: i64) -> Result<Page<PublicMember>, AppError> {
    use crate::auth::guard;
    let rows = guard::state()?.store.list_public_members(PAGE_SIZE + 1, offset(page)?).await?;
    Ok(paged(rows.into_iter().map(PublicMember::from).collect(), page))
}

/// The logged-in member joins the community (public) or leaves it (private).
#[server]
pub async fn set_community_membership(join: bool) -> Result<(), AppError> {
    use crate::auth::guard;
    use crate::domain::PrivacyStatus;
    let account = guard::require_approved_member().await?;
    let member = account.member.expect("an approved member account has a member");
    let privacy = if join { PrivacyStatus::Public } else { PrivacyStatus::Private };
    guard::state()?.store.set_member_privacy(member.id, privacy).await?;
    tracing::info!(member = %member.id, ?privacy, "community membership changed");
    Ok(())
}
