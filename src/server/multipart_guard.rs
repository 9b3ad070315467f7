//! The multipart server functions (uploads, CSV imports) read the boundary of the request's
//! content type with an `expect` in the locked `server_fn` 0.8 (fixed upstream only in 0.9):
//! a request without one panicked the handler before anything was authorized. This layer
//! refuses such requests first, using the same parser the decoder uses.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;

/// The server functions that take a multipart body.
fn takes_multipart(path: &str) -> bool {
    [
        crate::uploads::api::UploadImage::PATH,
        crate::members::api::UploadPhoto::PATH,
        crate::assignments::api::ImportAssignments::PATH,
    ]
    .contains(&path)
}

pub async fn refuse_malformed_multipart(req: Request, next: Next) -> Response {
    if takes_multipart(req.uri().path()) {
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| multer::parse_boundary(ct).is_ok())
            .unwrap_or(false);
        if !boundary {
            return (StatusCode::BAD_REQUEST, "Send the file as multipart/form-data with a boundary").into_response();
        }
    }
    next.run(req).await
}
