//! Who is calling, from the request's headers alone: the one place every edge (server
//! functions, plain handlers) learns it, so they cannot disagree.

use super::actor::Actor;
use super::session;
use crate::domain::MemberStatus;
use crate::store::{AccountRecord, Store, StoreResult};
use chrono::Utc;
use http::HeaderMap;

/// The account of the request's session, if it has a valid one. Blocked members count as
/// logged out: blocking takes effect on their next request.
async fn account(store: &Store, headers: &HeaderMap) -> StoreResult<Option<AccountRecord>> {
    let Some(token) = session::token_from_headers(headers) else {
        return Ok(None);
    };
    let account = store.session_account(&session::hash_token(&token), Utc::now()).await?;
    Ok(account.filter(|a| !a.member.as_ref().is_some_and(|m| m.status == MemberStatus::Blocked)))
}

/// The caller of a request: the session's account, else a visitor.
pub async fn actor(store: &Store, headers: &HeaderMap) -> StoreResult<Actor> {
    Ok(account(store, headers).await?.map_or(Actor::Visitor, |a| Actor::Account(Box::new(a))))
}

/// The axum extractor for plain handlers: `async fn handler(actor: Actor, …)`.
impl<S> axum::extract::FromRequestParts<S> for Actor
where
    S: Send + Sync,
    crate::store::SharedStore: axum::extract::FromRef<S>,
{
    type Rejection = crate::error::AppError;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let store = <crate::store::SharedStore as axum::extract::FromRef<S>>::from_ref(state);
        Ok(actor(&store, &parts.headers).await?)
    }
}
