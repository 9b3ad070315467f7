//! The audit log: every change to a badge, an assignment or a member, newest first, with who
//! made it and what it changed, in words. It reads the outbox (`store::events`) and nothing
//! else, so it can never disagree with what happened.

pub mod api;
#[cfg(feature = "ssr")]
pub mod describe;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::event::{ActorKind, EntityType, EventAction};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The order it was written in; the next page starts after the last one shown.
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    /// Who made the change (an email, a key's prefix, "Insignia"), as they were then.
    pub actor: String,
    pub actor_kind: ActorKind,
    pub entity_type: EntityType,
    pub entity_id: Uuid,
    /// What the entity is called: a badge's title, a member's name, "Night Owl → Ann Lee".
    pub entity_name: String,
    pub action: EventAction,
    /// What changed, a line per field: "title: Night Owl → Night Owls".
    pub changes: Vec<String>,
}

/// One page of the log, and where the next (older) one starts, if there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub older: Option<i64>,
}

/// The log's filters as the page's form (and the CSV link) send them: every one optional,
/// checked on the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilters {
    /// Part of who made the change.
    pub actor: Option<String>,
    /// `badge`, `badge_assignment` or `member`.
    pub entity_type: Option<String>,
    /// One entity's id (a member's or badge's history).
    pub entity: Option<String>,
    /// `created`, `updated`, `deleted`, `joined`…
    pub action: Option<String>,
    /// `YYYY-MM-DD`, from the start of that day (UTC).
    pub from: Option<String>,
    /// `YYYY-MM-DD`, to the end of that day (UTC).
    pub to: Option<String>,
}

impl AuditFilters {
    /// The filters as a query string (`actor=…&action=…`), without the blank ones: the CSV
    /// link of the page carries the filters the page shows.
    pub fn to_query(&self) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("entity_type", &self.entity_type),
            ("entity", &self.entity),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter_map(|(key, value)| value.as_deref().filter(|v| !v.trim().is_empty()).map(|v| (*key, v)))
            .map(|(key, value)| format!("{key}={}", crate::query_string::encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}
