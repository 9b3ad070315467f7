//! Webhooks: events sent to the receivers owners add (Dashboard → Settings → Webhooks), signed
//! so that receivers can trust them, at least once, retried with backoff for about a day.
//! Deliveries are queued with their events in the change's transaction (`store::events`); a
//! worker in every instance sends them (`worker`), so a slow or dead receiver never slows the
//! change that caused the event.

pub mod api;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod payload;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod worker;

use crate::domain::webhook::{EventType, WebhookFormat};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An endpoint as the Webhooks page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub format: WebhookFormat,
    /// The Standard Webhooks signing secret (`whsec_…`), which the receiver needs; `None` for
    /// the SDK format, which is signed with the site's key.
    pub secret: Option<String>,
    pub paused: bool,
    /// Since when deliveries to it have been giving up, if they are.
    pub failing_since: Option<DateTime<Utc>>,
    pub event_types: Vec<EventType>,
}

/// The Webhooks page: the endpoints and the public key SDK-format receivers verify with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksPage {
    pub endpoints: Vec<Endpoint>,
    /// SPKI PEM, with its line breaks.
    pub public_key_pem: String,
}

/// One attempt in an endpoint's delivery log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub attempt_id: i64,
    pub delivery_id: i64,
    pub at: DateTime<Utc>,
    pub event_type: String,
    pub event_id: Uuid,
    pub attempt: i64,
    /// The receiver's answer; `None` when it could not be reached.
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
    /// PENDING, DELIVERED or FAILED.
    pub delivery_status: String,
    pub next_retry: Option<DateTime<Utc>>,
}

/// An endpoint's delivery log, newest first, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLog {
    pub endpoint: Endpoint,
    pub entries: Vec<LogEntry>,
    pub older: Option<i64>,
}
