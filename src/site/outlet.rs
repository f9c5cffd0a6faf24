//! `/{outlet}`: an outlet's page — its name and description, then its stories, newest
//! first, with an "Older stories" link (keyset, the public API's cursor).

use actix_web::{web, HttpRequest};
use minijinja::context;

use super::front::newest;
use super::look::Look;
use super::page::{self, CursorQuery, Frame, PageResult, SiteError, PAGE_SIZE};
use super::page_cache::Page;
use crate::public::service::{self, ListRequest};
use crate::state::AppState;

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    outlet: web::Path<String>,
    query: web::Query<CursorQuery>,
) -> PageResult {
    let cursor = query.into_inner().cursor;
    page::kept(&state, &req, render(&state, &outlet, cursor)).await
}

async fn render(state: &AppState, outlet: &str, cursor: Option<String>) -> Result<Page, SiteError> {
    let outlet = service::outlet(state, outlet).await?;
    let stories = service::list(
        state,
        ListRequest {
            outlet: Some(outlet.slug.clone()),
            cursor,
            ..newest(None, PAGE_SIZE)
        },
    )
    .await?;
    let mut frame = Frame::load(state).await?;
    let modified = stories
        .items
        .iter()
        .map(|s| s.updated_at)
        .chain([outlet.updated_at])
        .max();
    frame.look = Some(Look::of(&outlet));
    let ctx = context! {
        frame, title => &outlet.name, outlet, stories => stories.items, next => stories.next,
    };
    page::render("site/outlet.html", ctx, modified)
}
