//! What every request handler and server function can reach (through `use_context` in server
//! functions, `State` in plain handlers). At the bottom of the app: anything may import it, and
//! it imports nothing that serves requests.

use crate::store::SharedStore;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

/// What every request handler and server function can reach (through `use_context` in server
/// functions, `State` in plain handlers).
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: SharedStore,
    pub config: RuntimeConfig,
    /// Background assignment runs.
    pub jobs: crate::assignments::runner::JobRunner,
    /// REST requests allowed per key.
    pub key_limits: crate::rate_limit::KeyLimits,
}

#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub cookie_secure: bool,
    /// Trust the last `X-Forwarded-For` entry as the client's address (a reverse proxy's).
    pub behind_proxy: bool,
    pub session_ttl: chrono::Duration,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig { cookie_secure: false, behind_proxy: false, session_ttl: chrono::Duration::days(30) }
    }
}
