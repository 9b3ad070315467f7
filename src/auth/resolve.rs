//! Who is calling, from the request's headers alone: the one place every edge (server
//! functions, plain handlers) learns it, so they cannot disagree.

use super::session;
use crate::domain::MemberStatus;
use crate::store::{AccountRecord, Store, StoreResult};
use chrono::Utc;
use http::HeaderMap;

/// The account of the request's session, if it has a valid one. Blocked members count as
/// logged out: blocking takes effect on their next request.
pub async fn account(store: &dyn Store, headers: &HeaderMap) -> StoreResult<Option<AccountRecord>> {
    let Some(token) = session::token_from_headers(headers) else {
        return Ok(None);
    };
    let account = store.session_account(&session::hash_token(&token), Utc::now()).await?;
    Ok(account.filter(|a| !a.member.as_ref().is_some_and(|m| m.status == MemberStatus::Blocked)))
}
