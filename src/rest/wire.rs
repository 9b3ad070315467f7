//! Shapes every REST API shares: the empty answer, the error envelope, paging metadata, and
//! how times and "absent vs null" are read and written.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use utoipa::ToSchema;

/// `{}`: the SDK parses every 200 as JSON, so even "nothing to say" is an object.
#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}

/// Every non-200 answer (REST_CONTRACT §2.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    message: String,
    /// `{validationError: {fieldViolations: [{field, description, violatedRule, ruleName?}]}}`
    /// or `{applicationError: {code, description, data}}`.
    #[schema(value_type = Object)]
    details: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cursors {
    next: Option<String>,
    prev: Option<String>,
}

/// Offset and cursor paging metadata in one (REST_CONTRACT §3.3): the SDK's builders read
/// `total`, typed cursor callers `cursors.next`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagingMetadata {
    count: usize,
    offset: i64,
    total: i64,
    too_many_to_count: bool,
    has_next: bool,
    cursors: Cursors,
}

impl PagingMetadata {
    pub fn new(count: usize, offset: i64, total: i64, next: Option<String>, prev: Option<String>) -> Self {
        PagingMetadata {
            count,
            offset,
            total,
            too_many_to_count: false,
            has_next: next.is_some(),
            cursors: Cursors { next, prev },
        }
    }
}

/// A time as the SDK sends them: ISO-8601 UTC with milliseconds.
pub fn time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// `Some(None)` for an explicit `null`, `None` (with `#[serde(default)]`) for an absent field.
pub fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
