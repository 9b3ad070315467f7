//! The HTTP status of every server-function error, set in one place from
//! `AppError::status_code()`. Server functions just return their error: leptos answers it with
//! a 500 and the `serverfnerror` header, and this layer reads the error back and sets the status
//! it stands for, so a function that forgets nothing cannot answer a 404 as a 500.

use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Server-function error bodies are a few hundred bytes; anything larger is not one.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn set_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}
