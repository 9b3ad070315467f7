//! Uploaded images: checked (SVG sanitised) on the way in, kept in the database, served with
//! their content type, `nosniff` and a CSP that keeps an SVG from doing anything but draw.

pub mod api;
#[cfg(feature = "ssr")]
pub mod image;

use serde::{Deserialize, Serialize};

/// The largest image accepted, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The file types accepted, for the file input's `accept`.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp,image/gif,image/svg+xml,.svg";

/// An image just stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedImage {
    pub id: uuid::Uuid,
    pub content_type: String,
}
