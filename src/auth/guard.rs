//! Server-side authorization for server functions. Every server function that reads or writes
//! anything private starts with one of these; hiding a button in the UI is not security.

use crate::domain::MemberStatus;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::AccountRecord;
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

/// The account of the request's session (see `resolve::account`).
pub async fn current_account() -> Result<Option<AccountRecord>, AppError> {
    let state = state()?;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    Ok(super::resolve::account(&*state.store, &parts.headers).await?)
}

/// Any logged-in account.
pub async fn require_login() -> Result<AccountRecord, AppError> {
    current_account().await?.ok_or(AppError::Unauthorized)
}

/// An owner or admin.
pub async fn require_admin() -> Result<AccountRecord, AppError> {
    let account = require_login().await?;
    if account.role.is_admin() {
        Ok(account)
    } else {
        tracing::warn!(account = %account.id, "refused: admin only");
        Err(AppError::Forbidden)
    }
}

/// A member account whose member is approved (pending members may only see their own status).
pub async fn require_approved_member() -> Result<AccountRecord, AppError> {
    let account = require_login().await?;
    match &account.member {
        Some(m) if m.status == MemberStatus::Approved => Ok(account),
        _ => Err(AppError::Forbidden),
    }
}
