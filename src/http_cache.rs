//! HTTP caching and preconditions. Read-only answers get a strong `ETag` (a digest of the
//! body), `304` to a matching `If-None-Match`, `Last-Modified` where there is a natural one,
//! and the `Cache-Control` the caller picks (private for partners, public for the CDN in
//! front of the public API). Versioned resources (articles) carry their version as `ETag`
//! and take it back in `If-Match`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{AppError, Result};

/// The syndication change feed and stories: partners poll them, so keep it short.
pub const PARTNER_SHORT: &str = "private, max-age=10";
/// Partner Atom and JSON feeds.
pub const PARTNER_FEED: &str = "private, max-age=60";
/// Everything under `/public/v1`: a CDN may keep it a minute and serve it stale while it
/// revalidates.
pub const PUBLIC: &str = "public, max-age=60, stale-while-revalidate=300";
/// A versioned URL whose bytes never change (an outlet's stylesheet at `?v=` its current
/// version): keep it a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Answers for one signed-in caller (staff, a partner key): the browser may keep them a
/// minute, shared caches not at all.
pub const PRIVATE_SHORT: &str = "private, max-age=60";

/// The `Cache-Control` of an answer that carries a credential (a session token, a new API
/// key, a webhook secret): no browser, proxy or CDN may keep a copy, e.g. in a disk cache
/// that outlives the session.
pub const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// A JSON answer, cached as [`bytes`] does.
pub fn json(
    req: &HttpRequest,
    body: &impl Serialize,
    modified: Option<DateTime<Utc>>,
    cache_control: &'static str,
) -> Result<HttpResponse> {
    let bytes = serde_json::to_vec(body).map_err(anyhow::Error::from)?;
    Ok(bytes_with(
        req,
        bytes,
        "application/json",
        modified,
        cache_control,
    ))
}

/// An answer of `content_type` with a strong ETag; `If-None-Match` that matches gets a 304
/// with the same headers and no body.
pub fn bytes_with(
    req: &HttpRequest,
    bytes: Vec<u8>,
    content_type: &'static str,
    modified: Option<DateTime<Utc>>,
    cache_control: &'static str,
) -> HttpResponse {
    let etag = etag_of(&bytes);
    with_etag(req, bytes, &etag, content_type, modified, cache_control)
}

/// As [`bytes_with`], for a body whose ETag (from [`etag_of`]) was computed before.
pub fn with_etag(
    req: &HttpRequest,
    body: impl actix_web::body::MessageBody + 'static,
    etag: &str,
    content_type: &'static str,
    modified: Option<DateTime<Utc>>,
    cache_control: &'static str,
) -> HttpResponse {
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| matches_etag(t, etag)));
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag.to_owned()));
    res.insert_header((header::CACHE_CONTROL, cache_control));
    if let Some(modified) = modified {
        res.insert_header((header::LAST_MODIFIED, http_date(modified)));
    }
    if matches {
        return res.finish();
    }
    res.content_type(content_type).body(body)
}

/// `If-None-Match` uses the weak comparison (RFC 9110 13.1.2): a CDN that compressed the
/// body may send our tag back as `W/"…"`, and it still means the same content.
fn matches_etag(candidate: &str, etag: &str) -> bool {
    let candidate = candidate.trim();
    candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
}

/// A strong validator: the first 128 bits of the body's SHA-256, quoted.
pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// The ETag of a version of a resource: `"7"`.
pub fn version_etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version a change was based on, from `If-Match` (428 without one, 412 if unreadable).
pub fn if_match(req: &HttpRequest) -> Result<i32> {
    let value = req
        .headers()
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?;
    let text = value
        .to_str()
        .map_err(|_| AppError::PreconditionFailed)?
        .trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse().map_err(|_| AppError::PreconditionFailed)
}

/// A JSON answer about one version of a resource, with that version as its `ETag`.
pub fn versioned(status: StatusCode, body: &impl Serialize, version: i32) -> HttpResponse {
    let mut res = HttpResponse::build(status).json(body);
    if let Ok(value) = HeaderValue::from_str(&version_etag(version)) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res
}

/// RFC 9110 IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn dates_are_imf_fixdate_and_etags_are_strong() {
        let at = chrono::Utc
            .with_ymd_and_hms(1994, 11, 6, 8, 49, 37)
            .single()
            .unwrap();
        assert_eq!(super::http_date(at), "Sun, 06 Nov 1994 08:49:37 GMT");
        let tag = super::etag_of(b"x");
        assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34);
        assert!(super::matches_etag(&format!(" W/{tag}"), &tag));
        assert!(super::matches_etag("*", &tag));
        assert!(!super::matches_etag("\"other\"", &tag));
    }
}
