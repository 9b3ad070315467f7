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
    /// Sends webhook deliveries.
    pub webhooks: crate::webhooks::worker::DeliveryWorker,
    /// Live dashboards' connections to this instance.
    pub live: crate::live::follower::LiveHub,
}

#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub cookie_secure: bool,
    /// Trust the last `X-Forwarded-For` entry as the client's address (a reverse proxy's).
    pub behind_proxy: bool,
    pub session_ttl: chrono::Duration,
    /// How long audit entries are kept; `None`: for good.
    pub audit_retention: Option<chrono::Duration>,
}

impl RuntimeConfig {
    /// Whether the request reached Insignia over HTTPS: always with `--cookie-secure`, and
    /// behind a proxy when the proxy says so (`X-Forwarded-Proto: https`, its last entry).
    /// Insignia itself speaks plain HTTP, so a direct request never is.
    pub fn is_https(&self, headers: &http::HeaderMap) -> bool {
        self.cookie_secure
            || (self.behind_proxy
                && headers
                    .get_all("x-forwarded-proto")
                    .iter()
                    .next_back()
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")))
    }
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            cookie_secure: false,
            behind_proxy: false,
            session_ttl: chrono::Duration::days(30),
            audit_retention: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RuntimeConfig;

    #[test]
    fn https_is_the_flag_or_a_trusted_proxys_word() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        let direct = RuntimeConfig::default();
        assert!(!direct.is_https(&headers), "a client's own header means nothing");
        let proxied = RuntimeConfig { behind_proxy: true, ..RuntimeConfig::default() };
        assert!(proxied.is_https(&headers));
        assert!(!proxied.is_https(&http::HeaderMap::new()));
        headers.insert("x-forwarded-proto", "https, http".parse().unwrap());
        assert!(!proxied.is_https(&headers), "the proxy's own entry is the last");
        assert!(RuntimeConfig { cookie_secure: true, ..RuntimeConfig::default() }.is_https(&http::HeaderMap::new()));
    }
}
