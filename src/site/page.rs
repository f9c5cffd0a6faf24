//! What every page of the reader site shares: the answer (HTML with a strong `ETag`, 304 to
//! `If-None-Match`, `Last-Modified` and the CDN's `Cache-Control`), the site's own content
//! security policy, the page frame's data (the sections for the navigation, the newsletter
//! for the sign-up block) and the error pages: an unknown outlet, story or author is a real
//! 404 page in HTML, never a problem document. Pages and the frame's catalogue go through
//! this instance's `page_cache` ([`kept`], [`catalogue`]); `staff_writes` says which writes
//! empty it.

use std::fmt;
use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use minijinja::context;
use serde::Serialize;

use super::look::Look;
use super::page_cache::{Catalogue, Offered, Page};
use crate::domain::Key;
use crate::error::AppError;
use crate::http_cache;
use crate::newsletters;
use crate::public::{service, PublicOutlet, PublicSection};
use crate::security_headers::SITE_CONTENT_SECURITY_POLICY;
use crate::state::AppState;

/// How long a browser or CDN may keep a page: a minute, then up to five more minutes served
/// stale while it revalidates. A takedown (unpublish, kill, a new embargo) is gone from this
/// server at once and from every cache within `max-age` (60 s); a CDN honouring
/// `stale-while-revalidate` shows the old page at most once more while it asks again.
pub const SITE_CACHE: &str = http_cache::PUBLIC;

/// How many stories a list page shows before its "Older stories" link.
pub const PAGE_SIZE: i64 = 20;

/// The name the site goes by in titles and the header.
pub const SITE_NAME: &str = "The Alliance";

/// The privacy policy version a reader agrees to when signing up from the site.
pub const POLICY_VERSION: &str = "2026-11";

/// Why a page could not be shown; every case answers with an HTML page.
#[derive(Debug)]
pub struct SiteError(pub AppError);

impl From<AppError> for SiteError {
    fn from(err: AppError) -> Self {
        SiteError(err)
    }
}

impl From<anyhow::Error> for SiteError {
    fn from(err: anyhow::Error) -> Self {
        SiteError(AppError::Unexpected(err))
    }
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for SiteError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let (title, message) = match &self.0 {
            AppError::NotFound => (
                "Page not found",
                "There is no story or page at this address. It may have been moved or taken down.",
            ),
            AppError::Validation(_) => (
                "Not understood",
                "This address has a part we cannot read. Start again from the front page.",
            ),
            AppError::Unexpected(cause) => {
                tracing::error!(error = ?cause, "site page failed");
                (
                    "Something went wrong",
                    "Something went wrong on our side. Please try again in a minute.",
                )
            }
            _ => (
                "Not available",
                "This page is not available just now. Please try again in a minute.",
            ),
        };
        let ctx = context! { title, message, frame => Frame::empty() };
        match crate::templates::render("site/problem.html", ctx) {
            Ok(body) => html(self.status_code(), body),
            Err(err) => {
                tracing::error!(error = ?err, "site problem page failed");
                HttpResponse::InternalServerError().finish()
            }
        }
    }
}

/// A page's result.
pub type PageResult = Result<HttpResponse, SiteError>;

/// An uncached HTML answer (an error page, a form's answer), with the site's policy.
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header(http_cache::NO_STORE)
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            SITE_CONTENT_SECURITY_POLICY,
        ))
        .body(body)
}

/// Renders `name` as a cacheable page: its bytes, their strong `ETag`, and `Last-Modified`
/// when the newest thing shown has a date.
pub fn render(
    name: &str,
    ctx: impl Serialize,
    modified: Option<DateTime<Utc>>,
) -> Result<Page, SiteError> {
    let body = crate::templates::render(name, ctx)?.into_bytes();
    Ok(Page::new(body, modified))
}

/// The answer of a rendered page, with the site's caching headers and policy; 304 to a
/// matching `If-None-Match`.
pub fn answer(req: &HttpRequest, page: Page) -> HttpResponse {
    let mut res = http_cache::with_etag(
        req,
        page.body,
        &page.etag,
        "text/html; charset=utf-8",
        page.modified,
        SITE_CACHE,
    );
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(SITE_CONTENT_SECURITY_POLICY),
    );
    res
}

/// The page at this request's address as this instance keeps it (`page_cache`: made at most
/// `NEWSROOM_SITE_CACHE_MS` ago), or made now by `render`. The address is the path and the
/// `cursor` of an "Older stories" link, the only parameter a kept page reads: a tracking
/// parameter (`utm_*`, `fbclid`) finds the same page instead of crowding the cache.
pub async fn kept(
    state: &AppState,
    req: &HttpRequest,
    render: impl std::future::Future<Output = Result<Page, SiteError>>,
) -> PageResult {
    let cursor = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, _)| name == "cursor")
        .map(|(_, value)| value.into_owned());
    let key = match cursor {
        Some(cursor) => format!("{}?cursor={cursor}", req.path()),
        None => req.path().to_owned(),
    };
    let page = state.site.page(&key, || state.clock.now(), render).await?;
    Ok(answer(req, page))
}

