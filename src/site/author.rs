//! `/author/{slug}`: an author's "About the Author" note and their stories, newest first,
//! with an "Older stories" link (keyset, the public API's cursor).

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
    slug: web::Path<String>,
    query: web::Query<CursorQuery>,
) -> PageResult {
    let cursor = query.into_inner().cursor;
    page::kept(&state, &req, render(&state, &slug, cursor)).await
}

async fn render(state: &AppState, slug: &str, cursor: Option<String>) -> Result<Page, SiteError> {
    let author = service::author(state, slug).await?;
    let stories = service::list(
        state,
        ListRequest {
            author: Some(author.slug.clone()),
            cursor,
            ..newest(None, PAGE_SIZE)
        },
    )
    .await?;
    let frame = Frame::load(state).await?;
    let modified = stories.items.iter().map(|s| s.updated_at).max();
    let ctx = context! {
        frame, title => &author.name, author, stories => stories.items, next => stories.next,
    };
    page::render("site/author.html", ctx, modified)
}
