//! `/section/{section}`: a section's page — its sub-sections linked, then its stories,
//! newest first, with an "Older stories" link (keyset, the public API's cursor).

use actix_web::{web, HttpRequest};
use minijinja::context;

use super::front::newest;
use super::page::{self, CursorQuery, Frame, PageResult, SiteError, PAGE_SIZE};
use super::page_cache::Page;
use crate::public::service::{self, ListRequest};
use crate::state::AppState;

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    section: web::Path<String>,
    query: web::Query<CursorQuery>,
) -> PageResult {
    let cursor = query.into_inner().cursor;
    page::kept(&state, &req, render(&state, &section, cursor)).await
}

async fn render(
    state: &AppState,
    section: &str,
    cursor: Option<String>,
) -> Result<Page, SiteError> {
    let (section, children) = service::section(state, section).await?;
    let stories = service::list(
        state,
        ListRequest {
            cursor,
            ..newest(Some(section.slug.clone()), PAGE_SIZE)
        },
    )
    .await?;
    let mut frame = Frame::load(state).await?;
    let mut feeds = page::section_feeds(&section.slug, &section.name);
    feeds.append(&mut frame.feeds);
    frame.feeds = feeds;
    let modified = stories.items.iter().map(|s| s.updated_at).max();
    let ctx = context! {
        frame, title => &section.name, section, children,
        stories => stories.items, next => stories.next,
    };
    page::render("site/section.html", ctx, modified)
}
