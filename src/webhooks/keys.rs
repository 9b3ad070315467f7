//! The site's RSA key pair that signs SDK-format deliveries (RS256): made on first need, kept in
//! the settings table, the same for every instance sharing the database. Receivers verify with
//! the public key, shown on the Webhooks page as SPKI PEM (REST_CONTRACT §12: the SDK refuses
//! PKCS#1 and one-line keys).

use crate::error::AppError;
use crate::store::Store;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::RsaPrivateKey;

const NAME: &str = "webhook_rsa_private_key";
/// The SDK wants at least 2048 bits.
const BITS: usize = 2048;

/// The private key as PKCS#8 PEM, made and stored if there is none yet.
pub async fn private_pem(store: &Store) -> Result<String, AppError> {
    if let Some(pem) = store.known_site_secret(NAME).await? {
        return Ok(pem);
    }
    // making a key takes a moment of CPU: off the async threads
    let fresh = tokio::task::spawn_blocking(|| {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), BITS)?;
        Ok::<_, rsa::Error>(key.to_pkcs8_pem(LineEnding::LF).map_err(|_| rsa::Error::Internal)?.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "making the webhook key stopped");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "could not make the webhook key");
        AppError::Internal
    })?;
    // of two instances making one at once, the first stored wins for both
    Ok(store.site_secret(NAME, &fresh).await?)
}

/// The public key receivers verify with, as SPKI PEM with line breaks.
pub async fn public_pem(store: &Store) -> Result<String, AppError> {
    public_of(&private_pem(store).await?)
}

/// The public half of a stored private key.
pub fn public_of(private_pem: &str) -> Result<String, AppError> {
    let key = RsaPrivateKey::from_pkcs8_pem(private_pem).map_err(|e| {
        tracing::error!(error = %e, "the stored webhook key does not read");
        AppError::Internal
    })?;
    key.to_public_key().to_public_key_pem(LineEnding::LF).map_err(|e| {
        tracing::error!(error = %e, "could not write the webhook public key");
        AppError::Internal
    })
}
