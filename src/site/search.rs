//! `/search?q=`: the readers' search — the public API's list with its words, so only public
//! stories are found, newest first, with an "Older stories" link.

use actix_web::{web, HttpRequest};
use minijinja::context;
use serde::Deserialize;

use super::front::newest;
use super::page::{self, Frame, PageResult, PAGE_SIZE};
use crate::public::service::{self, ListRequest};
use crate::state::AppState;

/// Longest search a reader may send; longer ones are cut.
const MAX_QUERY: usize = 200;

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub cursor: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<SearchQuery>,
) -> PageResult {
    let SearchQuery { q, cursor } = query.into_inner();
    let q: String = q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_QUERY)
        .collect();
    let (stories, next) = if q.is_empty() {
        (Vec::new(), None)
    } else {
        let page = service::list(
            &state,
            ListRequest {
                q: Some(q.clone()),
                cursor,
                ..newest(None, PAGE_SIZE)
            },
        )
        .await?;
        (page.items, page.next)
    };
    let frame = Frame::load(&state).await?;
    let next = next.map(|cursor| {
        format!(
            "q={}&cursor={cursor}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        )
    });
    let modified = stories.iter().map(|s| s.updated_at).max();
    let title = if q.is_empty() {
        "Search".to_owned()
    } else {
        format!("Search: {q}")
    };
    let ctx = context! { frame, title, q, stories, next };
    // Not kept: one page per query typed, which would crowd out the pages many readers share.
    Ok(page::answer(
        &req,
        page::render("site/search.html", ctx, modified)?,
    ))
}
