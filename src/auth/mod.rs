//! Accounts, sessions and roles.
//!
//! Sessions are random tokens in an HttpOnly, SameSite=Lax cookie; the database keeps only their
//! SHA-256, so any instance on a shared PostgreSQL serves any request. Every server function
//! authorizes through `guard` before it touches anything.

#[cfg(feature = "ssr")]
pub mod actor;
pub mod api;
#[cfg(feature = "ssr")]
pub mod api_key;
pub mod context;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod key_api;
#[cfg(feature = "ssr")]
pub mod key_service;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod resolve;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod signing;

use crate::domain::{MemberStatus, PrivacyStatus, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who is logged in, as the pages see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub account_id: Uuid,
    pub email: String,
    pub role: Role,
    pub member: Option<OwnMember>,
}

/// The logged-in member's own record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnMember {
    pub id: Uuid,
    pub status: MemberStatus,
    pub privacy_status: PrivacyStatus,
    pub slug: String,
    pub nickname: Option<String>,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role.is_admin()
    }

    /// Where this user lands after logging in.
    pub fn home_path(&self) -> &'static str {
        if self.is_admin() {
            "/dashboard"
        } else {
            "/profile"
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::AccountRecord> for CurrentUser {
    fn from(a: crate::store::AccountRecord) -> Self {
        CurrentUser {
            account_id: a.id,
            email: a.email,
            role: a.role,
            member: a.member.map(|m| OwnMember {
                id: m.id,
                status: m.status,
                privacy_status: m.privacy_status,
                slug: m.slug,
                nickname: m.nickname,
            }),
        }
    }
}

/// Only a local path is an acceptable place to go after logging in: an absolute URL or a
/// protocol-relative `//host` would make the login page an open redirect.
pub fn safe_next_path(next: Option<&str>) -> Option<String> {
    let next = next?;
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains("://")
        && next.chars().all(|c| !c.is_control());
    ok.then(|| next.to_owned())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::safe_next_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next_path(Some("/dashboard/members")).as_deref(), Some("/dashboard/members"));
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "dashboard", "/x\n"] {
            assert_eq!(safe_next_path(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(safe_next_path(None), None);
    }

    /// Paths that start the way off-site addresses do, then anything.
    pub fn tricky_path() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let start = prop_oneof![
            Just(""),
            Just("/"),
            Just("//"),
            Just("/\\"),
            Just("\\"),
            Just("/\t/"),
            Just("/\n/"),
            Just("https:"),
            Just("/%2F")
        ];
        (start, "[/\\\\a-z@:.?#%\t\n ]{0,12}|\\PC{0,6}").prop_map(|(start, rest)| format!("{start}{rest}"))
    }

    proptest::proptest! {
        /// Whatever `next` a link carries, the browser lands on this site: checked with a WHATWG
        /// URL parser, which reads `\\`, tabs and newlines the way browsers do.
        #[test]
        fn never_an_off_site_redirect(next in crate::auth::tests::tricky_path()) {
            if let Some(path) = safe_next_path(Some(&next)) {
                let site = reqwest::Url::parse("https://badges.example/login").unwrap();
                let to = site.join(&path).unwrap();
                proptest::prop_assert_eq!(to.origin(), site.origin(), "{:?} went to {}", next, to);
            }
        }
    }
}
