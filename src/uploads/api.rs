//! The upload server function: a multipart form with one `file` field.

use super::UploadedImage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Stores an image for a badge icon (admins). The body is read in chunks and abandoned as soon
/// as it passes the size limit, so an oversized upload costs at most 1 MB of memory.
#[server(input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<UploadedImage, AppError> {
    use super::{image, MAX_BYTES};
    use crate::auth::guard;
    use crate::store::NewUpload;
    let account = guard::require_admin().await?;
    let bad = |m: &str| guard::reject(AppError::validation("icon_file", m));
    let mut form = data.into_inner().ok_or_else(|| bad("Choose an image to upload"))?;
    let mut bytes = None;
    while let Some(mut field) = form.next_field().await.map_err(|_| bad("The upload was interrupted; try again"))? {
        if field.name() != Some("file") {
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad("The upload was interrupted; try again"))? {
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
        uploaded_by: Some(account.id),
    };
    guard::state()?.store.create_upload(&upload).await?;
    tracing::info!(account = %account.id, upload = %upload.id, content_type = upload.content_type, size = upload.bytes.len(), "image uploaded");
    Ok(UploadedImage { id: upload.id, content_type: upload.content_type.to_owned() })
}
