//! Who is calling, from the request's headers alone: the one place every edge (server
//! functions, plain handlers) learns it, so they cannot disagree.

use super::actor::{Actor, KeyActor, Via};
use super::{api_key, session};
use crate::domain::{MemberStatus, Scopes};
use crate::store::{AccountRecord, ApiKeyRecord, Store, StoreResult};
use chrono::Utc;
use http::HeaderMap;

/// The account of the request's session, if it has a valid one. Blocked members count as
/// logged out: blocking takes effect on their next request.
async fn account(store: &Store, headers: &HeaderMap, https: bool) -> StoreResult<Option<AccountRecord>> {
    let Some(token) = session::token_from_headers(headers, https) else {
        return Ok(None);
    };
    Ok(unless_blocked(store.session_account(&session::hash_token(&token), Utc::now()).await?))
}

/// A blocked member counts as logged out, whether by session or by token.
fn unless_blocked(account: Option<AccountRecord>) -> Option<AccountRecord> {
    account.filter(|a| !a.member.as_ref().is_some_and(|m| m.status == MemberStatus::Blocked))
}

/// The key or member token a request presents and the caller behind it; `None` for a key
/// that is unknown or revoked, and a visitor for one whose member is gone or blocked.
pub async fn by_key(store: &Store, key: &str) -> StoreResult<Option<(ApiKeyRecord, Actor)>> {
    let Some(prefix) = api_key::prefix_of(key) else { return Ok(None) };
    let Some((record, hash)) = store.api_key_by_prefix(prefix).await? else { return Ok(None) };
    if !api_key::matches(key, &hash) {
        return Ok(None);
    }
    let now = Utc::now();
    // "last used" is kept to the minute: no write on most requests
    if record.last_used_at.is_none_or(|t| now - t > chrono::Duration::minutes(1)) {
        store.touch_api_key(record.id, now).await?;
    }
    let actor = match record.member_id {
        Some(member_id) => {
            let account = unless_blocked(store.account_of_member(member_id).await?);
            let via = Via::Token { id: record.id, prefix: record.prefix.clone() };
            account.map_or(Actor::Visitor, |a| Actor::Account(Box::new(a), via))
        }
        None => match Scopes::parse(&record.scopes) {
            Ok(scopes) => Actor::ApiKey(Box::new(KeyActor { key: record.clone(), scopes })),
            Err(e) => {
                tracing::error!(key = %record.prefix, error = %e, "stored key has unreadable scopes");
                Actor::Visitor
            }
        },
    };
    Ok(Some((record, actor)))
}

/// The caller of a dashboard request (server functions, pages, images): the session's
/// account, else a visitor. Keys and tokens are the REST API's (`by_key`, through its own
/// extractor) and mean nothing here: a leaked token cannot mint more tokens, end sessions or
/// edit a profile, and every use of one passes the REST rate limit.
pub async fn actor(store: &Store, headers: &HeaderMap, https: bool) -> StoreResult<Actor> {
    Ok(account(store, headers, https).await?.map_or(Actor::Visitor, |a| Actor::Account(Box::new(a), Via::Session)))
}

/// The axum extractor for plain handlers: `async fn handler(actor: Actor, …)`.
impl<S> axum::extract::FromRequestParts<S> for Actor
where
    S: Send + Sync,
    crate::store::SharedStore: axum::extract::FromRef<S>,
    crate::state::RuntimeConfig: axum::extract::FromRef<S>,
{
    type Rejection = crate::error::AppError;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let store = <crate::store::SharedStore as axum::extract::FromRef<S>>::from_ref(state);
        let config = <crate::state::RuntimeConfig as axum::extract::FromRef<S>>::from_ref(state);
        Ok(actor(&store, &parts.headers, config.is_https(&parts.headers)).await?)
    }
}
