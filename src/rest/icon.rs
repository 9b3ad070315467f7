//! A V4 badge's `icon` (REST_CONTRACT §1.6) and Insignia's icons: library icons and uploads
//! answer with a `url` that serves them (and such a URL sent back means that icon again);
//! a media id sent as `{id, width, height, filename|altText}` is kept as its
//! `wix:image://v1/…` name and echoed back in the same shape; any other URL is an external image.

use super::error::ApiError;
use crate::domain::{IconRef, IconSource};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WireImage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

const MEDIA: &str = "wix:image://v1/";

/// Percent-encodes all but unreserved characters, as `encodeURIComponent` does.
fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The icon a wire image names. `base` is this server's own address (`http://host`).
pub fn to_icon(image: &WireImage, base: &str) -> Result<IconRef, ApiError> {
    let alt = image.alt_text.as_deref().unwrap_or_default();
    let bad = |e| ApiError::invalid("badge.icon", e);
    if let Some(id) = image.id.as_deref().filter(|id| !id.is_empty()) {
        let name = image.filename.as_deref().or(image.alt_text.as_deref()).unwrap_or_default();
        let uri = format!(
            "{MEDIA}{}/{}#originWidth={}&originHeight={}",
            encode_component(id),
            encode_component(name),
            image.width.unwrap_or(0),
            image.height.unwrap_or(0)
        );
        return IconRef::url(&uri, alt).map_err(bad);
    }
    let url = image.url.as_deref().unwrap_or_default().trim();
    let own = url.strip_prefix(base).filter(|_| !base.is_empty());
    if let Some(name) = own.and_then(|p| p.strip_prefix("/icons/")).and_then(|f| f.strip_suffix(".svg")) {
        return IconRef::library(name, alt).map_err(bad);
    }
    if let Some(id) = own.and_then(|p| p.strip_prefix("/uploads/")).and_then(|id| id.parse().ok()) {
        return IconRef::upload(id, alt).map_err(bad);
    }
    if url.is_empty() {
        return Err(ApiError::invalid("badge.icon", crate::error::Invalid::required("an icon has a url or an id")));
    }
    IconRef::url(url, alt).map_err(bad)
}

/// The wire image of an icon.
pub fn from_icon(icon: &IconRef, base: &str) -> WireImage {
    let alt_text = (!icon.alt_text.is_empty()).then(|| icon.alt_text.clone());
    match &icon.source {
        IconSource::Library(name) => WireImage {
            url: Some(format!("{base}{}", crate::icons::library_icon_path(name))),
            alt_text,
            ..Default::default()
        },
        IconSource::Upload(id) => {
            WireImage { url: Some(format!("{base}{}", crate::icons::upload_path(*id))), alt_text, ..Default::default() }
        }
        IconSource::Url(url) => match url.strip_prefix(MEDIA) {
            Some(media) => media_image(url, media, alt_text),
            None => WireImage { url: Some(url.clone()), alt_text, ..Default::default() },
        },
    }
}

/// `<id>/<filename>#originWidth=<w>&originHeight=<h>` back into its parts.
fn media_image(full: &str, media: &str, alt_text: Option<String>) -> WireImage {
    let (path, fragment) = media.split_once('#').unwrap_or((media, ""));
    let (id, filename) = path.split_once('/').unwrap_or((path, ""));
    let number = |key: &str| {
        fragment
            .split('&')
            .find_map(|kv| kv.strip_prefix(key))
            .and_then(|v| v.strip_prefix('='))
            .and_then(|v| v.parse().ok())
    };
    let filename = (!filename.is_empty()).then(|| decode_component(filename));
    WireImage {
        id: Some(decode_component(id)),
        url: Some(full.to_owned()),
        width: number("originWidth"),
        height: number("originHeight"),
        alt_text: alt_text.or_else(|| filename.clone()),
        filename,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://localhost:3000";

    #[test]
    fn a_media_id_is_echoed_back_in_its_own_shape() {
        let sent = WireImage {
            id: Some("c1a2b3_abc~mv2.png".into()),
            width: Some(120),
            height: Some(80),
            alt_text: Some("Gold star.png".into()),
            filename: Some("Gold star.png".into()),
            ..Default::default()
        };
        let back = from_icon(&to_icon(&sent, BASE).unwrap(), BASE);
        assert_eq!((back.id.as_deref(), back.width, back.height), (Some("c1a2b3_abc~mv2.png"), Some(120), Some(80)));
        assert_eq!(
            (back.filename.as_deref(), back.alt_text.as_deref()),
            (Some("Gold star.png"), Some("Gold star.png"))
        );
    }

    #[test]
    fn own_urls_mean_own_icons_and_other_urls_stay_urls() {
        let library = IconRef::library("star", "").unwrap();
        let wire = from_icon(&library, BASE);
        assert_eq!(wire.url.as_deref(), Some("http://localhost:3000/icons/star.svg"));
        assert_eq!(to_icon(&wire, BASE).unwrap(), library);
        let upload = IconRef::upload(uuid::Uuid::new_v4(), "Logo").unwrap();
        assert_eq!(to_icon(&from_icon(&upload, BASE), BASE).unwrap(), upload);
        let external = WireImage { url: Some("https://cdn.example.com/a.svg".into()), ..Default::default() };
        assert_eq!(from_icon(&to_icon(&external, BASE).unwrap(), BASE), external);
        let hostile = WireImage { url: Some("javascript:alert(1)".into()), ..Default::default() };
        assert!(to_icon(&hostile, BASE).is_err());
    }
}
