//! The rules of webhooks: owners and admins only; a receiver URL, a body format and at least
//! one event type; at most `MAX_ENDPOINTS` endpoints. Nothing here fetches a receiver's URL:
//! only the worker sends, after the change that caused the event.

use super::worker::DeliveryWorker;
use super::{keys, DeliveryLog, Endpoint, LogEntry, WebhooksPage};
use crate::auth::actor::Actor;
use crate::domain::webhook::{receiver_url, EventType, WebhookFormat};
use crate::error::AppError;
use crate::store::{EndpointRecord, NewEndpoint, Store};
use base64::Engine;
use rand::RngCore;
use uuid::Uuid;

/// Endpoints a site may have.
pub const MAX_ENDPOINTS: usize = 20;
/// Attempts on one page of a delivery log.
pub const LOG_PAGE: i64 = 50;

/// Owners, admins, and Insignia itself (the command line).
fn staff(actor: &Actor) -> Result<(), AppError> {
    match actor {
        Actor::System => Ok(()),
        _ => actor.require_admin().map(|_| ()),
    }
}

impl From<EndpointRecord> for Endpoint {
    fn from(e: EndpointRecord) -> Self {
        Endpoint {
            id: e.id,
            url: e.url,
            secret: (e.format == WebhookFormat::Standard).then_some(e.secret),
            format: e.format,
            paused: e.paused,
            failing_since: e.failing_since,
            event_types: e.event_types,
        }
    }
}

/// A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

pub async fn page(store: &Store, actor: &Actor) -> Result<WebhooksPage, AppError> {
    staff(actor)?;
    let endpoints = store.endpoints().await?.into_iter().map(Endpoint::from).collect();
    Ok(WebhooksPage { endpoints, public_key_pem: keys::public_pem(store).await? })
}

/// Adds an endpoint: a receiver URL (https, or http to this machine), a format and the event
/// types it receives; each refused with its field's message.
pub async fn add(
    store: &Store,
    actor: &Actor,
    url: &str,
    format: &str,
    event_types: &[String],
) -> Result<Endpoint, AppError> {
    staff(actor)?;
    let url = receiver_url(url).map_err(|e| AppError::validation("url", e))?;
    let format = WebhookFormat::parse(format)
        .ok_or_else(|| AppError::validation("format", "Choose the SDK's format or Standard Webhooks"))?;
    let mut types = Vec::new();
    for name in event_types {
        let t = EventType::parse(name)
            .ok_or_else(|| AppError::validation("event_types", "Choose from the listed events"))?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if types.is_empty() {
        return Err(AppError::validation("event_types", "Choose at least one event"));
    }
    if store.endpoints().await?.len() >= MAX_ENDPOINTS {
        return Err(AppError::validation(
            "url",
            format!("A site has at most {MAX_ENDPOINTS} webhooks: delete one first"),
        ));
    }
    let created = store.create_endpoint(&NewEndpoint { url, format, secret: new_secret(), event_types: types }).await?;
    tracing::info!(endpoint = %created.id, account = ?actor.account_id(), "webhook added");
    Ok(created.into())
}

async fn existing(store: &Store, id: Uuid) -> Result<EndpointRecord, AppError> {
    store.endpoint(id).await?.ok_or(AppError::NOT_FOUND)
}

pub async fn set_paused(store: &Store, actor: &Actor, id: Uuid, paused: bool) -> Result<(), AppError> {
    staff(actor)?;
    if store.set_endpoint_paused(id, paused).await? {
        Ok(())
    } else {
        Err(AppError::NOT_FOUND)
    }
}

pub async fn delete(store: &Store, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    staff(actor)?;
    if store.delete_endpoint(id).await? {
        tracing::info!(endpoint = %id, account = ?actor.account_id(), "webhook deleted");
        Ok(())
    } else {
        Err(AppError::NOT_FOUND)
    }
}

/// Sends the endpoint the latest event of a type it receives, now: a real event, which a
/// receiver handling only its chosen types can process.
pub async fn send_test(store: &Store, worker: &DeliveryWorker, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    staff(actor)?;
    let endpoint = existing(store, id).await?;
    if endpoint.paused {
        return Err(AppError::validation("endpoint", "The webhook is paused: resume it first"));
    }
    match store.queue_latest_event(id).await? {
        Some(_) => {
            worker.wake();
            Ok(())
        }
        None => Err(AppError::validation(
            "endpoint",
            "Nothing to send yet: no event of the chosen types has happened. Make one (save a badge, say) and send again.",
        )),
    }
}

pub async fn redeliver(
    store: &Store,
    worker: &DeliveryWorker,
    actor: &Actor,
    endpoint_id: Uuid,
    delivery_id: i64,
) -> Result<(), AppError> {
    staff(actor)?;
    if store.redeliver(endpoint_id, delivery_id).await? {
        worker.wake();
        Ok(())
    } else {
        Err(AppError::NOT_FOUND)
    }
}

/// The endpoint's attempts, newest first, older than attempt `older` when given.
pub async fn log(store: &Store, actor: &Actor, id: Uuid, older: Option<i64>) -> Result<DeliveryLog, AppError> {
    staff(actor)?;
    let endpoint = existing(store, id).await?;
    let mut attempts = store.delivery_log(id, older, LOG_PAGE + 1).await?;
    let more = attempts.len() as i64 > LOG_PAGE;
    attempts.truncate(LOG_PAGE as usize);
    let older = if more { attempts.last().map(|a| a.id) } else { None };
    let entries = attempts
        .into_iter()
        .map(|a| LogEntry {
            attempt_id: a.id,
            delivery_id: a.delivery_id,
            at: a.attempted_at,
            event_type: a.event_type,
            event_id: a.event_id,
            attempt: a.attempt,
            status_code: a.status_code,
            duration_ms: a.duration_ms,
            error: a.error,
            delivery_status: a.delivery_status,
            next_retry: a.next_attempt_at,
        })
        .collect();
    Ok(DeliveryLog { endpoint: endpoint.into(), entries, older })
}
