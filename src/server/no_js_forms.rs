//! Forms work before the WASM bundle has loaded: a plain HTML form posts straight to its server
//! function. On success the function redirects (302). On failure leptos answers with the error as
//! JSON, which a browser would show as raw text; this layer turns that answer into a 303 back to
//! the form's page with the error in the query string (`error`, plus `error_field` when it is
//! about one field), where the form components show it next to the field.

use crate::error::AppError;
use crate::query_string::encode_query_value;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Query keys this layer writes; stripped from the page address before new ones are added.
pub const ERROR_KEY: &str = "error";
pub const ERROR_FIELD_KEY: &str = "error_field";

pub async fn redirect_form_errors(req: Request, next: Next) -> Response {
    let back = (req.method() == Method::POST && req.uri().path().starts_with("/api/") && accepts_html(req.headers()))
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
    location.push(if location.contains('?') { '&' } else { '?' });
    if let AppError::Validation { field, .. } = &error {
        location.push_str(&format!("{ERROR_FIELD_KEY}={}&", encode_query_value(field)));
    }
    location.push_str(&format!("{ERROR_KEY}={}", encode_query_value(&error.to_string())));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)], Body::empty()).into_response()
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
    let path = if path.is_empty() { "/" } else { path };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && key != ERROR_KEY && key != ERROR_FIELD_KEY
        })
        .collect();
    Some(if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) })
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
        let h = headers("http://localhost:3000/login?next=/dashboard&error=x&error_field=email", "localhost:3000");
        assert_eq!(same_origin_referer(&h).as_deref(), Some("/login?next=/dashboard"));
        assert_eq!(same_origin_referer(&headers("http://localhost:3000", "localhost:3000")).as_deref(), Some("/"));
    }

    #[test]
    fn refuses_other_sites() {
        assert_eq!(same_origin_referer(&headers("https://evil.example/login", "localhost:3000")), None);
        assert_eq!(same_origin_referer(&headers("javascript:alert(1)", "localhost:3000")), None);
    }
}
