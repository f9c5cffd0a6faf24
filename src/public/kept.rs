//! The public API's answers as this instance keeps them: in the reader site's cache
//! (`site::page_cache`), so under the same bound. No answer is older than
//! `NEWSROOM_SITE_CACHE_MS` (1 s at most), a staff write through this instance empties it,
//! an answer made across such a write is not kept, and errors (a 404 for a story taken down)
//! never are. A read every reader makes alike (the latest stories, an outlet's page, a busy
//! story) then costs the database two or three times a second per instance, however many ask.
//!
//! The key is the path and the query string as sent: the query's fields are checked before
//! (`deny_unknown_fields`), and any other spelling of the same query is only another entry.

use std::future::Future;

use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{AppError, Result};
use crate::http_cache;
use crate::site::page_cache::Page;
use crate::state::AppState;

/// What a read makes: the answer's bytes and its `Last-Modified`.
pub struct Made {
    pub body: Vec<u8>,
    pub modified: Option<DateTime<Utc>>,
}

impl Made {
    /// `value` as JSON.
    pub fn json(value: &impl Serialize, modified: Option<DateTime<Utc>>) -> Result<Made> {
        let body = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
        Ok(Made { body, modified })
    }
}

/// The answer to `req` of `content_type`: kept, or made by `make` (and kept when it
/// succeeds); `304` to a matching `If-None-Match`, with the public API's caching headers.
pub async fn answer(
    state: &AppState,
    req: &HttpRequest,
    content_type: &'static str,
    make: impl Future<Output = Result<Made>>,
) -> Result<HttpResponse> {
    let key = format!("api {}?{}", req.path(), req.query_string());
    let page = state
        .site
        .page(&key, || state.clock.now(), async {
            let made = make.await?;
            Ok::<_, AppError>(Page::new(made.body, made.modified))
        })
        .await?;
    Ok(http_cache::with_etag(
        req,
        page.body,
        &page.etag,
        content_type,
        page.modified,
        http_cache::PUBLIC,
    ))
}