/// The newsletter a page offers, as its sign-up block shows it.
#[derive(Serialize)]
pub struct Signup {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub policy_version: &'static str,
}

/// A feed discovery link (`<link rel="alternate">`).
#[derive(Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    /// `application/atom+xml` or `application/feed+json`.
    pub kind: &'static str,
}

const ATOM: &str = "application/atom+xml";
const JSON_FEED: &str = "application/feed+json";

/// The site-wide feeds: every section's latest stories.
fn site_feeds() -> Vec<FeedLink> {
    let title = crate::public::service::SITE_FEED_TITLE;
    vec![
        FeedLink {
            title: title.to_owned(),
            href: "/public/v1/feed.atom".to_owned(),
            kind: ATOM,
        },
        FeedLink {
            title: title.to_owned(),
            href: "/public/v1/feed.json".to_owned(),
            kind: JSON_FEED,
        },
    ]
}

/// A section's Atom and JSON feeds, for its page and its stories.
pub fn section_feeds(slug: &str, name: &str) -> Vec<FeedLink> {
    let base = format!("/public/v1/sections/{}", crate::public::urls::segment(slug));
    vec![
        FeedLink {
            title: name.to_owned(),
            href: format!("{base}/feed.atom"),
            kind: ATOM,
        },
        FeedLink {
            title: name.to_owned(),
            href: format!("{base}/feed.json"),
            kind: JSON_FEED,
        },
    ]
}

/// What the frame around every page shows: the sections in the navigation and the
/// newsletter sign-up block (none when the alliance has no newsletter).
#[derive(Serialize)]
pub struct Frame {
    pub site_name: &'static str,
    /// `NEWSROOM_PUBLIC_BASE_URL`, for canonical links.
    pub base: String,
    pub sections: Vec<PublicSection>,
    pub newsletter: Option<Signup>,
    /// Feed discovery links: a section's feeds on its page and its stories, then the
    /// site-wide Atom and JSON Feed (routes of `/public/v1`).
    pub feeds: Vec<FeedLink>,
    /// The outlet whose page or story this is: its band, logo and colour.
    pub look: Option<Look>,
}

impl Frame {
    fn empty() -> Frame {
        Frame {
            site_name: SITE_NAME,
            base: String::new(),
            sections: Vec::new(),
            newsletter: None,
            feeds: Vec::new(),
            look: None,
        }
    }

    /// The frame: top-level sections and the alliance's first newsletter, from the
    /// catalogue this instance keeps.
    pub async fn load(state: &AppState) -> Result<Frame, SiteError> {
        let catalogue = catalogue(state).await?;
        Ok(Frame {
            site_name: SITE_NAME,
            base: state
                .config
                .public_base_url
                .trim_end_matches('/')
                .to_owned(),
            sections: catalogue
                .sections
                .iter()
                .filter(|s| s.parent_id.is_none())
                .cloned()
                .collect(),
            newsletter: catalogue.newsletter.as_ref().map(|n| Signup {
                slug: n.slug.clone(),
                name: n.name.clone(),
                description: n.description.clone(),
                policy_version: POLICY_VERSION,
            }),
            feeds: site_feeds(),
            look: None,
        })
    }

    /// The frame offering the newsletter `key` (the one a reader just tried to sign up for).
    pub async fn with_newsletter(state: &AppState, key: &str) -> Result<Frame, SiteError> {
        let mut frame = Frame::load(state).await?;
        let n = newsletters::service::get(state, &Key::parse(key)).await?;
        frame.newsletter = Some(Signup {
            slug: n.slug,
            name: n.name,
            description: n.description,
            policy_version: POLICY_VERSION,
        });
        Ok(frame)
    }
}

/// The catalogue around every page (sections, outlets, the newsletter on offer), as this
/// instance keeps it.
pub async fn catalogue(state: &AppState) -> Result<Arc<Catalogue>, SiteError> {
    let load = async {
        let (sections, _) = service::sections(state).await?;
        let (outlets, _) = service::outlets(state).await?;
        let newsletter = newsletters::service::list(state, None, None, 1)
            .await?
            .items
            .into_iter()
            .next()
            .map(|n| Offered {
                slug: n.slug,
                name: n.name,
                description: n.description,
            });
        Ok::<_, SiteError>(Catalogue {
            sections: sections.items,
            outlets: outlets.items,
            newsletter,
        })
    };
    state.site.catalogue(|| state.clock.now(), load).await
}

/// The outlet `slug` with its logo, from the catalogue this instance keeps (or the database,
/// for an outlet newer than it).
pub async fn outlet(state: &AppState, slug: &str) -> Result<PublicOutlet, SiteError> {
    let catalogue = catalogue(state).await?;
    match catalogue.outlets.iter().find(|o| o.slug == slug) {
        Some(outlet) => Ok(outlet.clone()),
        None => Ok(service::outlet(state, slug).await?),
    }
}

/// The `?cursor=` of an "Older stories" link.
#[derive(Debug, serde::Deserialize)]
pub struct CursorQuery {
    pub cursor: Option<String>,
}
