//! From an uploaded file to the stored master: read the header and refuse a decompression
//! bomb before any pixel is decoded, decode with `image`'s allocation limits, read the
//! newsroom's fields from the metadata, turn the pixels upright (EXIF orientation), and
//! re-encode them. The master is a new file made from pixels alone, so no EXIF, XMP, IPTC,
//! ICC text, thumbnail, maker note or trailing payload of the upload can survive into it.
//! Runs in the picture process (`draw_child.rs`): it is CPU work, and a decoder's bug stays
//! out of the server.

use std::io::{BufReader, Read, Seek};

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::metadata::Embedded;
use super::pixels::Pixels;
use super::sniff::Format;
use crate::error::AppError;

/// Why a file made no master, as the picture process tells the server.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum Refusal {
    /// Too many pixels, or too much memory to decode: 413.
    TooLarge(String),
    /// Not a readable picture: 422 on the `file` field.
    Unreadable(String),
    /// Our failure (an encoder's error): 500.
    Failed(String),
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        match refusal {
            Refusal::TooLarge(why) => AppError::TooLarge(why),
            Refusal::Unreadable(why) => AppError::field("file", why),
            Refusal::Failed(why) => anyhow::anyhow!("making a master: {why}").into(),
        }
    }
}

/// JPEG quality of a master: visually lossless, so one generation of loss costs nothing seen.
const MASTER_JPEG_QUALITY: u8 = 92;

/// The master of an upload, ready to store: its bytes and what the server records of it.
pub struct Master {
    pub bytes: Vec<u8>,
    pub facts: Facts,
}

/// What the server records of a master.
#[derive(Debug, Serialize, Deserialize)]
pub struct Facts {
    /// `Jpeg` for opaque photos (JPEG and WebP uploads), `Png` for the rest (lossless).
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
    pub sha256: String,
    pub embedded: Embedded,
}

/// Decodes `file` (already sniffed as `source`) into a master, or says why not.
pub fn make_master(
    file: impl Read + Seek,
    source: Format,
    max_pixels: u64,
) -> Result<Master, Refusal> {
    let format = match source {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Gif => image::ImageFormat::Gif,
        Format::Webp => image::ImageFormat::WebP,
    };
    let mut reader = ImageReader::with_format(BufReader::new(file), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(65_000);
    limits.max_image_height = Some(65_000);
    // Room for the decoded picture at 8 bytes a pixel (16-bit RGBA) and the decoder's own.
    limits.max_alloc = Some(max_pixels.saturating_mul(8) + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(Refusal::TooLarge(format!(
            "the picture is {width} × {height} pixels ({:.1} megapixels); at most {} megapixels \
             are accepted",
            pixels as f64 / 1e6,
            max_pixels / 1_000_000
        )));
    }
    // A decoder that cannot read a metadata block just gives no fields from it.
    let exif = decoder.exif_metadata().ok().flatten();
    let xmp = decoder.xmp_metadata().ok().flatten();
    let iptc = decoder.iptc_metadata().ok().flatten();
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let embedded = Embedded::read(exif.as_deref(), xmp.as_deref(), iptc.as_deref());
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    let pixels = Pixels::from_image(image);
    let master_format = match (source, pixels.has_alpha()) {
        (Format::Jpeg | Format::Webp, false) => Format::Jpeg,
        _ => Format::Png,
    };
    let bytes = match master_format {
        Format::Jpeg => pixels.jpeg(MASTER_JPEG_QUALITY),
        _ => pixels.png(),
    }
    .map_err(|e| Refusal::Failed(e.to_string()))?;
    Ok(Master {
        facts: Facts {
            sha256: hex::encode(Sha256::digest(&bytes)),
            format: master_format,
            width: pixels.width(),
            height: pixels.height(),
            has_alpha: pixels.has_alpha(),
            embedded,
        },
        bytes,
    })
}

/// A file whose header or pixels cannot be decoded: damaged, truncated, or not what it
/// claims. The client's problem, never a 500 (decoders report some malformed data as I/O
/// errors; the spooled file itself is on local disk and was just written).
fn unreadable(err: image::ImageError) -> Refusal {
    match err {
        image::ImageError::Limits(_) => Refusal::TooLarge(
            "decoding the picture would need more memory than a picture of the accepted size"
                .into(),
        ),
        other => Refusal::Unreadable(format!(
            "is not a readable picture (damaged or truncated): {other}"
        )),
    }
}
