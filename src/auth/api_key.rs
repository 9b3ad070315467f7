//! API keys and member tokens as secrets: how they are made, sent and checked. A key is
//! `ins_` (a site key) or `inm_` (a member token) and 40 random URL-safe characters; its first
//! 12 characters are its prefix, which finds it in the database and names it in lists and logs.
//! The database keeps only the SHA-256 of the whole key, compared in constant time.

use super::session::hash_token;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::HeaderMap;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Which kind of secret: they differ only in their first characters, so a leaked one says
/// what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Site,
    Member,
}

impl KeyKind {
    fn marker(self) -> &'static str {
        match self {
            KeyKind::Site => "ins_",
            KeyKind::Member => "inm_",
        }
    }
}

/// Characters of a key that make its prefix.
pub const PREFIX_LEN: usize = 12;

/// A new secret: shown once, then only its prefix and hash are kept.
pub struct NewSecret {
    pub key: String,
    pub prefix: String,
    pub hash: String,
}

pub fn new_secret(kind: KeyKind) -> NewSecret {
    let mut bytes = [0u8; 30];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = format!("{}{}", kind.marker(), URL_SAFE_NO_PAD.encode(bytes));
    NewSecret { prefix: key[..PREFIX_LEN].to_owned(), hash: hash_token(&key), key }
}

/// The key a request sends, as the SDK sends it: the raw key in `Authorization`, or
/// `Bearer <key>`. An absent or empty header is no key.
pub fn from_headers(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?.trim();
    let key = value.strip_prefix("Bearer ").map(str::trim).unwrap_or(value);
    (!key.is_empty()).then_some(key)
}

/// The prefix to look a presented key up by, if it can be a key at all (keys are ASCII).
pub fn prefix_of(key: &str) -> Option<&str> {
    (key.len() > PREFIX_LEN && key.is_ascii()).then(|| &key[..PREFIX_LEN])
}

/// Whether `key` is the secret whose hash is `stored_hash`, in time that does not depend on
/// where they differ.
pub fn matches(key: &str, stored_hash: &str) -> bool {
    hash_token(key).as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_matches_its_hash_and_no_other_key_does() {
        let secret = new_secret(KeyKind::Site);
        assert!(secret.key.starts_with("ins_") && secret.key.len() == 44);
        assert_eq!(prefix_of(&secret.key), Some(secret.prefix.as_str()));
        assert!(matches(&secret.key, &secret.hash));
        let mut other = secret.key.clone();
        other.pop();
        other.push(if secret.key.ends_with('A') { 'B' } else { 'A' });
        assert!(!matches(&other, &secret.hash));
        assert!(new_secret(KeyKind::Member).key.starts_with("inm_"));
    }

    #[test]
    fn the_key_is_read_raw_or_as_a_bearer_token() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(http::header::AUTHORIZATION, value.parse().unwrap());
            from_headers(&headers).map(str::to_owned)
        };
        assert_eq!(with("ins_abc").as_deref(), Some("ins_abc"));
        assert_eq!(with("Bearer ins_abc").as_deref(), Some("ins_abc"));
        assert_eq!(with(""), None);
        assert_eq!(with("   "), None);
        assert_eq!(from_headers(&HeaderMap::new()), None);
        assert_eq!(prefix_of("short"), None);
        assert_eq!(prefix_of("ins_ééééééééééé"), None);
    }
}
