//! Uploaded images (badge icons, member photos), kept in the database so a backup of it is a
//! backup of everything and every instance sees every image.

use super::members::{MemberRecord, MemberRow, MEMBER_COLUMNS};
use super::sql::sql;
use super::{Store, StoreResult};
use chrono::Utc;
use uuid::Uuid;

/// An image to keep: already checked (and, for SVG, sanitised) by `uploads::image`.
#[derive(Debug, Clone)]
pub struct NewUpload {
    pub id: Uuid,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub uploaded_by: Option<Uuid>,
}

/// A stored image, as served.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRecord {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// An image side in the database's `integer` column (checked images are far smaller).
fn side(pixels: Option<u32>) -> Option<i32> {
    pixels.map(|p| i32::try_from(p).unwrap_or(i32::MAX))
}

impl Store {
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn create_upload(&self, upload: &NewUpload) -> StoreResult<()> {
        sql("insert into uploads (id, content_type, bytes, byte_size, width, height, uploaded_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(upload.id)
        .bind(upload.content_type)
        .bind(upload.bytes.clone())
        .bind(i32::try_from(upload.bytes.len()).unwrap_or(i32::MAX))
        .bind(side(upload.width))
        .bind(side(upload.height))
        .bind(upload.uploaded_by)
        .bind(Utc::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn upload(&self, upload_id: Uuid) -> StoreResult<Option<UploadRecord>> {
        Ok(sql("select content_type, bytes from uploads where id = $1")
            .bind(upload_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Whether an image with this id exists, without reading its bytes.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn upload_exists(&self, upload_id: Uuid) -> StoreResult<bool> {
        let found: Option<(i32,)> =
            sql("select 1 from uploads where id = $1").bind(upload_id).fetch_optional(&self.pool).await?;
        Ok(found.is_some())
    }

    /// How many bytes of images the account keeps (its quota's use).
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn upload_bytes_of(&self, account_id: Uuid) -> StoreResult<i64> {
        Ok(sql("select coalesce(sum(byte_size), 0) from uploads where uploaded_by = $1")
            .bind(account_id)
            .fetch_scalar(&self.pool)
            .await?)
    }

    /// The member whose profile photo this image is, if any: their visibility is the photo's.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn photo_owner(&self, upload_id: Uuid) -> StoreResult<Option<MemberRecord>> {
        let row: Option<MemberRow> = sql(format!("select {MEMBER_COLUMNS} from members m where m.photo_id = $1"))
            .bind(upload_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(MemberRecord::try_from).transpose()?)
    }
}
