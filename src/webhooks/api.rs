//! Server functions for the Webhooks page: who is calling, the form's fields, one service call.

use super::{DeliveryLog, Endpoint, WebhooksPage};
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[server]
pub async fn get_webhooks() -> Result<WebhooksPage, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::page(&guard::state()?.store, &actor).await
}

/// Adds an endpoint; `event_types` are the ticked event types (`event_types[i]`).
#[server]
pub async fn add_webhook(
    url: String,
    format: String,
    #[server(default)] event_types: Vec<String>,
) -> Result<Endpoint, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::add(&guard::state()?.store, &actor, &url, &format, &event_types).await
}

/// Pauses (`paused` = `true`) or resumes an endpoint.
#[server]
pub async fn pause_webhook(id: Uuid, paused: bool) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::set_paused(&guard::state()?.store, &actor, id, paused).await
}

#[server]
pub async fn delete_webhook(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::delete(&guard::state()?.store, &actor, id).await
}

#[server]
pub async fn send_test_event(id: Uuid) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let state = guard::state()?;
    super::service::send_test(&state.store, &state.webhooks, &actor, id).await
}

#[server]
pub async fn redeliver(id: Uuid, delivery_id: i64) -> Result<(), AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    let state = guard::state()?;
    super::service::redeliver(&state.store, &state.webhooks, &actor, id, delivery_id).await
}

/// An endpoint's delivery log, newest first; `older` is the previous page's "Older" place.
#[server]
pub async fn get_delivery_log(id: Uuid, older: Option<i64>) -> Result<DeliveryLog, AppError> {
    use crate::auth::guard;
    let actor = guard::actor().await?;
    super::service::log(&guard::state()?.store, &actor, id, older).await
}
