//! What makes an uploaded file acceptable: a PNG, JPEG, WebP or GIF (recognised by its bytes,
//! not its name, and at most 4,096 pixels a side), kept without its metadata; or, for badge
//! icons only, an SVG, bounded and rewritten by `svg`.

use super::{metadata, svg, ImagePurpose, MAX_BYTES};

/// The largest width or height of a raster image: bigger ones are costly for every browser
/// that shows them, and a badge icon is drawn at a few dozen pixels.
pub const MAX_SIDE: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedImage {
    pub content_type: &'static str,
    /// The bytes to keep and serve: raster images without their metadata, SVGs rewritten.
    pub bytes: Vec<u8>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Accepts an image for `purpose` or says, in words for the uploader, why not.
pub fn check(bytes: &[u8], purpose: ImagePurpose) -> Result<CheckedImage, String> {
    if bytes.is_empty() {
        return Err("The file is empty".into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(format!("Images can be at most 1 MB; this one is {:.1} MB", bytes.len() as f64 / MAX_BYTES as f64));
    }
    let raster = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Some("image/png"),
        Ok(imagesize::ImageType::Jpeg) => Some("image/jpeg"),
        Ok(imagesize::ImageType::Webp) => Some("image/webp"),
        Ok(imagesize::ImageType::Gif) => Some("image/gif"),
        _ => None,
    };
    if let Some(content_type) = raster {
        let size = imagesize::blob_size(bytes).map_err(|_| "The image is damaged or incomplete".to_owned())?;
        if size.width == 0 || size.height == 0 {
            return Err("The image is damaged or incomplete".into());
        }
        if size.width > MAX_SIDE || size.height > MAX_SIDE {
            return Err(format!(
                "Images can be at most {MAX_SIDE} × {MAX_SIDE} pixels; this one is {} × {}",
                size.width, size.height
            ));
        }
        let bytes = metadata::strip(content_type, bytes)?;
        return Ok(CheckedImage {
            content_type,
            bytes,
            width: Some(size.width as u32),
            height: Some(size.height as u32),
        });
    }
    match purpose {
        ImagePurpose::BadgeIcon if looks_like_svg(bytes) => {
            let clean = svg::sanitize(bytes)?;
            Ok(CheckedImage {
                content_type: "image/svg+xml",
                bytes: clean.text.into_bytes(),
                width: Some(clean.width),
                height: Some(clean.height),
            })
        }
        ImagePurpose::BadgeIcon => Err("Only PNG, JPEG, WebP, GIF or SVG images can be uploaded".into()),
        ImagePurpose::Photo => Err("Only PNG, JPEG, WebP or GIF photos can be uploaded".into()),
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with('<') && text.contains("<svg")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A 1 × 1 PNG.
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xFC, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x05, 0x02, 0x00,
        0x5F, 0xC8, 0xF1, 0xD2, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    fn check_icon(bytes: &[u8]) -> Result<CheckedImage, String> {
        check(bytes, ImagePurpose::BadgeIcon)
    }

    #[test]
    fn photos_are_raster_only() {
        assert!(check(PNG, ImagePurpose::Photo).is_ok());
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>"#;
        assert!(check(svg, ImagePurpose::Photo).unwrap_err().contains("PNG, JPEG, WebP or GIF photos"));
        assert!(check(svg, ImagePurpose::BadgeIcon).is_ok());
    }

    #[test]
    fn a_png_claiming_a_huge_size_is_refused_from_its_header() {
        let mut huge = PNG.to_vec();
        huge[16..20].copy_from_slice(&60000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&60000u32.to_be_bytes());
        assert!(check(&huge, ImagePurpose::Photo).unwrap_err().contains("60000 × 60000"));
    }

    #[test]
    fn accepts_raster_images_by_their_bytes() {
        let png = check_icon(PNG).unwrap();
        assert_eq!((png.content_type, png.width, png.height), ("image/png", Some(1), Some(1)));
        assert_eq!(png.bytes, PNG);
        let gif = b"GIF89a\x02\x00\x03\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x02\x00\x03\x00\x00\x02\x02D\x01\x00;";
        assert_eq!(check_icon(gif).unwrap().width, Some(2));
    }

    #[test]
    fn refuses_other_files_with_a_reason() {
        assert_eq!(check_icon(b"").unwrap_err(), "The file is empty");
        assert!(check_icon(b"%PDF-1.7 hello").unwrap_err().contains("Only PNG, JPEG, WebP, GIF or SVG"));
        assert!(check_icon(b"<html><script>alert(1)</script></html>").unwrap_err().contains("Only PNG"));
        let big = vec![0u8; MAX_BYTES + 1];
        assert!(check_icon(&big).unwrap_err().contains("at most 1 MB"));
        // a PNG header claiming 5000 × 1 pixels
        let mut wide = PNG.to_vec();
        wide[16..20].copy_from_slice(&5000u32.to_be_bytes());
        assert!(check_icon(&wide).unwrap_err().contains("4096 × 4096"));
        assert!(check_icon(b"<svg xmlns='http://www.w3.org/2000/svg'><path d=")
            .unwrap_err()
            .contains("could not be read"));
    }

    #[test]
    fn svg_keeps_its_drawing_and_loses_everything_active() {
        let hostile = br##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(https://evil.example/x.css);</style>
  <rect width="10" height="10" fill="#F00" onclick="alert(3)"/>
  <foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></body></foreignObject>
  <image href="https://evil.example/track.png" width="5" height="5"/>
  <a href="javascript:alert(4)"><circle cx="5" cy="5" r="2" fill="blue"/></a>
  <animate attributeName="href" to="javascript:alert(5)"/>
</svg>"##;
        let clean = check_icon(hostile).unwrap();
        assert_eq!(clean.content_type, "image/svg+xml");
        let text = String::from_utf8(clean.bytes).unwrap();
        for banned in [
            "script",
            "onload",
            "onclick",
            "foreignObject",
            "iframe",
            "evil.example",
            "javascript",
            "animate",
            "@import",
        ] {
            assert!(!text.contains(banned), "{banned} survived: {text}");
        }
        assert!(text.contains("<path") || text.contains("<rect"), "the drawing survived: {text}");
        assert_eq!((clean.width, clean.height), (Some(10), Some(10)));
    }
}
