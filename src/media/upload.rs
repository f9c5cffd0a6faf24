//! Reading a `multipart/form-data` upload without holding it in memory: the `file` part
//! streams into an anonymous temporary file (gone when dropped, even if the process dies),
//! size-checked chunk by chunk, hashed and scanned for riding markup off the async worker (in
//! batches on a blocking thread); the short text parts are collected. Nothing here decides
//! what the picture may be.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};

use actix_multipart::{Multipart, MultipartError};
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::sniff::{PolyglotScan, HEAD, ZIP_TAIL};
use crate::error::{AppError, Result};

/// The text parts a form may carry besides `file`.
pub const TEXT_FIELDS: [&str; 6] = [
    "outlet_id",
    "caption",
    "credit",
    "copyright_notice",
    "usage_terms",
    "alt_text",
];
/// Longest text part, in bytes.
const TEXT_MAX: usize = 16 * 1024;

/// A received upload: the spooled file and the form's text parts.
pub struct Received {
    pub file: std::fs::File,
    pub sha256: String,
    pub head: Vec<u8>,
    pub filename: String,
    pub content_type: Option<String>,
    pub scan: PolyglotScan,
    /// The file's last bytes, for the ZIP check.
    pub tail: Vec<u8>,
    pub fields: BTreeMap<String, String>,
}

/// What a form adds around its file (boundaries, part headers, the text fields).
const FORM_OVERHEAD: u64 = 256 * 1024;

/// 413 before reading a byte when the declared `Content-Length` is over the limit.
pub fn check_length(declared: Option<u64>, max_bytes: u64) -> Result<()> {
    if declared.is_some_and(|n| n > max_bytes + FORM_OVERHEAD) {
        return Err(AppError::TooLarge(format!(
            "the file is larger than {} MiB",
            max_bytes >> 20
        )));
    }
    Ok(())
}

/// Reads the whole form; `max_bytes` bounds the file part (413 beyond it). `extra` names text
/// parts a form may carry besides the picture's (the desk's CSRF token).
pub async fn receive(mut form: Multipart, max_bytes: u64, extra: &[&str]) -> Result<Received> {
    let mut spooled: Option<Spool> = None;
    let mut filename = String::new();
    let mut content_type = None;
    let mut fields = BTreeMap::new();
    while let Some(part) = form.next().await {
        let mut part = part.map_err(multipart_error)?;
        let name = part.name().unwrap_or_default().to_owned();
        if name == "file" {
            if spooled.is_some() {
                return Err(AppError::field("file", "send one file per upload"));
            }
            filename = part
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .map(clean_filename)
                .filter(|f| !f.is_empty())
                .unwrap_or_else(|| "upload".to_owned());
            content_type = part.content_type().map(|m| m.essence_str().to_owned());
            let mut spool = Spool::new()?;
            let (mut size, mut batch, mut batched) = (0u64, Vec::new(), 0usize);
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(multipart_error)?;
                size += chunk.len() as u64;
                if size > max_bytes {
                    return Err(AppError::TooLarge(format!(
                        "the file is larger than {} MiB",
                        max_bytes >> 20
                    )));
                }
                batched += chunk.len();
                batch.push(chunk);
                if batched >= BATCH {
                    spool = spool.absorb(std::mem::take(&mut batch)).await?;
                    batched = 0;
                }
            }
            spooled = Some(spool.absorb(batch).await?);
        } else if TEXT_FIELDS.contains(&name.as_str()) || extra.contains(&name.as_str()) {
            let mut text = Vec::new();
            while let Some(chunk) = part.next().await {
                text.extend_from_slice(&chunk.map_err(multipart_error)?);
                if text.len() > TEXT_MAX {
                    return Err(AppError::field(&name, "is too long"));
                }
            }
            let text = String::from_utf8(text)
                .map_err(|_| AppError::field(&name, "must be UTF-8 text"))?;
            if fields.insert(name.clone(), text).is_some() {
                return Err(AppError::field(&name, "is sent twice"));
            }
        } else {
            return Err(AppError::field(
                if name.is_empty() { "form" } else { &name },
                "is not a field of this form; it takes `file` and the picture's text fields",
            ));
        }
    }
    let Spool {
        mut file,
        size,
        hash,
        head,
        scan,
    } = spooled.ok_or_else(|| AppError::field("file", "is required: the picture itself"))?;
    if size == 0 {
        return Err(AppError::field("file", "is empty"));
    }
    let tail = read_tail(&mut file, size).map_err(anyhow::Error::from)?;
    Ok(Received {
        file,
        sha256: hex::encode(hash.finalize()),
        head,
        filename,
        content_type,
        scan,
        tail,
        fields,
    })
}

/// Bytes of the file part gathered before they are spooled, hashed and scanned together.
const BATCH: usize = 256 * 1024;

/// The file part so far: in an anonymous temporary file, hashed, measured, its first bytes
/// kept for sniffing and scanned for markup.
struct Spool {
    file: std::fs::File,
    size: u64,
    hash: Sha256,
    head: Vec<u8>,
    scan: PolyglotScan,
}

impl Spool {
    fn new() -> Result<Spool> {
        Ok(Spool {
            file: tempfile::tempfile().map_err(anyhow::Error::from)?,
            size: 0,
            hash: Sha256::new(),
            head: Vec::new(),
            scan: PolyglotScan::default(),
        })
    }

    /// Takes the next `chunks`, on a blocking thread: hashing, scanning and writing megabytes
    /// on the async worker would hold up every other request it serves (the feed's readers
    /// among them) while a photo arrives.
    async fn absorb(self, chunks: Vec<Bytes>) -> Result<Spool> {
        if chunks.is_empty() {
            return Ok(self);
        }
        let absorbed = actix_web::web::block(move || {
            let mut spool = self;
            for chunk in chunks {
                spool.size += chunk.len() as u64;
                if spool.head.len() < HEAD {
                    spool
                        .head
                        .extend(chunk.iter().take(HEAD - spool.head.len()));
                }
                spool.hash.update(&chunk);
                spool.scan.feed(&chunk);
                spool.file.write_all(&chunk)?;
            }
            Ok::<_, std::io::Error>(spool)
        })
        .await
        .map_err(|e| anyhow::anyhow!("spooling an upload: {e}"))?;
        Ok(absorbed.map_err(anyhow::Error::from)?)
    }
}

/// The name without a client's folders, control characters (NUL cannot be stored) or
/// surrounding blanks, at most 255 characters.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The last `ZIP_TAIL` bytes, leaving the file rewound for the decoder.
fn read_tail(file: &mut std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(size.saturating_sub(ZIP_TAIL)))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(tail)
}

/// A broken form is the client's mistake: 415 for a body that is not a form at all, 413 for
/// one over a limit, 400 otherwise.
fn multipart_error(err: MultipartError) -> AppError {
    match err {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => AppError::UnsupportedContent(
            "send the picture as `multipart/form-data` with a `file` part".into(),
        ),
        MultipartError::Payload(PayloadError::Overflow) => {
            AppError::TooLarge("the request body is too large".into())
        }
        other => AppError::BadRequest(format!("the multipart form cannot be read: {other}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(
            super::clean_filename("C:\\Users\\me\\IMG_1.JPG"),
            "IMG_1.JPG"
        );
        assert_eq!(super::clean_filename("../../etc/pass\0wd "), "passwd");
        assert_eq!(super::clean_filename(&"a".repeat(300)).len(), 255);
    }
}
