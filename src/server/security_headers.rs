//! Headers every answer carries unless it set its own (an uploaded image sets a stricter
//! Content-Security-Policy): no framing by other sites (clickjacking), no MIME sniffing, no
//! full URLs in the Referer sent elsewhere, a window of our own, and — when Insignia is served
//! over HTTPS — HSTS. The policy says nothing about scripts yet: the hydration script needs a
//! nonce first (issue 15, item 4).

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

const POLICY: &str = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

fn fixed() -> [(HeaderName, HeaderValue); 5] {
    [
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY)),
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
    for (name, value) in fixed() {
        headers.entry(name).or_insert(value);
    }
    if secure {
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    response
}
