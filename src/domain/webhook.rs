//! Webhooks as owners set them up: where to (a checked URL), in which body format, and which
//! event types (REST_CONTRACT §9), each standing for the (entity, action) pairs of the events it
//! is sent for.

use super::event::{EntityType, EventAction};
use crate::error::Invalid;
use serde::{Deserialize, Serialize};

/// The event types the published SDK has handlers for (REST_CONTRACT §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    BadgeCreated,
    BadgeUpdated,
    BadgeDeleted,
    AssignmentCreated,
    AssignmentDeleted,
    BadgeAssignedV3,
    BadgeUnassignedV3,
    MemberCreated,
    MemberUpdated,
    MemberDeleted,
}

use EventAction as A;

impl EventType {
    pub const ALL: [EventType; 10] = [
        EventType::BadgeCreated,
        EventType::BadgeUpdated,
        EventType::BadgeDeleted,
        EventType::AssignmentCreated,
        EventType::AssignmentDeleted,
        EventType::BadgeAssignedV3,
        EventType::BadgeUnassignedV3,
        EventType::MemberCreated,
        EventType::MemberUpdated,
        EventType::MemberDeleted,
    ];

    /// The `eventType` on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::BadgeCreated => "wix.badges.v4.badge_created",
            EventType::BadgeUpdated => "wix.badges.v4.badge_updated",
            EventType::BadgeDeleted => "wix.badges.v4.badge_deleted",
            EventType::AssignmentCreated => "wix.badges.v4.badge_assignment_created",
            EventType::AssignmentDeleted => "wix.badges.v4.badge_assignment_deleted",
            EventType::BadgeAssignedV3 => "wix.badges.v3.badge_badge_assigned",
            EventType::BadgeUnassignedV3 => "wix.badges.v3.badge_badge_unassigned",
            EventType::MemberCreated => "wix.members.v1.member_created",
            EventType::MemberUpdated => "wix.members.v1.member_updated",
            EventType::MemberDeleted => "wix.members.v1.member_deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// As the Webhooks page names it.
    pub fn label(self) -> &'static str {
        match self {
            EventType::BadgeCreated => "Badge created",
            EventType::BadgeUpdated => "Badge updated",
            EventType::BadgeDeleted => "Badge deleted",
            EventType::AssignmentCreated => "Badge assigned",
            EventType::AssignmentDeleted => "Badge unassigned",
            EventType::BadgeAssignedV3 => "Badge assigned (Badges V3, deprecated)",
            EventType::BadgeUnassignedV3 => "Badge unassigned (Badges V3, deprecated)",
            EventType::MemberCreated => "Member created",
            EventType::MemberUpdated => "Member updated (also joined, left, approved, blocked, muted)",
            EventType::MemberDeleted => "Member deleted",
        }
    }

    /// The events it is sent for. A member's named updates (joined, approved…) are updates to
    /// the SDK, which has no handler of their own for them.
    pub fn events(self) -> &'static [(EntityType, EventAction)] {
        use EntityType::{Badge, BadgeAssignment as Assignment, Member};
        match self {
            EventType::BadgeCreated => &[(Badge, A::Created)],
            EventType::BadgeUpdated => &[(Badge, A::Updated)],
            EventType::BadgeDeleted => &[(Badge, A::Deleted)],
            EventType::AssignmentCreated | EventType::BadgeAssignedV3 => &[(Assignment, A::Created)],
            EventType::AssignmentDeleted | EventType::BadgeUnassignedV3 => &[(Assignment, A::Deleted)],
            EventType::MemberCreated => &[(Member, A::Created)],
            EventType::MemberUpdated => &[
                (Member, A::Updated),
                (Member, A::Joined),
                (Member, A::Left),
                (Member, A::Approved),
                (Member, A::Blocked),
                (Member, A::Muted),
                (Member, A::Unmuted),
            ],
            EventType::MemberDeleted => &[(Member, A::Deleted)],
        }
    }
}

/// How a delivery's body is made and signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WebhookFormat {
    /// A JWT (RS256) the published SDK's `webhooks.process()` verifies with the site's public key.
    Sdk,
    /// Standard Webhooks: a JSON body and `webhook-*` headers signed with the endpoint's secret.
    Standard,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Sdk => "sdk",
            WebhookFormat::Standard => "standard",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [WebhookFormat::Sdk, WebhookFormat::Standard].into_iter().find(|f| f.as_str() == s)
    }
}

/// The longest receiver URL.
pub const MAX_URL: usize = 2048;

/// A receiver's URL: https anywhere, or http to this machine only (a receiver under test), with
/// a host, no user or password in it and no fragment. Only checked here: it is never fetched
/// while it is being saved.
pub fn receiver_url(raw: &str) -> Result<String, Invalid> {
    let url = raw.trim();
    if url.is_empty() {
        return Err(Invalid::required("A receiver URL is required"));
    }
    if url.len() > MAX_URL {
        return Err(Invalid::format(format!("At most {MAX_URL} characters")));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Invalid::format("A URL has no spaces"));
    }
    let (scheme, rest) = url.split_once("://").ok_or_else(|| Invalid::format("Start with https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(Invalid::format("No user name or password in the URL: Insignia signs what it sends"));
    }
    if url.contains('#') {
        return Err(Invalid::format("No #fragment: receivers never see it"));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.is_empty() {
        return Err(Invalid::format("The URL needs a host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if ["localhost", "127.0.0.1", "::1"].contains(&host.to_ascii_lowercase().as_str()) => Ok(url.to_owned()),
        "http" => Err(Invalid::format("Use https:// (plain http only to localhost)")),
        _ => Err(Invalid::format("Start with https://")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_read_back_and_cover_what_the_sdk_handles() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert!(!t.events().is_empty());
        }
        let member_updates = EventType::MemberUpdated.events();
        assert!(member_updates.contains(&(EntityType::Member, A::Joined)));
        assert!(!member_updates.contains(&(EntityType::Member, A::Deleted)));
    }

    #[test]
    fn receivers_are_https_or_local_http() {
        assert_eq!(receiver_url(" https://crm.example.com/hooks?x=1 ").unwrap(), "https://crm.example.com/hooks?x=1");
        assert!(receiver_url("http://localhost:8080/hook").is_ok());
        assert!(receiver_url("http://127.0.0.1:9/hook").is_ok());
        assert!(receiver_url("http://[::1]:9/hook").is_ok());
        for bad in [
            "",
            "crm.example.com",
            "http://crm.example.com/hook",
            "http://localhost.evil.example/",
            "ftp://example.com/",
            "javascript:alert(1)",
            "https://user:pw@example.com/",
            "https:///path",
            "https://example.com/a b",
            "https://example.com/#frag",
        ] {
            assert!(receiver_url(bad).is_err(), "{bad:?} accepted");
        }
        assert!(receiver_url(&format!("https://example.com/{}", "a".repeat(MAX_URL))).is_err());
    }
}
