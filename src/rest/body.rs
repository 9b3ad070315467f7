//! Request bodies as the REST API reads them: JSON of at most `MAX_BODY` bytes, whatever the
//! `Content-Type` says (the SDK sends none without a body), and a 400 naming the field when the
//! JSON is malformed or of the wrong shape — never a 500.

use super::error::ApiError;
use crate::error::Invalid;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// The largest REST request body, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON request body of type `T`.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY).await.map_err(|_| {
            ApiError::invalid("", Invalid::max_length(format!("A request body has at most {MAX_BODY} bytes")))
        })?;
        // an empty body is an empty request: every field optional is absent
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        let mut json = serde_json::Deserializer::from_slice(bytes);
        let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
            let field = e.path().to_string();
            let field = if field == "." { String::new() } else { field };
            ApiError::invalid(&field, Invalid::format(e.inner().to_string()))
        })?;
        json.end().map_err(|e| ApiError::invalid("", Invalid::format(e.to_string())))?;
        Ok(Body(value))
    }
}

/// A path id repeated in the body or query string (the SDK sends both) must be the same id.
pub fn same_id(path: uuid::Uuid, repeated: Option<&str>, field: &str) -> Result<(), ApiError> {
    match repeated {
        Some(v) if !v.is_empty() && v.parse::<uuid::Uuid>().ok() != Some(path) => {
            Err(ApiError::invalid(field, Invalid::format("does not match the id in the path")))
        }
        _ => Ok(()),
    }
}
