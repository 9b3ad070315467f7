//! Who calls a REST route, resolved as for every other edge (`auth::resolve`), and this
//! server's own address for the URLs the answers contain. A caller without a valid key or
//! token is refused here, with a 401, before anything else is read.

use super::error::ApiError;
use crate::auth::actor::Actor;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use http::request::Parts;

pub struct Caller {
    pub actor: Actor,
    /// `http(s)://host` as the caller reached this server.
    pub base: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let actor = crate::auth::resolve::actor(&state.store, &parts.headers).await?;
        // every REST operation needs a key or token: without one (or with a bad one) nothing
        // else about the request is looked at
        if matches!(actor, Actor::Visitor) {
            return Err(crate::error::AppError::Unauthorized.into());
        }
        let host = parts.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        // a host header is the client's to send: only a plain host[:port] makes it into a URL
        let host =
            if host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)) { host } else { "localhost" };
        let scheme = if state.config.cookie_secure { "https" } else { "http" };
        Ok(Caller { actor, base: format!("{scheme}://{host}") })
    }
}
