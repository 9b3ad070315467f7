//! The session cookie: a 256-bit random token. The database stores its SHA-256 only.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use cookie::{Cookie, SameSite};
use http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "insignia_session";

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

/// The session token sent with a request, if any.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE_NAME)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// `Set-Cookie` value that stores `token` for `max_age`.
pub fn set_cookie(token: &str, max_age: chrono::Duration, secure: bool) -> String {
    Cookie::build((COOKIE_NAME, token.to_owned()))
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
    Cookie::build((COOKIE_NAME, ""))
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
        assert!(!c.contains("Secure"));
        assert!(set_cookie("abc", chrono::Duration::days(1), true).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn reads_the_token_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(http::header::COOKIE, "theme=dark; insignia_session=tok123; x=y".parse().unwrap());
        assert_eq!(token_from_headers(&h).as_deref(), Some("tok123"));
        assert_eq!(token_from_headers(&HeaderMap::new()), None);
    }
}
