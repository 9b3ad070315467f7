//! Metadata removed from raster uploads before they are kept: EXIF (camera, time, GPS
//! position), XMP, IPTC, comments and text chunks. Only container chunks are dropped; the
//! compressed pixels are copied as they are, so nothing is decoded or re-encoded (a decoder
//! would be a second parser of hostile input, and re-encoding loses quality).
//!
//! JPEG orientation lives in EXIF, so a phone photo taken sideways shows sideways after this;
//! GIFs carry no EXIF and are kept as uploaded.

use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::webp::{WebP, CHUNK_EXIF, CHUNK_XMP};
use img_parts::Bytes;

/// PNG chunks that hold text or metadata rather than pixels or colour.
const PNG_METADATA: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];

/// The image without its metadata; unchanged when it had none.
pub fn strip(content_type: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let damaged = |_| "The image is damaged or incomplete".to_owned();
    let input = Bytes::copy_from_slice(bytes);
    let stripped = match content_type {
        "image/jpeg" => {
            let mut jpeg = Jpeg::from_bytes(input).map_err(damaged)?;
            let before = jpeg.segments().len();
            // APP1 holds EXIF and XMP, APP13 IPTC; APP0 (JFIF), APP2 (ICC colour) and
            // APP14 (Adobe colour transform) change how the pixels look and stay
            jpeg.segments_mut().retain(|s| !matches!(s.marker(), markers::APP1 | markers::APP13 | markers::COM));
            (jpeg.segments().len() != before).then(|| jpeg.encoder().bytes())
        }
        "image/png" => {
            let mut png = Png::from_bytes(input).map_err(damaged)?;
            let before = png.chunks().len();
            png.chunks_mut().retain(|c| !PNG_METADATA.contains(&&c.kind()));
            (png.chunks().len() != before).then(|| png.encoder().bytes())
        }
        "image/webp" => {
            let mut webp = WebP::from_bytes(input).map_err(damaged)?;
            let had = webp.chunk_by_id(CHUNK_EXIF).is_some() || webp.chunk_by_id(CHUNK_XMP).is_some();
            if had {
                webp.remove_chunks_by_id(CHUNK_EXIF);
                webp.remove_chunks_by_id(CHUNK_XMP);
            }
            had.then(|| webp.encoder().bytes())
        }
        _ => None,
    };
    Ok(stripped.map_or_else(|| bytes.to_vec(), |b| b.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's skeleton: SOI, an APP1 EXIF segment with a GPS marker string, a comment, then
    /// a (truncated) image: enough for the container parser.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        let exif = b"Exif\0\0GPSLatitude 51.5N";
        j.extend_from_slice(&[0xFF, 0xE1]);
        j.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        j.extend_from_slice(exif);
        let comment = b"secret comment";
        j.extend_from_slice(&[0xFF, 0xFE]);
        j.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
        j.extend_from_slice(comment);
        let jfif = b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
        j.extend_from_slice(&[0xFF, 0xE0]);
        j.extend_from_slice(&((jfif.len() + 2) as u16).to_be_bytes());
        j.extend_from_slice(jfif);
        // start of scan (one component), then the entropy-coded data
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x11, 0x22, 0xFF, 0xD9]);
        j
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_loses_exif_and_comments_but_keeps_the_rest() {
        let original = jpeg_with_exif();
        assert!(contains(&original, b"GPSLatitude"));
        let stripped = strip("image/jpeg", &original).unwrap();
        assert!(!contains(&stripped, b"GPSLatitude") && !contains(&stripped, b"secret comment"));
        assert!(
            contains(&stripped, b"JFIF") && contains(&stripped, &[0x11, 0x22]),
            "the image data stays: {stripped:02x?}"
        );
    }

    #[test]
    fn png_loses_text_chunks_and_images_without_metadata_are_untouched() {
        let png = crate::uploads::image::tests::PNG;
        assert_eq!(strip("image/png", png).unwrap(), png);
        let mut with_text = Png::from_bytes(Bytes::copy_from_slice(png)).unwrap();
        let text = img_parts::png::PngChunk::new(*b"tEXt", Bytes::from_static(b"Comment\0taken at home"));
        with_text.chunks_mut().insert(1, text);
        let with_text = with_text.encoder().bytes().to_vec();
        assert!(contains(&with_text, b"taken at home"));
        let stripped = strip("image/png", &with_text).unwrap();
        assert!(!contains(&stripped, b"taken at home"));
        assert_eq!(stripped, png);
    }
}
