//! Events: what changed (an entity and an action), who changed it, and when. Every change to a
//! badge, an assignment or a member records one in the transaction of the change (the outbox,
//! `store::events`); the audit log, webhooks and live dashboards read them.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    Badge,
    BadgeAssignment,
    Member,
}

impl EntityType {
    pub const ALL: [EntityType; 3] = [EntityType::Badge, EntityType::BadgeAssignment, EntityType::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Badge => "badge",
            EntityType::BadgeAssignment => "badge_assignment",
            EntityType::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// As the audit log names it.
    pub fn label(self) -> &'static str {
        match self {
            EntityType::Badge => "Badge",
            EntityType::BadgeAssignment => "Assignment",
            EntityType::Member => "Member",
        }
    }
}

/// For database rows, which hold the text.
impl TryFrom<String> for EntityType {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        EntityType::parse(&s).ok_or_else(|| format!("unknown entity type {s:?}"))
    }
}

/// What happened to the entity. `Joined` … `Unmuted` are member updates with a name of their
/// own: the audit log says which, and webhooks send them as updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    Created,
    Updated,
    Deleted,
    Joined,
    Left,
    Approved,
    Blocked,
    Muted,
    Unmuted,
}

impl EventAction {
    pub const ALL: [EventAction; 9] = [
        EventAction::Created,
        EventAction::Updated,
        EventAction::Deleted,
        EventAction::Joined,
        EventAction::Left,
        EventAction::Approved,
        EventAction::Blocked,
        EventAction::Muted,
        EventAction::Unmuted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventAction::Created => "created",
            EventAction::Updated => "updated",
            EventAction::Deleted => "deleted",
            EventAction::Joined => "joined",
            EventAction::Left => "left",
            EventAction::Approved => "approved",
            EventAction::Blocked => "blocked",
            EventAction::Muted => "muted",
            EventAction::Unmuted => "unmuted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// For database rows, which hold the text.
impl TryFrom<String> for EventAction {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        EventAction::parse(&s).ok_or_else(|| format!("unknown action {s:?}"))
    }
}

impl fmt::Display for EventAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A dashboard session (an owner, an admin or a member).
    Account,
    /// A site API key.
    ApiKey,
    /// A member's personal API token.
    MemberToken,
    /// Insignia itself: background runs, CSV imports, the command line.
    System,
    /// Someone not logged in: a sign-up.
    Visitor,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] =
        [ActorKind::Account, ActorKind::ApiKey, ActorKind::MemberToken, ActorKind::System, ActorKind::Visitor];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Account => "account",
            ActorKind::ApiKey => "api_key",
            ActorKind::MemberToken => "member_token",
            ActorKind::System => "system",
            ActorKind::Visitor => "visitor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who made a change, as the record keeps it: the kind, the id of the account, key or token
/// (none for Insignia itself and visitors), and what to call them as they were at the time (an
/// email, a key's prefix), so the record reads the same after the account or key is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedBy {
    pub kind: ActorKind,
    pub id: Option<Uuid>,
    pub label: String,
}

impl ChangedBy {
    /// Insignia itself.
    pub fn system() -> Self {
        ChangedBy { kind: ActorKind::System, id: None, label: "Insignia".to_owned() }
    }

    /// A background run ("assign to all matching", a CSV import, a by-filter job): Insignia
    /// itself, with the run's id.
    pub fn run(job_id: Uuid) -> Self {
        ChangedBy { kind: ActorKind::System, id: Some(job_id), label: "Background run".to_owned() }
    }

    /// Someone not logged in (a sign-up).
    pub fn visitor() -> Self {
        ChangedBy { kind: ActorKind::Visitor, id: None, label: "Visitor".to_owned() }
    }

    pub fn account(id: Uuid, email: &str) -> Self {
        ChangedBy { kind: ActorKind::Account, id: Some(id), label: email.to_owned() }
    }

    pub fn api_key(id: Uuid, prefix: &str) -> Self {
        ChangedBy { kind: ActorKind::ApiKey, id: Some(id), label: prefix.to_owned() }
    }

    /// A member's token: the token's id, and the member's email with the token's prefix.
    pub fn member_token(id: Uuid, email: &str, prefix: &str) -> Self {
        ChangedBy { kind: ActorKind::MemberToken, id: Some(id), label: format!("{email} ({prefix})") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for t in EntityType::ALL {
            assert_eq!(EntityType::parse(t.as_str()), Some(t));
        }
        for a in EventAction::ALL {
            assert_eq!(EventAction::parse(a.as_str()), Some(a));
        }
        for k in ActorKind::ALL {
            assert_eq!(ActorKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EventAction::parse("Created"), None);
        assert_eq!(EntityType::parse(""), None);
    }
}
