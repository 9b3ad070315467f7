//! Live dashboards: open dashboard pages follow changes without a reload. Each instance follows
//! the outbox (`follower`) and tells its connected browsers over Server-Sent Events
//! (`GET /dashboard/live`) which entity changed; the pages read their data again. On
//! PostgreSQL an event committed on any instance wakes every instance's follower (`LISTEN`);
//! on SQLite the one process polls.

#[cfg(feature = "ssr")]
pub mod follower;
#[cfg(feature = "ssr")]
pub mod stream;
pub mod watch;

use crate::domain::event::{EntityType, EventAction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a browser is told of a change: its place in the outbox and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub entity_type: EntityType,
    pub entity_id: Uuid,
    pub action: EventAction,
}

/// Where browsers connect.
pub const PATH: &str = "/dashboard/live";
