//! The upload server function: a multipart form with one `file` field.

use super::UploadedImage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Stores an image for a badge icon (admins). The body is read in chunks and abandoned as soon
/// as it passes the size limit, so an oversized upload costs at most 1 MB of memory.
#[server(input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<UploadedImage, AppError> {
    use crate::auth::guard;
    let account = guard::actor().await?.require_admin()?;
    let bytes = read_file(data, "icon_file").await?;
    let store = guard::state()?.store;
    super::service::save(&store, account.id, bytes, super::ImagePurpose::BadgeIcon, "icon_file").await
}

/// Why one part of a multipart body could not be read.
#[cfg(feature = "ssr")]
pub enum PartError {
    Interrupted,
    TooLarge,
}

/// Reads one part of a multipart body in chunks, abandoned as soon as it passes `max` bytes,
/// so an oversized part costs at most `max` bytes of memory.
#[cfg(feature = "ssr")]
pub async fn read_part(part: &mut multer::Field<'_>, max: usize) -> Result<Vec<u8>, PartError> {
    let mut buf = Vec::new();
    while let Some(chunk) = part.chunk().await.map_err(|_| PartError::Interrupted)? {
        if buf.len() + chunk.len() > max {
            return Err(PartError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Reads the `file` field of a multipart body (at most `MAX_BYTES`); problems are reported
/// against `field`.
#[cfg(feature = "ssr")]
pub async fn read_file(data: MultipartData, field: &'static str) -> Result<Vec<u8>, AppError> {
    use super::MAX_BYTES;
    let bad = |m: &str| AppError::validation(field, m);
    let interrupted = || bad("The upload was interrupted; try again");
    let mut form = data.into_inner().ok_or_else(|| bad("Choose an image to upload"))?;
    while let Some(mut part) = form.next_field().await.map_err(|_| interrupted())? {
        if part.name() != Some("file") {
            continue;
        }
        return read_part(&mut part, MAX_BYTES).await.map_err(|e| match e {
            PartError::Interrupted => interrupted(),
            PartError::TooLarge => bad("Images can be at most 1 MB"),
        });
    }
    Err(bad("Choose an image to upload"))
}
