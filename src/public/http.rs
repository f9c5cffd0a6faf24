//! `/public/v1`: published stories and the catalogue for the alliance's site, with no key and
//! no login. Every answer is cacheable by a CDN: a strong `ETag` (304 to `If-None-Match`),
//! `Cache-Control: public, …` and `Last-Modified` where there is one.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::kept::{self, Made};
use super::model::{PublicAuthor, PublicOutlet, PublicSection, PublicStory, StorySummary};
use super::service::{self, ListRequest, Sitemap};
use super::sitemap;
use crate::domain::{limit, Page};
use crate::error::{Problem, Result};
use crate::feeds::{self, FeedInfo, JsonFeed, ATOM_CONTENT_TYPE, JSON_FEED_CONTENT_TYPE};
use crate::state::AppState;
use crate::stories::StoryRow;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StoryQuery {
    /// Section slug or id.
    pub section: Option<String>,
    /// Outlet slug or id.
    pub outlet: Option<String>,
    /// Author slug or id.
    pub author: Option<String>,
    pub tag: Option<String>,
    /// BCP 47 tag, e.g. `en`.
    pub language: Option<String>,
    pub cursor: Option<String>,
    /// 1-100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// Published stories, newest first by `published_at`.
#[utoipa::path(get, operation_id = "public_articles", path = "/public/v1/articles", tag = "public", params(StoryQuery),
    responses((status = 200, body = Page<StorySummary>), (status = 304), (status = 422, body = Problem)))]
pub async fn articles(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<StoryQuery>,
) -> Result<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    kept::answer(&state, &req, JSON, async {
        let page = service::list(
            &state,
            ListRequest {
                limit,
                section: q.section,
                outlet: q.outlet,
                author: q.author,
                tag: q.tag,
                language: q.language,
                q: None,
                cursor: q.cursor,
                subsections: false,
            },
        )
        .await?;
        let modified = page.items.iter().map(|s| s.updated_at).max();
        Made::json(&page, modified)
    })
    .await
}

const JSON: &str = "application/json";

/// One published story of an outlet, by its slug (404 if it is not public now).
#[utoipa::path(get, operation_id = "public_article", path = "/public/v1/outlets/{outlet}/articles/{slug}", tag = "public",
    params(("outlet" = String, Path, description = "Outlet slug or id"), ("slug" = String, Path)),
    responses((status = 200, body = PublicStory), (status = 304), (status = 404, body = Problem)))]
pub async fn article(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (outlet, slug) = path.into_inner();
    kept::answer(&state, &req, JSON, async {
        let (body, updated_at) = service::story_json(&state, &outlet, &slug).await?;
        Ok(Made {
            body,
            modified: Some(updated_at),
        })
    })
    .await
}

/// Every section, by slug.
#[utoipa::path(get, operation_id = "public_sections", path = "/public/v1/sections", tag = "public",
    responses((status = 200, body = Page<PublicSection>), (status = 304)))]
pub async fn sections(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse> {
    kept::answer(&state, &req, JSON, async {
        let (page, modified) = service::sections(&state).await?;
        Made::json(&page, modified)
    })
    .await
}

/// Every outlet of the alliance, by slug.
#[utoipa::path(get, operation_id = "public_outlets", path = "/public/v1/outlets", tag = "public",
    responses((status = 200, body = Page<PublicOutlet>), (status = 304)))]
pub async fn outlets(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse> {
    kept::answer(&state, &req, JSON, async {
        let (page, modified) = service::outlets(&state).await?;
        Made::json(&page, modified)
    })
    .await
}

/// An author's page: name, "About the Author", outlet and latest stories.
#[utoipa::path(get, operation_id = "public_author", path = "/public/v1/authors/{slug}", tag = "public",
    params(("slug" = String, Path, description = "Author slug or id")),
    responses((status = 200, body = PublicAuthor), (status = 304), (status = 404, body = Problem)))]
pub async fn author(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse> {
    kept::answer(&state, &req, JSON, async {
        let author = service::author(&state, &slug).await?;
        let modified = author.stories.iter().map(|s| s.updated_at).max();
        Made::json(&author, modified)
    })
    .await
}

/// The Atom feed of a section's latest 50 published stories.
#[utoipa::path(get, operation_id = "public_section_feed", path = "/public/v1/sections/{section}/feed.atom", tag = "public",
    params(("section" = String, Path, description = "Section slug or id")),
    responses((status = 200, description = "Atom 1.0", content_type = "application/atom+xml"), (status = 304),
        (status = 404, body = Problem)))]
pub async fn section_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    section: web::Path<String>,
) -> Result<HttpResponse> {
    kept::answer(&state, &req, ATOM_CONTENT_TYPE, async {
        let (info, rows) = service::section_feed(&state, &section, "atom").await?;
        atom(&info, &rows)
    })
    .await
}

