//! Images served by the app itself: library icons and uploads.

use crate::auth::actor::Actor;
use crate::store::SharedStore;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An SVG opened on its own must not run anything, load anything or be framed into a page.
const IMAGE_CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

fn image_response(content_type: &str, cache: &'static str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(IMAGE_CSP));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// `GET /icons/{name}.svg`: a library icon, drawn in black for use as a mask or image.
pub async fn library_icon(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".svg").and_then(crate::icons::library::svg) {
        // a day: the library only changes with an upgrade of Insignia
        Some(svg) => image_response("image/svg+xml", "public, max-age=86400", svg.as_bytes().to_vec()),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /uploads/{id}`: an uploaded image. A member's photo is shown only to those who may see
/// the member (anyone else gets the same 404 as for a missing image) and is not cached by
/// shared caches, since leaving the community hides it. Other images (badge icons) never change
/// under their id, so browsers may keep them for good.
pub async fn upload(State(store): State<SharedStore>, actor: Actor, Path(id): Path<String>) -> Response {
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match crate::uploads::service::visible(&store, &actor, id).await {
        Ok(Some((image, true))) => image_response(&image.content_type, "private, no-cache", image.bytes),
        Ok(Some((image, false))) => {
            image_response(&image.content_type, "public, max-age=31536000, immutable", image.bytes)
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not read an upload");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
