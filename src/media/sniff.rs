//! What a file really is, from its bytes: the four picture formats newsroom takes, and the
//! signs of something else riding along (an archive or markup: a polyglot). The declared
//! type and file name must agree with the bytes; a disagreement is refused, never guessed.

use crate::error::{AppError, Result};

/// A picture format newsroom accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
        }
    }

    fn from_mime(mime: &str) -> Option<Format> {
        match mime.to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Format::Jpeg),
            "image/png" => Some(Format::Png),
            "image/gif" => Some(Format::Gif),
            "image/webp" => Some(Format::Webp),
            _ => None,
        }
    }

    fn from_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" | "jpe" | "jfif" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "gif" => Some(Format::Gif),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }
}

/// Bytes needed from the start of a file to tell its format.
pub const HEAD: usize = 16;

const ACCEPTED: &str = "JPEG, PNG, WebP or GIF";

/// The format of a file from its first bytes.
pub fn sniff(head: &[u8]) -> Result<Format> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Ok(Format::Webp);
    }
    let text = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
    if text.starts_with(b"<") {
        return Err(AppError::UnsupportedContent(format!(
            "SVG, HTML and other markup are refused: send a {ACCEPTED} picture"
        )));
    }
    Err(AppError::UnsupportedContent(format!(
        "the file is not a {ACCEPTED} picture"
    )))
}

/// Refuses a file whose declared content type or file name names another picture format than
/// its bytes (`application/octet-stream` and names without a picture extension say nothing).
pub fn check_declared(actual: Format, content_type: Option<&str>, filename: &str) -> Result<()> {
    let declared_mime = content_type
        .map(|ct| ct.split(';').next().unwrap_or(ct).trim())
        .filter(|ct| !ct.is_empty() && !ct.eq_ignore_ascii_case("application/octet-stream"));
    if let Some(mime) = declared_mime {
        match Format::from_mime(mime) {
            Some(f) if f == actual => {}
            _ => {
                return Err(AppError::UnsupportedContent(format!(
                    "the file is sent as `{mime}` but its bytes are {}",
                    actual.mime()
                )))
            }
        }
    }
    if let Some(named) = Format::from_extension(filename) {
        if named != actual {
            return Err(AppError::UnsupportedContent(format!(
                "the file is named `{filename}` but its bytes are {}",
                actual.mime()
            )));
        }
    }
    Ok(())
}

/// Markup that has no business inside a picture: a file carrying it is an HTML or script
/// polyglot, refused even though re-encoding would drop it.
const MARKUP: [&[u8]; 7] = [
    b"<script",
    b"<html",
    b"<svg",
    b"<?php",
    b"<!doctype",
    b"<iframe",
    b"<body",
];

/// Looks for markup across the chunks of a stream (a match may straddle two chunks).
#[derive(Default)]
pub struct PolyglotScan {
    carry: Vec<u8>,
    found: bool,
}

impl PolyglotScan {
    const OVERLAP: usize = 8;

    pub fn feed(&mut self, chunk: &[u8]) {
        if self.found {
            return;
        }
        let mut window = std::mem::take(&mut self.carry);
        window.extend_from_slice(chunk);
        // Every marker starts with `<`: only where one is (memchr, a few per KiB of a
        // photo) are the markers compared, so a 10 MB upload is scanned in about a millisecond.
        self.found = memchr::memchr_iter(b'<', &window).any(|at| {
            MARKUP.iter().any(|m| {
                window
                    .get(at..at + m.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(m))
            })
        });
        let keep = window.len().min(Self::OVERLAP);
        self.carry = window[window.len() - keep..].to_vec();
    }

    /// Fails when markup was seen, or when `tail` (the file's last bytes) ends a ZIP archive.
    pub fn verdict(&self, tail: &[u8]) -> Result<()> {
        // The end-of-central-directory record of a ZIP sits in its last 64 KiB + 22 bytes.
        let zip = tail.windows(4).any(|w| w == b"PK\x05\x06");
        if self.found || zip {
            return Err(AppError::UnsupportedContent(
                "the file carries something besides a picture (an archive or markup)".into(),
            ));
        }
        Ok(())
    }
}

/// How many bytes at the end of a file the ZIP check reads.
pub const ZIP_TAIL: u64 = 65_536 + 22;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes_and_markup_is_refused() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest").unwrap(), Format::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest").unwrap(), Format::Png);
        assert_eq!(sniff(b"GIF89a...").unwrap(), Format::Gif);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), Format::Webp);
        assert!(sniff(b"  <svg xmlns=").is_err());
        assert!(sniff(b"\xEF\xBB\xBF<?xml").is_err());
        assert!(sniff(b"II*\0").is_err());
    }

    #[test]
    fn a_declared_type_or_name_that_disagrees_is_refused() {
        assert!(check_declared(Format::Jpeg, Some("image/jpeg"), "a.JPG").is_ok());
        assert!(check_declared(Format::Jpeg, Some("application/octet-stream"), "a").is_ok());
        assert!(check_declared(Format::Jpeg, None, "scan.bin").is_ok());
        assert!(check_declared(Format::Jpeg, Some("image/png"), "a.jpg").is_err());
        assert!(check_declared(Format::Png, Some("image/png"), "a.gif").is_err());
        assert!(check_declared(Format::Png, Some("text/html"), "a.png").is_err());
    }

    #[test]
    fn markup_split_across_chunks_and_a_zip_tail_are_found() {
        let mut scan = PolyglotScan::default();
        scan.feed(b"\xFF\xD8 pixels <scr");
        scan.feed(b"IPT>alert(1)");
        assert!(scan.verdict(b"").is_err());
        let clean = PolyglotScan::default();
        assert!(clean.verdict(b"...PK\x05\x06\0\0").is_err());
        assert!(clean.verdict(b"just pixels").is_ok());
    }

    #[test]
    fn the_longest_marker_is_found_however_the_chunks_fall() {
        let file = b"\xFF\xD8 pixels < not markup <!DocType html> more pixels";
        for split in 1..file.len() {
            let mut scan = PolyglotScan::default();
            scan.feed(&file[..split]);
            scan.feed(&file[split..]);
            assert!(scan.verdict(b"").is_err(), "split at {split}");
        }
        let mut byte_by_byte = PolyglotScan::default();
        for byte in file {
            byte_by_byte.feed(std::slice::from_ref(byte));
        }
        assert!(byte_by_byte.verdict(b"").is_err());
        let mut clean = PolyglotScan::default();
        for byte in b"\xFF\xD8 a < b <scrip t <!doctyp e" {
            clean.feed(std::slice::from_ref(byte));
        }
        assert!(clean.verdict(b"").is_ok(), "near misses are not markup");
    }
}
