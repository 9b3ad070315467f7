//! Paging as the SDK sends it (REST_CONTRACT §3.2): offset paging (`paging{limit, offset}`,
//! answered with `total`) and cursor paging (`cursorPaging{limit, cursor}`), where a cursor
//! alone carries the filter, the sort and the position — the SDK's `next()` sends nothing
//! else. Cursors are signed with the site's secret (HMAC-SHA256), so a client can neither
//! forge one nor change the filter inside it.

use super::error::ApiError;
use super::wire::PagingMetadata;
use crate::auth::signing;
use crate::error::Invalid;
use crate::store::Store;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

/// The default and largest page.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 100;
/// The longest cursor the contract allows.
const MAX_CURSOR: usize = 16_000;

/// What a cursor carries: the query's filter and sort as sent, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorState {
    #[serde(rename = "f")]
    pub filter: Value,
    #[serde(rename = "s")]
    pub sort: Value,
    #[serde(rename = "o")]
    pub offset: i64,
}

/// How a query asked to be paged.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    Offset {
        offset: i64,
        limit: i64,
    },
    /// A first page (`state: None`, filter and sort from the query) or a later one.
    Cursor {
        state: Option<CursorState>,
        limit: i64,
    },
}

fn limit_of(paging: Option<&Value>, path: &str) -> Result<i64, ApiError> {
    match paging.and_then(|p| p.get("limit")) {
        None | Some(Value::Null) => Ok(DEFAULT_LIMIT),
        Some(v) => match v.as_i64() {
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => {
                Err(ApiError::invalid(&format!("{path}.limit"), Invalid::format(format!("limit is 1 to {MAX_LIMIT}"))))
            }
        },
    }
}

/// Reads `paging` or `cursorPaging` of a query object (at `path`, e.g. `query`).
pub async fn parse(store: &Store, query: &Value, path: &str) -> Result<Paging, ApiError> {
    if let Some(cursor_paging) = query.get("cursorPaging").filter(|v| !v.is_null()) {
        let at = format!("{path}.cursorPaging");
        let limit = limit_of(Some(cursor_paging), &at)?;
        let state = match cursor_paging.get("cursor").and_then(Value::as_str).filter(|c| !c.is_empty()) {
            Some(cursor) => {
                Some(open(store, cursor).await.map_err(|e| e.on_fields(&[("cursor", &format!("{at}.cursor"))]))?)
            }
            None => None,
        };
        return Ok(Paging::Cursor { state, limit });
    }
    let paging = query.get("paging").filter(|v| !v.is_null());
    let at = format!("{path}.paging");
    let offset = match paging.and_then(|p| p.get("offset")) {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_i64()
            .filter(|n| (0..=1_000_000).contains(n))
            .ok_or_else(|| ApiError::invalid(&format!("{at}.offset"), Invalid::format("offset is 0 to 1,000,000")))?,
    };
    Ok(Paging::Offset { offset, limit: limit_of(paging, &at)? })
}

/// A query's filter, sort and window, whichever way it was paged: from the query itself (offset
/// paging, or a first cursor page), or from the cursor (a later cursor page).
#[derive(Debug, Clone)]
pub struct Page {
    pub filter: Option<Value>,
    pub sort: Option<Value>,
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    /// Reads the paging of a query object (at `path`) and where its filter and sort are;
    /// `sort_key` is where the query keeps its sort (`sort`, or Members' `sorting`).
    pub async fn of(store: &Store, query: &Value, path: &str, sort_key: &str) -> Result<Page, ApiError> {
        Ok(match parse(store, query, path).await? {
            Paging::Offset { offset, limit } => {
                Page { filter: query.get("filter").cloned(), sort: query.get(sort_key).cloned(), offset, limit }
            }
            Paging::Cursor { state: Some(CursorState { filter, sort, offset }), limit } => {
                Page { filter: Some(filter), sort: Some(sort), offset, limit }
            }
            Paging::Cursor { state: None, limit } => {
                Page { filter: query.get("filter").cloned(), sort: query.get(sort_key).cloned(), offset: 0, limit }
            }
        })
    }

    pub fn window(&self) -> crate::domain::query::Window {
        crate::domain::query::Window { offset: self.offset, limit: self.limit }
    }

    /// The metadata of the page answered (`count` rows of `total`), with signed cursors to the
    /// next page (only when there is one) and the previous one.
    pub async fn metadata(&self, store: &Store, count: usize, total: i64) -> Result<PagingMetadata, ApiError> {
        let at = |offset: i64| CursorState {
            filter: self.filter.clone().unwrap_or(Value::Null),
            sort: self.sort.clone().unwrap_or(Value::Null),
            offset,
        };
        let next = if self.offset + (count as i64) < total {
            Some(seal(store, &at(self.offset + self.limit)).await?)
        } else {
            None
        };
        let prev =
            if self.offset > 0 { Some(seal(store, &at((self.offset - self.limit).max(0))).await?) } else { None };
        Ok(PagingMetadata::new(count, self.offset, total, next, prev))
    }
}

/// The cursors' signature over `payload`.
async fn mac(store: &Store, payload: &str) -> Result<Hmac<Sha256>, ApiError> {
    Ok(signing::mac(&signing::key(store, "cursor").await?, &[payload.as_bytes()]))
}

/// A signed cursor for `state`.
pub async fn seal(store: &Store, state: &CursorState) -> Result<String, ApiError> {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(state).map_err(|_| crate::error::AppError::Internal)?);
    let tag = URL_SAFE_NO_PAD.encode(mac(store, &payload).await?.finalize().into_bytes());
    let cursor = format!("{payload}.{tag}");
    if cursor.len() > MAX_CURSOR {
        // never hand out a cursor `open` would refuse
        return Err(ApiError::invalid(
            "query.filter",
            Invalid::max_length(format!("a filter paged by cursor fits in {MAX_CURSOR} characters")),
        ));
    }
    Ok(cursor)
}

/// The state of a cursor this site signed; anything else is a 400.
pub async fn open(store: &Store, cursor: &str) -> Result<CursorState, ApiError> {
    let refused = || ApiError::invalid("cursor", Invalid::format("not a cursor this server gave out"));
    if cursor.len() > MAX_CURSOR {
        return Err(refused());
    }
    let (payload, tag) = cursor.split_once('.').ok_or_else(refused)?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| refused())?;
    mac(store, payload).await?.verify_slice(&tag).map_err(|_| refused())?;
    let json = URL_SAFE_NO_PAD.decode(payload).map_err(|_| refused())?;
    serde_json::from_slice(&json).map_err(|_| refused())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn cursors_round_trip_and_refuse_tampering() {
        let store = crate::store::connect("sqlite::memory:").await.unwrap();
        let state = CursorState { filter: json!({"title": "a"}), sort: json!([]), offset: 50 };
        let cursor = seal(&store, &state).await.unwrap();
        assert_eq!(open(&store, &cursor).await.unwrap(), state);
        // the same filter at another offset, with the old signature
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&CursorState { offset: 0, ..state }).unwrap());
        let tag = cursor.split_once('.').unwrap().1;
        assert!(open(&store, &format!("{forged}.{tag}")).await.is_err());
        for junk in ["", ".", "abc", "a.b", &"x".repeat(20_000)] {
            assert!(open(&store, junk).await.is_err(), "{junk:?}");
        }
    }
}
