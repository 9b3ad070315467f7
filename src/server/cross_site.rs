//! Refuses state-changing requests that another site made a browser send (CSRF): every POST,
//! PUT, PATCH and DELETE outside the REST API — server functions, plain form posts, login and
//! logout included. Browsers say where a request comes from: `Sec-Fetch-Site` (all current
//! ones), else `Origin`. A request from this site's own pages passes; one from any other site
//! (a subdomain included) is a 403 before any handler runs. A request carrying neither header
//! is not a browser's cross-site request (a browser sends `Origin` with every cross-site POST),
//! so it passes: command-line clients and tests need no ceremony. The REST API is exempt: it
//! never reads the session cookie, so a forged call carries no authority.
//!
//! This is the Fetch Metadata check Go's `net/http.CrossOriginProtection` does; it needs no
//! token in forms, so the no-JavaScript forms keep working unchanged.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const REFUSED: &str = "This request came from another site and was refused.";

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// Whether the request comes from this site's own pages (or not from a browser page at all).
fn same_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: the person typed the address or used a bookmark
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    // the origin's host and port must be the Host the browser sent this request to
    let origin = origin.to_str().unwrap_or_default();
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}

pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if changes_state(req.method()) && !crate::rest::is_rest_path(req.uri().path()) && !same_site(&req) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(),
            origin = ?req.headers().get(header::ORIGIN), site = ?req.headers().get("sec-fetch-site"),
            "refused: a cross-site request");
        return (StatusCode::FORBIDDEN, REFUSED).into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request {
        let mut req = axum::http::Request::builder().method(method).uri(path).header("host", "badges.example.com");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.body(axum::body::Body::empty()).unwrap()
    }

    fn passes(method: &str, path: &str, headers: &[(&str, &str)]) -> bool {
        let req = request(method, path, headers);
        !changes_state(req.method()) || crate::rest::is_rest_path(req.uri().path()) || same_site(&req)
    }

    #[test]
    fn only_this_sites_pages_may_change_state() {
        assert!(passes("POST", "/api/login", &[("sec-fetch-site", "same-origin")]));
        assert!(passes("POST", "/api/login", &[("origin", "https://badges.example.com")]));
        assert!(passes("POST", "/api/login", &[]), "no browser page sent it");
        assert!(!passes("POST", "/api/login", &[("sec-fetch-site", "cross-site")]));
        assert!(!passes("POST", "/api/login", &[("sec-fetch-site", "same-site")]), "a subdomain is another site");
        assert!(!passes("POST", "/api/logout", &[("origin", "https://evil.example")]));
        assert!(!passes("POST", "/api/logout", &[("origin", "https://badges.example.com.evil.example")]));
        assert!(!passes("POST", "/api/logout", &[("origin", "null")]), "a sandboxed frame or a data: page");
        assert!(
            !passes(
                "DELETE",
                "/dashboard",
                &[("sec-fetch-site", "cross-site"), ("origin", "https://badges.example.com")]
            ),
            "Sec-Fetch-Site decides when both are sent"
        );
        assert!(passes("GET", "/dashboard", &[("sec-fetch-site", "cross-site")]), "a link from elsewhere");
        assert!(passes("POST", "/badges/v4/badges", &[("origin", "https://evil.example")]), "REST takes no cookie");
    }
}
