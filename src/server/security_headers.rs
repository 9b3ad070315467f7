//! Headers every answer carries unless it set its own: no framing by other sites
//! (clickjacking), no MIME sniffing, no full URLs in the Referer sent elsewhere, a window of our
//! own, and — when Insignia is served over HTTPS — HSTS.
//!
//! Scripts: a page Leptos renders runs only the app's own files plus the inline hydration script,
//! which carries a nonce made fresh for each request (leptos_axum provides it; the shell puts it
//! in this page's policy through `announce_page_policy`). Every other answer — JSON, images, the
//! REST reference at `/api` — runs no script at all. Uploaded images set a stricter policy still.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// What every policy says, pages included. Styles may be inline because badge colours are
/// `style` attributes; images may come from any https address because a badge icon may.
macro_rules! common_policy {
    () => {
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data: blob:; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    };
}

/// The policy of an answer that is not a page of the app.
const FIXED_POLICY: &str = concat!(common_policy!(), "; script-src 'none'");

/// The policy of a page of the app rendered with this request's `nonce`. `'wasm-unsafe-eval'`
/// lets the page compile the app's WebAssembly and nothing else (no `eval`).
pub fn page_policy(nonce: &str) -> String {
    format!(concat!(common_policy!(), "; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'"), nonce)
}

/// Called by the shell while a page renders: gives the page the policy that lets its own
/// hydration script run. `security_headers::add` leaves a policy already set alone.
pub fn announce_page_policy() {
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else { return };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

fn fixed() -> [(HeaderName, HeaderValue); 4] {
    [
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
    ]
}

/// Over HTTPS (see `RuntimeConfig::is_https`), browsers are also told to use nothing else for
/// a year.
pub async fn add(State(config): State<crate::state::RuntimeConfig>, req: Request, next: Next) -> Response {
    let secure = config.is_https(req.headers());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(FIXED_POLICY));
    for (name, value) in fixed() {
        headers.entry(name).or_insert(value);
    }
    if secure {
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    response
}
