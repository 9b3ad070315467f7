//! Forms work before the WASM bundle has loaded: a plain HTML form posts straight to its server
//! function. On success the function redirects (302). On failure leptos answers with the error as
//! JSON, which a browser would show as raw text; this layer turns that answer into a 303 back to
//! the form's page with the error in the query string (`error`, plus `error_field` when it is
//! about one field), where the form components show it next to the field.
//!
//! The two are signed (`error_sig`, HMAC-SHA256 with a key of the site's): a page shows only an
//! error that this site wrote, so a link from elsewhere cannot make the login page say "Your
//! account is locked, call this number". `verify_form_errors` checks the signature when the
//! page is requested and hands the verified error to the page (`components::form`).

use crate::auth::signing;
use crate::components::form::UrlFormError;
use crate::error::AppError;
use crate::query_string::encode_query_value;
use crate::store::SharedStore;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Query keys this layer writes; stripped from the page address before new ones are added.
pub const ERROR_KEY: &str = "error";
pub const ERROR_FIELD_KEY: &str = "error_field";
pub const ERROR_SIG_KEY: &str = "error_sig";

async fn key(store: &SharedStore) -> Option<Vec<u8>> {
    signing::key(store, "form-errors")
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "cannot read the form-error key"))
        .ok()
}

fn mac(key: &[u8], field: Option<&str>, message: &str) -> Hmac<Sha256> {
    // the field's presence is part of what is signed, so a form error cannot become a field's
    match field {
        Some(field) => signing::mac(key, &[b"field:", field.as_bytes(), b"\n", message.as_bytes()]),
        None => signing::mac(key, &[b"form\n", message.as_bytes()]),
    }
}

pub async fn redirect_form_errors(State(store): State<SharedStore>, req: Request, next: Next) -> Response {
    let back = (req.method() == Method::POST
        && req.uri().path().starts_with(super::SERVER_FN_PREFIX)
        && accepts_html(req.headers()))
    .then(|| same_origin_referer(req.headers()))
    .flatten();
    let res = next.run(req).await;
    let Some(back) = back else { return res };
    if !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    // Error bodies are small; anything else is not ours to reinterpret.
    let body = axum::body::to_bytes(res.into_body(), 64 * 1024).await.unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&body).unwrap_or(AppError::Internal);
    let mut location = back;
    // Without the key the page comes back without the message rather than with an unsigned one.
    if let Some(key) = key(&store).await {
        let field = match &error {
            AppError::Validation { field, .. } => Some(field.as_str()),
            _ => None,
        };
        let message = error.to_string();
        let sig = URL_SAFE_NO_PAD.encode(mac(&key, field, &message).finalize().into_bytes());
        location.push(if location.contains('?') { '&' } else { '?' });
        if let Some(field) = field {
            location.push_str(&format!("{ERROR_FIELD_KEY}={}&", encode_query_value(field)));
        }
        location.push_str(&format!("{ERROR_KEY}={}&{ERROR_SIG_KEY}={sig}", encode_query_value(&message)));
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)], Body::empty()).into_response()
}

/// On a page request whose address carries a form error, checks its signature and, when it is
/// this site's, gives it to the page as a request extension. An error without a valid signature
/// is not shown (the page renders as if the address had none).
pub async fn verify_form_errors(State(store): State<SharedStore>, mut req: Request, next: Next) -> Response {
    if req.method() == Method::GET {
        if let Some(found) = signed_error(req.uri().query().unwrap_or_default()) {
            if let Some(verified) = verify(&store, found).await {
                req.extensions_mut().insert(verified);
            }
        }
    }
    next.run(req).await
}

/// The error, its field and its signature, if the query has an error at all.
fn signed_error(query: &str) -> Option<(UrlFormError, String)> {
    let (mut field, mut message, mut sig) = (None, None, None);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            ERROR_KEY => message = Some(value.into_owned()),
            ERROR_FIELD_KEY => field = Some(value.into_owned()),
            ERROR_SIG_KEY => sig = Some(value.into_owned()),
            _ => {}
        }
    }
    Some((UrlFormError { field, message: message? }, sig.unwrap_or_default()))
}

