//! Who calls a REST route, resolved by the same key lookup as every other edge
//! (`auth::resolve`), and this server's own address for the URLs the answers contain. A caller
//! without a valid key or token is refused here with a 401, and one over its key's allowance
//! with a 429, before anything else is read.

use super::error::ApiError;
use crate::auth::actor::Actor;
use crate::error::AppError;
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
        // the REST API takes keys and tokens only, never the dashboard's session cookie: a page
        // on another site can make a browser send cookies, never an Authorization header
        let Some(key) = crate::auth::api_key::from_headers(&parts.headers) else {
            return Err(AppError::Unauthorized.into());
        };
        let Some((record, actor)) = crate::auth::resolve::by_key(&state.store, key).await? else {
            return Err(AppError::Unauthorized.into());
        };
        if matches!(actor, Actor::Visitor) {
            return Err(AppError::Unauthorized.into());
        }
        if let Err(wait) = state.key_limits.check(record.id) {
            tracing::warn!(key = %record.prefix, "rate limited");
            let seconds = wait.as_secs().max(1);
            return Err(ApiError::from(AppError::TooManyRequests(format!(
                "Too many requests for this key; try again in {seconds} s"
            )))
            .retry_after(seconds));
        }
        let host = parts.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        // a host header is the client's to send: only a plain host[:port] makes it into a URL
        let host =
            if host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)) { host } else { "localhost" };
        let scheme = if state.config.is_https(&parts.headers) { "https" } else { "http" };
        Ok(Caller { actor, base: format!("{scheme}://{host}") })
    }
}
