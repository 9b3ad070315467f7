//! Members as the dashboard and the community pages show them.

pub mod api;

use crate::domain::{MemberStatus, PrivacyStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A member's contact details, as in the Members API's `contact` (lists are read and written
/// whole).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthdate: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub addresses: Vec<Address>,
}

impl Contact {
    /// "First Last", or whichever of the two there is.
    pub fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first_name, &self.last_name].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A postal address (the Members API's `Address`, with `addressLine` rather than a street
/// number and name).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    pub id: Uuid,
    pub address_line: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-2, e.g. `US-NY`.
    pub subdivision: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `US`.
    pub country: Option<String>,
    pub postal_code: Option<String>,
}

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