async fn verify(store: &SharedStore, (error, sig): (UrlFormError, String)) -> Option<UrlFormError> {
    let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
    let key = key(store).await?;
    mac(&key, error.field.as_deref(), &error.message).verify_slice(&sig).ok()?;
    Some(error)
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

/// The path and query of the `Referer`, if it is this same site (so the redirect can never
/// leave it), without error keys from an earlier attempt.
fn same_origin_referer(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer.strip_prefix("http://").or_else(|| referer.strip_prefix("https://"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority != host {
        return None;
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    // `//elsewhere` is a path of this site to the server, but another site to a browser
    let path = crate::auth::safe_next_path(Some(path)).unwrap_or_else(|| "/".to_owned());
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && ![ERROR_KEY, ERROR_FIELD_KEY, ERROR_SIG_KEY].contains(&key)
        })
        .collect();
    Some(if kept.is_empty() { path } else { format!("{path}?{}", kept.join("&")) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(referer: &str, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::REFERER, referer.parse().unwrap());
        h.insert(header::HOST, host.parse().unwrap());
        h
    }

    #[test]
    fn keeps_same_site_path_and_query_without_old_errors() {
        let h = headers(
            "http://localhost:3000/login?next=/dashboard&error=x&error_field=email&error_sig=AAAA",
            "localhost:3000",
        );
        assert_eq!(same_origin_referer(&h).as_deref(), Some("/login?next=/dashboard"));
        assert_eq!(same_origin_referer(&headers("http://localhost:3000", "localhost:3000")).as_deref(), Some("/"));
    }

    #[test]
    fn a_signature_covers_the_field_and_the_message() {
        let key = b"k";
        let sig = mac(key, Some("email"), "Enter an email").finalize().into_bytes();
        assert!(mac(key, Some("email"), "Enter an email").verify_slice(&sig).is_ok());
        assert!(mac(key, Some("email"), "Call +1 555 0100 now").verify_slice(&sig).is_err());
        assert!(mac(key, Some("password"), "Enter an email").verify_slice(&sig).is_err());
        assert!(mac(key, None, "Enter an email").verify_slice(&sig).is_err());
        assert!(mac(b"other key", Some("email"), "Enter an email").verify_slice(&sig).is_err());
    }

    #[test]
    fn reads_the_error_its_field_and_its_signature_from_a_query() {
        let (error, sig) = signed_error("next=/x&error_field=email&error=Enter%20an%20email&error_sig=abc").unwrap();
        assert_eq!(error, UrlFormError { field: Some("email".into()), message: "Enter an email".into() });
        assert_eq!(sig, "abc");
        assert!(signed_error("next=/x&error_field=email").is_none());
    }

    proptest::proptest! {
        /// Whatever a same-site `Referer` holds, the way back stays on this site.
        #[test]
        fn the_way_back_never_leaves_the_site(path in crate::auth::tests::tricky_path()) {
            let Ok(referer) = format!("http://localhost:3000{path}").parse() else { return Ok(()) };
            let mut h = headers("http://localhost:3000/", "localhost:3000");
            h.insert(header::REFERER, referer);
            if let Some(back) = same_origin_referer(&h) {
                let site = reqwest::Url::parse("http://localhost:3000/a/b").unwrap();
                let to = site.join(&back).unwrap();
                proptest::prop_assert_eq!(to.host_str(), Some("localhost"), "{} went to {}", back, to);
                proptest::prop_assert_eq!(to.port(), Some(3000));
            }
        }
    }

    #[test]
    fn refuses_other_sites() {
        assert_eq!(same_origin_referer(&headers("https://evil.example/login", "localhost:3000")), None);
        assert_eq!(same_origin_referer(&headers("javascript:alert(1)", "localhost:3000")), None);
        // a path of this site that a browser would read as another site
        assert_eq!(
            same_origin_referer(&headers("http://localhost:3000//evil.example/x", "localhost:3000")).as_deref(),
            Some("/")
        );
    }
}