/// The JSON Feed of a section's latest 50 published stories.
#[utoipa::path(get, operation_id = "public_section_json_feed", path = "/public/v1/sections/{section}/feed.json", tag = "public",
    params(("section" = String, Path, description = "Section slug or id")),
    responses((status = 200, body = JsonFeed, content_type = "application/feed+json"), (status = 304),
        (status = 404, body = Problem)))]
pub async fn section_json_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    section: web::Path<String>,
) -> Result<HttpResponse> {
    kept::answer(&state, &req, JSON_FEED_CONTENT_TYPE, async {
        let (info, rows) = service::section_feed(&state, &section, "json").await?;
        json_feed(&info, &rows)
    })
    .await
}

/// The Atom feed of the site's latest 50 published stories, every section.
#[utoipa::path(get, operation_id = "public_site_feed", path = "/public/v1/feed.atom", tag = "public",
    responses((status = 200, description = "Atom 1.0", content_type = "application/atom+xml"), (status = 304)))]
pub async fn site_feed(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse> {
    kept::answer(&state, &req, ATOM_CONTENT_TYPE, async {
        let (info, rows) = service::site_feed(&state, "atom").await?;
        atom(&info, &rows)
    })
    .await
}

/// The JSON Feed of the site's latest 50 published stories, every section.
#[utoipa::path(get, operation_id = "public_site_json_feed", path = "/public/v1/feed.json", tag = "public",
    responses((status = 200, body = JsonFeed, content_type = "application/feed+json"), (status = 304)))]
pub async fn site_json_feed(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse> {
    kept::answer(&state, &req, JSON_FEED_CONTENT_TYPE, async {
        let (info, rows) = service::site_feed(&state, "json").await?;
        json_feed(&info, &rows)
    })
    .await
}

fn atom(info: &FeedInfo, rows: &[StoryRow]) -> Result<Made> {
    Ok(Made {
        body: feeds::atom(info, rows)?,
        modified: feeds::last_modified(rows),
    })
}

fn json_feed(info: &FeedInfo, rows: &[StoryRow]) -> Result<Made> {
    Made::json(&feeds::json_feed(info, rows), feeds::last_modified(rows))
}

/// Every published story's URL, or (above `NEWSROOM_SITEMAP_PAGE_SIZE` stories) an index of
/// sitemap pages.
#[utoipa::path(get, operation_id = "public_sitemap", path = "/public/v1/sitemap.xml", tag = "public",
    responses((status = 200, description = "A sitemap or a sitemap index", content_type = "application/xml"), (status = 304)))]
pub async fn sitemap_xml(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse> {
    kept::answer(&state, &req, sitemap::CONTENT_TYPE, async {
        let (map, modified) = service::sitemap(&state).await?;
        let config = &state.config;
        let body = match map {
            Sitemap::Urls(rows) => sitemap::urlset(&config.public_base_url, &rows),
            Sitemap::Index { pages } => sitemap::index(&config.public_url, pages),
        }
        .map_err(anyhow::Error::from)?;
        Ok(Made { body, modified })
    })
    .await
}

/// Page `n` (from 1) of the sitemap, when `sitemap.xml` is an index.
#[utoipa::path(get, operation_id = "public_sitemap_page", path = "/public/v1/sitemap-{n}.xml", tag = "public",
    params(("n" = u32, Path, description = "Page number, from 1")),
    responses((status = 200, description = "A sitemap", content_type = "application/xml"), (status = 304),
        (status = 404, body = Problem)))]
pub async fn sitemap_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    n: web::Path<u32>,
) -> Result<HttpResponse> {
    let n = i64::from(n.into_inner());
    kept::answer(&state, &req, sitemap::CONTENT_TYPE, async {
        let rows = service::sitemap_page(&state, n).await?;
        let modified = rows.iter().map(|r| r.updated_at).max();
        let body =
            sitemap::urlset(&state.config.public_base_url, &rows).map_err(anyhow::Error::from)?;
        Ok(Made { body, modified })
    })
    .await
}

/// The public routes, to be mounted under `/public/v1` (and wrapped by its rate limiter).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/articles").route(web::get().to(articles)))
        .service(web::resource("/outlets").route(web::get().to(outlets)))
        .service(web::resource("/outlets/{outlet}/articles/{slug}").route(web::get().to(article)))
        .service(web::resource("/sections").route(web::get().to(sections)))
        .service(web::resource("/sections/{section}/feed.atom").route(web::get().to(section_feed)))
        .service(
            web::resource("/sections/{section}/feed.json").route(web::get().to(section_json_feed)),
        )
        .service(web::resource("/feed.atom").route(web::get().to(site_feed)))
        .service(web::resource("/feed.json").route(web::get().to(site_json_feed)))
        .service(web::resource("/authors/{slug}").route(web::get().to(author)))
        .service(web::resource("/sitemap.xml").route(web::get().to(sitemap_xml)))
        .service(web::resource("/sitemap-{n}.xml").route(web::get().to(sitemap_page)));
}
