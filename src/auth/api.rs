//! Server functions for accounts and sessions.

use super::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::auth::{guard, service, session};
    pub use crate::state::AppState;
    pub use crate::store::AccountRecord;
    pub use leptos_axum::ResponseOptions;

    use crate::error::AppError;
    use leptos::prelude::*;

    /// Whether this request came over HTTPS: its session cookie is then the `__Host-` one.
    pub fn https(state: &AppState) -> bool {
        use_context::<http::request::Parts>().is_some_and(|parts| state.config.is_https(&parts.headers))
    }

    /// Opens a session for `account` and sends its cookie.
    pub async fn start_session(state: &AppState, account: &AccountRecord) -> Result<(), AppError> {
        let ttl = state.config.session_ttl;
        let token = service::open_session(&state.store, account, ttl).await?;
        let cookie = session::set_cookie(&token, ttl, https(state));
        set_cookie_header(&cookie);
        Ok(())
    }

    /// Ends the session the request's cookie names, if it names one.
    pub async fn end_request_session(state: &AppState) -> Result<(), AppError> {
        if let Some(parts) = use_context::<http::request::Parts>() {
            if let Some(token) = session::token_from_headers(&parts.headers, state.config.is_https(&parts.headers)) {
                service::close_session(&state.store, &token).await?;
            }
        }
        Ok(())
    }

    pub fn set_cookie_header(value: &str) {
        if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(value)) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }
}

/// The logged-in user, or `None` for a visitor.
#[server]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(ssr::guard::actor().await?.account().cloned().map(CurrentUser::from))
}

/// Whether the first-run setup is still open (no owner yet).
#[server]
pub async fn needs_setup() -> Result<bool, AppError> {
    let state = ssr::guard::state()?;
    ssr::service::needs_setup(&state.store).await
}

/// First run: creates the owner account and logs it in. Refused once an owner exists.
#[server]
pub async fn setup_owner(email: String, password: String, password_confirm: String) -> Result<(), AppError> {
    use ssr::*;
    let state = guard::state()?;
    if password != password_confirm {
        return Err(AppError::validation("password_confirm", "The two passwords differ"));
    }
    let account = service::create_owner(&state.store, &email, &password).await?;
    tracing::info!(account = %account.id, "owner account created");
    start_session(&state, &account).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

#[server]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use ssr::*;
    let state = guard::state()?;
    let from = use_context::<http::request::Parts>()
        .and_then(|parts| crate::server::client_address(&parts, state.config.behind_proxy));
    let account = service::authenticate(&state.store, &email, &password, from).await?;
    // the browser's earlier session (another account's, or a token planted before login) ends
    // here: a login always starts a fresh one
    end_request_session(&state).await?;
    start_session(&state, &account).await?;
    let user = CurrentUser::from(account);
    let to = super::safe_next_path(next.as_deref()).unwrap_or_else(|| user.home_path().to_owned());
    leptos_axum::redirect(&to);
    Ok(())
}

#[server]
pub async fn logout() -> Result<(), AppError> {
    use ssr::*;
    let state = guard::state()?;
    end_request_session(&state).await?;
    set_cookie_header(&session::clear_cookie(https(&state)));
    leptos_axum::redirect("/login");
    Ok(())
}

/// A visitor signs up as a member and is logged in.
#[server]
pub async fn sign_up(email: String, password: String, password_confirm: String) -> Result<(), AppError> {
    use ssr::*;
    let state = guard::state()?;
    if password != password_confirm {
        return Err(AppError::validation("password_confirm", "The two passwords differ"));
    }
    let account = service::sign_up(&state.store, &email, &password).await?;
    tracing::info!(account = %account.id, "member signed up");
    start_session(&state, &account).await?;
    leptos_axum::redirect("/profile");
    Ok(())
}

/// Ends every session of the logged-in account, on every device, this one included.
#[server]
pub async fn logout_everywhere() -> Result<(), AppError> {
    use ssr::*;
    let state = guard::state()?;
    let actor = guard::actor().await?;
    service::close_all_sessions(&state.store, &actor).await?;
    set_cookie_header(&session::clear_cookie(https(&state)));
    leptos_axum::redirect("/login");
    Ok(())
}
