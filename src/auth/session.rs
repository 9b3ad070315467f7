//! The session cookie: a 256-bit random token. The database stores its SHA-256 only. Over
//! HTTPS it is `Secure` and named with the `__Host-` prefix, which browsers accept only from
//! this very host over HTTPS with `Path=/` and no `Domain`: a sibling subdomain, or a plain-HTTP
//! page on the network path, cannot plant or overwrite it.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use cookie::{Cookie, SameSite};
use http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "insignia_session";
pub const SECURE_COOKIE_NAME: &str = "__Host-insignia_session";

/// The cookie's name over HTTPS (`secure`) or plain HTTP; each is read only in its own mode.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// A fresh token and the hash to store for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session token sent with a request (over HTTPS: `secure`), if any.
pub fn token_from_headers(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// `Set-Cookie` value that stores `token` for `max_age`.
pub fn set_cookie(token: &str, max_age: chrono::Duration, secure: bool) -> String {
    Cookie::build((cookie_name(secure), token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age.num_seconds()))
        .build()
        .to_string()
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    Cookie::build((cookie_name(secure), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashes_are_hex_sha256() {
        let (t1, h1) = new_token();
        let (t2, _) = new_token();
        assert_ne!(t1, t2);
        assert_eq!(t1.len(), 43);
        assert_eq!(h1.len(), 64);
        assert_eq!(hash_token(&t1), h1);
    }

    #[test]
    fn cookie_is_http_only_and_same_site() {
        let c = set_cookie("abc", chrono::Duration::days(30), false);
        assert!(c.contains("HttpOnly"), "{c}");
        assert!(c.contains("SameSite=Lax"), "{c}");
        assert!(c.contains("Path=/"), "{c}");
        assert!(c.contains("Max-Age=2592000"), "{c}");
        assert!(!c.contains("Secure") && c.starts_with("insignia_session="));
        let secure = set_cookie("abc", chrono::Duration::days(1), true);
        assert!(secure.starts_with("__Host-insignia_session=abc") && secure.contains("Secure"), "{secure}");
        assert!(!secure.contains("Domain") && secure.contains("Path=/"), "what __Host- requires");
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn reads_the_token_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(http::header::COOKIE, "theme=dark; insignia_session=tok123; x=y".parse().unwrap());
        assert_eq!(token_from_headers(&h, false).as_deref(), Some("tok123"));
        assert_eq!(token_from_headers(&h, true), None, "over HTTPS only the __Host- cookie counts");
        h.insert(http::header::COOKIE, "__Host-insignia_session=tok456".parse().unwrap());
        assert_eq!(token_from_headers(&h, true).as_deref(), Some("tok456"));
        assert_eq!(token_from_headers(&HeaderMap::new(), false), None);
    }
}
