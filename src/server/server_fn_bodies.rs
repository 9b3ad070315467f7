//! What a server function's request body may be, checked before the function's decoder reads it.
//!
//! - **Size.** A form needs a few kilobytes (the largest, a page of member ids, about 4 KB), so
//!   a form body is capped at `MAX_FORM_BODY`; a members-only page's Markdown may fill
//!   `MAX_PAGE_FORM_BODY`, and only the multipart functions (uploads, CSV imports) may send up
//!   to the server's `MAX_REQUEST_BODY`. Without this any visitor could
//!   make every function buffer 4 MB before it refused them.
//! - **Boundary.** The multipart functions read the boundary of the request's content type with
//!   an `expect` in the locked `server_fn` 0.8 (fixed upstream only in 0.9): a request without
//!   one panicked the handler before anything was authorized. Such requests are refused first,
//!   using the same parser the decoder uses.

use super::SERVER_FN_PREFIX;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;

/// The largest body of a server function that is not an upload, in bytes.
pub const MAX_FORM_BODY: usize = 64 * 1024;

/// The largest body of the page editor's functions: its Markdown's most characters, each
/// percent-encoded at worst (a four-byte character is twelve bytes of form), and the other fields.
pub const MAX_PAGE_FORM_BODY: usize = crate::domain::page::PageContent::MAX_CHARS * 12 + 16 * 1024;

/// The most a server function's form body may be.
fn form_limit(path: &str) -> usize {
    let pages = [crate::member_pages::api::SavePage::PATH, crate::member_pages::api::PreviewPage::PATH];
    if pages.contains(&path) {
        MAX_PAGE_FORM_BODY
    } else {
        MAX_FORM_BODY
    }
}

/// The server functions that take a multipart body.
fn takes_multipart(path: &str) -> bool {
    [
        crate::uploads::api::UploadImage::PATH,
        crate::members::api::UploadPhoto::PATH,
        crate::assignments::api::ImportAssignments::PATH,
    ]
    .contains(&path)
}

pub async fn check(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with(SERVER_FN_PREFIX) {
        return next.run(req).await;
    }
    if takes_multipart(path) {
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| multer::parse_boundary(ct).is_ok())
            .unwrap_or(false);
        if !boundary {
            return (StatusCode::BAD_REQUEST, "Send the file as multipart/form-data with a boundary").into_response();
        }
        return next.run(req).await;
    }
    let limit = form_limit(path);
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large(limit);
    }
    // A body sent without a length (chunked) is cut off at the limit instead: the decoder then
    // fails to read it and answers 400.
    next.run(req.map(|body| Body::new(http_body_util::Limited::new(body, limit)))).await
}

fn too_large(limit: usize) -> Response {
    let message = format!("A form sends at most {} KB", limit / 1024);
    (StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
}
