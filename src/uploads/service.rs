//! Checking and keeping uploads. A check is CPU work on untrusted input, so it runs on the
//! blocking pool under a concurrency limit (one per core) and a time limit: a flood of uploads
//! queues briefly and is then refused, and never starves page rendering of threads.

use super::image::{self, CheckedImage};
use super::{ImagePurpose, UploadedImage, QUOTA_BYTES};
use crate::error::AppError;
use crate::store::{NewUpload, Store, UploadRecord};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long an upload waits for a free checker before it is refused.
const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How long one check may take. The bounds in `svg` keep honest files far below this; it is
/// the backstop for anything they miss.
const CHECK_TIME: Duration = Duration::from_secs(3);

fn checkers() -> Arc<Semaphore> {
    static CHECKERS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    CHECKERS
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            Arc::new(Semaphore::new(cores))
        })
        .clone()
}

/// Checks an image under the limits; a refusal is reported against `field`.
pub async fn check(bytes: Vec<u8>, purpose: ImagePurpose, field: &str) -> Result<CheckedImage, AppError> {
    let busy = || AppError::TooManyRequests("The server is busy checking other images; try again in a moment".into());
    let permit =
        tokio::time::timeout(QUEUE_WAIT, checkers().acquire_owned()).await.map_err(|_| busy())?.map_err(|_| busy())?;
    // the permit moves into the thread: a check that outlives its time limit still counts
    // against the limit until it really ends
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        image::check(&bytes, purpose)
    });
    match tokio::time::timeout(CHECK_TIME, task).await {
        Err(_) => {
            tracing::warn!(field, "an image check ran out of time");
            Err(AppError::validation(field, "That image took too long to check; simplify it or upload a PNG"))
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "image check panicked");
            Err(AppError::Internal)
        }
        Ok(Ok(result)) => result.map_err(|m| AppError::validation(field, m)),
    }
}

/// Checks an image and keeps it for `account_id`, within the account's quota.
pub async fn save(
    store: &Store,
    account_id: uuid::Uuid,
    bytes: Vec<u8>,
    purpose: ImagePurpose,
    field: &str,
) -> Result<UploadedImage, AppError> {
    let used = store.upload_bytes_of(account_id).await?;
    if used + bytes.len() as i64 > QUOTA_BYTES {
        return Err(AppError::validation(
            field,
            format!("You can keep at most {} MB of images; remove some first", QUOTA_BYTES / (1024 * 1024)),
        ));
    }
    let checked = check(bytes, purpose, field).await?;
    let upload = NewUpload {
        id: crate::domain::new_id(),
        content_type: checked.content_type,
        bytes: checked.bytes,
        width: checked.width,
        height: checked.height,
        uploaded_by: Some(account_id),
    };
    store.create_upload(&upload).await?;
    tracing::info!(account = %account_id, upload = %upload.id, content_type = upload.content_type, size = upload.bytes.len(), "image uploaded");
    Ok(UploadedImage { id: upload.id, content_type: upload.content_type.to_owned() })
}

/// The image if `actor` may see it, and whether it is a member's photo: a photo is as visible
/// as its member (`members::visibility`); any other image (a badge icon) is public.
pub async fn visible(
    store: &Store,
    actor: &crate::auth::actor::Actor,
    id: uuid::Uuid,
) -> Result<Option<(UploadRecord, bool)>, AppError> {
    // visibility first: the bytes of a photo the caller may not see are never read
    let is_photo = match store.photo_owner(id).await? {
        Some(owner)
            if crate::members::visibility::fieldset_for(actor, &owner, crate::members::Fieldset::Public).is_none() =>
        {
            return Ok(None)
        }
        Some(_) => true,
        None => false,
    };
    Ok(store.upload(id).await?.map(|image| (image, is_photo)))
}
