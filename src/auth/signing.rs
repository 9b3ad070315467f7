//! Signatures by the site itself (HMAC-SHA256), for what it hands out and must recognise when
//! it comes back: REST paging cursors, the errors of forms posted without JavaScript. Each use
//! has a key of its own, kept in the settings table so every instance signs alike.

use crate::store::{Store, StoreResult};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The site's key for `purpose`, made on first use.
pub async fn key(store: &Store, purpose: &str) -> StoreResult<Vec<u8>> {
    let fresh = super::session::new_token().0;
    Ok(store.site_secret(purpose, &fresh).await?.into_bytes())
}

/// The MAC of `parts`, one after the other, under `key`.
pub fn mac(key: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}
