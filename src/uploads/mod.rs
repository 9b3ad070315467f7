//! Uploaded images: checked (SVG bounded and sanitised, raster metadata removed) on the way in,
//! kept in the database, served with their content type, `nosniff` and a CSP that keeps an SVG
//! from doing anything but draw.

pub mod api;
#[cfg(feature = "ssr")]
pub mod image;
#[cfg(feature = "ssr")]
mod metadata;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod svg;

use serde::{Deserialize, Serialize};

/// The largest image accepted, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The file types accepted for badge icons, for the file input's `accept`.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp,image/gif,image/svg+xml,.svg";
/// The file types accepted for profile photos: raster only. Any visitor can sign up and upload
/// a photo, and a photo gains nothing from being a vector, so the SVG parser is kept away
/// from them entirely.
pub const PHOTO_ACCEPT: &str = "image/png,image/jpeg,image/webp,image/gif";
/// How many bytes of images one account may keep.
pub const QUOTA_BYTES: i64 = 20 * 1024 * 1024;

/// What an image is for, which decides the formats accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePurpose {
    /// A badge icon (admins): raster or SVG.
    BadgeIcon,
    /// A member's profile photo: raster only.
    Photo,
}

/// An image just stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedImage {
    pub id: uuid::Uuid,
    pub content_type: String,
}

/// The file chosen in `input` as the multipart body the upload functions take (`file`), or
/// why it cannot go: the size is checked in the browser first, so an oversized file is refused
/// before it is sent. `None` when no file is chosen.
pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<Result<web_sys::FormData, String>> {
    let file = input.files()?.get(0)?;
    if file.size() > MAX_BYTES as f64 {
        return Some(Err(format!("Images can be at most 1 MB; this one is {:.1} MB", file.size() / MAX_BYTES as f64)));
    }
    let form = web_sys::FormData::new().and_then(|form| form.append_with_blob("file", &file).map(|_| form));
    Some(form.map_err(|_| "This browser could not read the file".to_owned()))
}
