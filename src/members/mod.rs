//! Members as the dashboard and the community pages show them.

pub mod api;

use crate::domain::{MemberStatus, PrivacyStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A row of the admin member list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: Uuid,
    pub login_email: String,
    pub nickname: Option<String>,
    pub slug: String,
    pub status: MemberStatus,
    pub privacy_status: PrivacyStatus,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// A member as anyone may see them in the community directory: no email, no dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicMember {
    pub slug: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub members: i64,
    pub pending: i64,
    pub public: i64,
}

#[cfg(feature = "ssr")]
impl From<crate::store::MemberRecord> for MemberRow {
    fn from(m: crate::store::MemberRecord) -> Self {
        MemberRow {
            id: m.id,
            login_email: m.login_email,
            nickname: m.nickname,
            slug: m.slug,
            status: m.status,
            privacy_status: m.privacy_status,
            created_at: m.created_at,
            last_login_at: m.last_login_at,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::MemberRecord> for PublicMember {
    fn from(m: crate::store::MemberRecord) -> Self {
        PublicMember { display_name: m.nickname.unwrap_or_else(|| m.slug.clone()), slug: m.slug }
    }
}
