//! Headers every answer carries unless it set its own: no framing by other sites
//! (clickjacking), no MIME sniffing, no full URLs in the Referer sent elsewhere, a window of our
//! own, and — when Insignia is served over HTTPS — HSTS.
//!
//! Scripts: an HTML page runs only the app's own files plus the inline scripts that carry the
//! nonce made fresh for its request. The nonce is made here, handed to the page's rendering as a
//! request extension (`use_page_nonce` gives it to Leptos in place of the one leptos_axum makes),
//! and written into the answer's policy here, so header and page cannot disagree. Every other
//! answer — JSON, images — runs no script at all. Uploaded images set a stricter policy still.

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
fn page_policy(nonce: &str) -> String {
    format!(concat!(common_policy!(), "; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'"), nonce)
}

/// This request's nonce, for the page rendered in answer to it.
#[derive(Clone, Debug)]
pub struct PageNonce(String);

impl PageNonce {
    fn new() -> Self {
        use base64::Engine as _;
        PageNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>()))
    }
}

/// Given to leptos_axum as the pages' additional context: it runs after leptos_axum has provided
/// a nonce of its own, and replaces it with this request's, which the answer's policy names.
pub fn use_page_nonce() {
    let nonce = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    if let Some(PageNonce(nonce)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce));
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
pub async fn add(State(config): State<crate::state::RuntimeConfig>, mut req: Request, next: Next) -> Response {
    let secure = config.is_https(req.headers());
    let nonce = PageNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let is_page =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let policy = if is_page { HeaderValue::from_str(&page_policy(&nonce.0)).ok() } else { None };
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(policy.unwrap_or(HeaderValue::from_static(FIXED_POLICY)));
    for (name, value) in fixed() {
        headers.entry(name).or_insert(value);
    }
    if secure {
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    response
}
