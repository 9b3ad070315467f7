//! `GET /dashboard/live`: the changes as Server-Sent Events, for owners and admins. Each event
//! carries its outbox place as its id, so a browser that reconnects (EventSource does so by
//! itself) sends `Last-Event-ID` and gets what it missed from the outbox first. Connections are
//! bounded per instance; one more is refused with 503 and the browser retries later.

use super::follower::LiveHub;
use super::Change;
use crate::auth::actor::Actor;
use crate::store::SharedStore;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Missed events sent again to a browser that reconnects; one that missed more reads its page
/// again.
const REPLAY: i64 = 500;

/// A change, named for its entity type so that a page listens only for what it shows.
fn event(change: &Change) -> Event {
    let data = serde_json::to_string(change).unwrap_or_default();
    Event::default().id(change.seq.to_string()).event(change.entity_type.as_str()).data(data)
}

/// Tells the page to read everything again: it missed more than can be told.
fn resync() -> Event {
    Event::default().event("resync").data("{}")
}

pub async fn live(
    State(store): State<SharedStore>,
    State(hub): State<LiveHub>,
    actor: Actor,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = actor.require_admin() {
        let status = match e {
            crate::error::AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            _ => StatusCode::FORBIDDEN,
        };
        return status.into_response();
    }
    let Ok(slot) = hub.slots.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "5")], "Too many live dashboards are open")
            .into_response();
    };
    // subscribed before the replay is read, so nothing falls between the two
    let changes = hub.subscribe();
    let last_seen: Option<i64> =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    let mut missed: Vec<Event> = Vec::new();
    let mut replayed_through = None;
    if let Some(after) = last_seen {
        match store.event_heads(after, REPLAY + 1).await {
            Ok(heads) if heads.len() as i64 > REPLAY => missed.push(resync()),
            Ok(heads) => {
                replayed_through = heads.last().map(|h| h.seq);
                missed.extend(heads.into_iter().map(|h| {
                    event(&Change { seq: h.seq, entity_type: h.entity_type, entity_id: h.entity_id, action: h.action })
                }));
            }
            Err(e) => {
                tracing::warn!(error = %e, "live: cannot replay missed events");
                missed.push(resync());
            }
        }
    }
    let replay = futures_util::stream::iter(missed.into_iter().map(Ok::<_, Infallible>));
    let follow = futures_util::stream::unfold(
        (changes, slot, std::collections::VecDeque::<Event>::new()),
        move |(mut changes, slot, mut ready)| async move {
            loop {
                if let Some(next) = ready.pop_front() {
                    return Some((Ok(next), (changes, slot, ready)));
                }
                let first = match changes.recv().await {
                    Ok(change) => change,
                    Err(RecvError::Lagged(_)) => return Some((Ok(resync()), (changes, slot, ready))),
                    Err(RecvError::Closed) => return None,
                };
                // what else is already waiting goes out as one change per entity type (the
                // latest): a page reads itself again per type, not per row
                let mut batch = vec![first];
                loop {
                    match changes.try_recv() {
                        Ok(change) => batch.push(change),
                        Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) => {
                            batch.clear();
                            ready.push_back(resync());
                            break;
                        }
                        Err(_) => break,
                    }
                }
                batch.retain(|c| replayed_through.is_none_or(|r| c.seq > r));
                for kind in crate::domain::event::EntityType::ALL {
                    if let Some(latest) = batch.iter().rev().find(|c| c.entity_type == kind) {
                        ready.push_back(event(latest));
                    }
                }
            }
        },
    );
    use futures_util::StreamExt;
    Sse::new(replay.chain(follow)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
