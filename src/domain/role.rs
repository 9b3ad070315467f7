use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// Who an account is. Owners and admins run the dashboard; members use the community pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn is_admin(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// A member's standing, as in the Members API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MemberStatus {
    Pending,
    Approved,
    Blocked,
    Offline,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Pending => "PENDING",
            MemberStatus::Approved => "APPROVED",
            MemberStatus::Blocked => "BLOCKED",
            MemberStatus::Offline => "OFFLINE",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberStatus::Pending => "Waiting for approval",
            MemberStatus::Approved => "Approved",
            MemberStatus::Blocked => "Blocked",
            MemberStatus::Offline => "Offline",
        }
    }
}

/// Whether a member is part of the public community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PrivacyStatus {
    Private,
    Public,
}

impl PrivacyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyStatus::Private => "PRIVATE",
            PrivacyStatus::Public => "PUBLIC",
        }
    }
}

/// Whether a member may post and interact (the community's mute switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ActivityStatus {
    Active,
    Muted,
}

impl ActivityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityStatus::Active => "ACTIVE",
            ActivityStatus::Muted => "MUTED",
        }
    }
}

macro_rules! parse_from_str {
    ($t:ty, $($s:literal => $v:expr),+ $(,)?) => {
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($s => Ok($v),)+
                    other => Err(format!("unknown {} {other:?}", stringify!($t))),
                }
            }
        }
        /// For database rows, which hold the text.
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

parse_from_str!(Role, "owner" => Role::Owner, "admin" => Role::Admin, "member" => Role::Member);
parse_from_str!(MemberStatus, "PENDING" => MemberStatus::Pending, "APPROVED" => MemberStatus::Approved,
    "BLOCKED" => MemberStatus::Blocked, "OFFLINE" => MemberStatus::Offline);
parse_from_str!(PrivacyStatus, "PRIVATE" => PrivacyStatus::Private, "PUBLIC" => PrivacyStatus::Public);
parse_from_str!(ActivityStatus, "ACTIVE" => ActivityStatus::Active, "MUTED" => ActivityStatus::Muted);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for r in [Role::Owner, Role::Admin, Role::Member] {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        for s in [MemberStatus::Pending, MemberStatus::Approved, MemberStatus::Blocked, MemberStatus::Offline] {
            assert_eq!(s.as_str().parse::<MemberStatus>().unwrap(), s);
        }
        for p in [PrivacyStatus::Private, PrivacyStatus::Public] {
            assert_eq!(p.as_str().parse::<PrivacyStatus>().unwrap(), p);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_owner_and_admin_are_admins() {
        assert!(Role::Owner.is_admin());
        assert!(Role::Admin.is_admin());
        assert!(!Role::Member.is_admin());
    }
}
