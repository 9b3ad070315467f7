//! The server functions' adapter to the app: its state, and who is calling. Every server
//! function that reads or writes anything private starts from `actor()` and one of its
//! `require_*` proofs; hiding a button in the UI is not security.

use super::actor::Actor;
use crate::error::AppError;
use crate::state::AppState;
use leptos::prelude::*;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        match use_context::<http::request::Parts>() {
            Some(parts) => tracing::error!(uri = %parts.uri, "AppState missing from the server function context"),
            // No request either: a page's data loader still running after its browser went
            // away (the render was dropped and its reactive owner with it). Nothing to fix.
            None => tracing::debug!("a server function ran after its request ended"),
        }
        AppError::Internal
    })
}

/// The caller of this server function's request (see `resolve::actor`); a server function
/// running without a request (a page's loader after its browser left) is a visitor.
pub async fn actor() -> Result<Actor, AppError> {
    let state = state()?;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(Actor::Visitor);
    };
    Ok(super::resolve::actor(&state.store, &parts.headers, state.config.is_https(&parts.headers)).await?)
}
