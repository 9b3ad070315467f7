//! Path and query-string values as the SDK sends them.

use super::error::{ApiError, ApiResult};
use crate::error::Invalid;
use uuid::Uuid;

/// A GUID from the path or the body; anything else is a 400 about `field`.
pub fn guid(raw: &str, field: &str) -> ApiResult<Uuid> {
    raw.trim().parse().map_err(|_| ApiError::invalid(field, Invalid::format("not a GUID")))
}

/// The GUID in a path segment named `name`, which the SDK also repeats in the query string:
/// both must be the same id.
pub fn path_id(raw: &str, query: &Option<String>, name: &str) -> ApiResult<Uuid> {
    let id = guid(raw, name)?;
    super::body::same_id(id, query_param(query, name).as_deref(), name)?;
    Ok(id)
}

/// The first value of `name` in a query string, if given.
pub fn query_param(raw: &Option<String>, name: &str) -> Option<String> {
    query_params(raw, name).into_iter().next()
}

/// Every value of `name` in a query string (arrays are repeated keys: `memberIds=a&memberIds=b`).
pub fn query_params(raw: &Option<String>, name: &str) -> Vec<String> {
    let Some(raw) = raw.as_deref() else { return Vec::new() };
    form_urlencoded::parse(raw.as_bytes()).filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).collect()
}

/// A whole number from the query string between `min` and `max`, or `default` when absent.
pub fn number(raw: &Option<String>, name: &str, default: i64, min: i64, max: i64) -> ApiResult<i64> {
    match query_param(raw, name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| ApiError::invalid(name, Invalid::format(format!("{name} is {min} to {max}")))),
    }
}
