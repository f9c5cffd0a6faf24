//! `/`: the alliance's front page — the latest stories, then a block per top-level section
//! with its newest ones. Every list is the public API's `service::list`.

use actix_web::{web, HttpRequest};
use minijinja::context;
use serde::Serialize;

use super::page::{self, Frame, PageResult, SiteError};
use super::page_cache::Page;
use crate::public::service::{self, ListRequest};
use crate::public::StorySummary;
use crate::state::AppState;

/// How many stories lead the page, and how many each section's block shows.
const LATEST: i64 = 10;
const PER_SECTION: i64 = 5;

#[derive(Serialize)]
struct Block {
    slug: String,
    name: String,
    stories: Vec<StorySummary>,
}

/// The public list of `limit` stories, in one section (with its sub-sections, at every
/// depth) or all.
pub fn newest(section: Option<String>, limit: i64) -> ListRequest {
    ListRequest {
        subsections: section.is_some(),
        section,
        outlet: None,
        author: None,
        tag: None,
        language: None,
        q: None,
        cursor: None,
        limit,
    }
}

pub async fn show(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    page::kept(&state, &req, render(&state)).await
}

async fn render(state: &AppState) -> Result<Page, SiteError> {
    let frame = Frame::load(state).await?;
    let latest = service::list(state, newest(None, LATEST)).await?;
    let mut blocks = Vec::new();
    for section in &frame.sections {
        let page = service::list(state, newest(Some(section.slug.clone()), PER_SECTION)).await?;
        if !page.items.is_empty() {
            blocks.push(Block {
                slug: section.slug.clone(),
                name: section.name.clone(),
                stories: page.items,
            });
        }
    }
    let modified = latest
        .items
        .iter()
        .chain(blocks.iter().flat_map(|b| b.stories.iter()))
        .map(|s| s.updated_at)
        .max();
    let ctx = context! { frame, title => page::SITE_NAME, latest => latest.items, blocks };
    page::render("site/front.html", ctx, modified)
}
