//! The upload server function: a multipart form with one `file` field.

use super::UploadedImage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Stores an image for a badge icon (admins). The body is read in chunks and abandoned as soon
/// as it passes the size limit, so an oversized upload costs at most 1 MB of memory.
#[server(input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<UploadedImage, AppError> {
    let account = crate::auth::guard::require_admin().await?;
    store_upload(data, "icon_file", account.id).await
}

/// Reads the `file` field of a multipart body in chunks (abandoned past the size limit),
/// checks it and stores it; problems are reported against `field`.
#[cfg(feature = "ssr")]
pub async fn store_upload(data: MultipartData, field: &'static str, account_id: uuid::Uuid) -> Result<UploadedImage, AppError> {
    use super::{image, MAX_BYTES};
    use crate::auth::guard;
    use crate::store::NewUpload;
    let bad = |m: &str| guard::reject(AppError::validation(field, m));
    let mut form = data.into_inner().ok_or_else(|| bad("Choose an image to upload"))?;
    let mut bytes = None;
    while let Some(mut part) = form.next_field().await.map_err(|_| bad("The upload was interrupted; try again"))? {
        if part.name() != Some("file") {
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(|_| bad("The upload was interrupted; try again"))? {
            if buf.len() + chunk.len() > MAX_BYTES {
                return Err(bad("Images can be at most 1 MB"));
            }
            buf.extend_from_slice(&chunk);
        }
        bytes = Some(buf);
        break;
    }
    let bytes = bytes.ok_or_else(|| bad("Choose an image to upload"))?;
    let checked = tokio::task::spawn_blocking(move || image::check(&bytes))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "image check panicked");
            AppError::Internal
        })?
        .map_err(|m| bad(&m))?;
    let upload = NewUpload {
        id: uuid::Uuid::new_v4(),
        content_type: checked.content_type,
        bytes: checked.bytes,
        width: checked.width,
        height: checked.height,
        uploaded_by: Some(account_id),
    };
    guard::state()?.store.create_upload(&upload).await?;
    tracing::info!(account = %account_id, upload = %upload.id, content_type = upload.content_type, size = upload.bytes.len(), "image uploaded");
    Ok(UploadedImage { id: upload.id, content_type: upload.content_type.to_owned() })
}
