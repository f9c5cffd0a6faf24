//! `/{outlet}/{slug}`: a story as readers see it — section, headline, standfirst, "Written
//! by" with bylines linking to author pages, the date and "Updated:" only when it changed,
//! the featured picture with its caption and credit (`figure.rs`), the sanitised body, corrections, translations, the origin's credit on a republished copy,
//! plain share links and "About the Author". What is shown, and whether at all, is the
//! public API's `service::story`: a story that is not public now is a 404 page.

use actix_web::{web, HttpRequest};

use minijinja::context;
use serde::Serialize;

use super::figure::Figure;
use super::look::Look;
use super::page::{self, Frame, PageResult, SiteError};
use super::page_cache::Page;
use super::seo;
use crate::public::service;
use crate::public::urls::{segment, story_url};
use crate::state::AppState;

/// A translation, linked with its language for `hreflang`.
#[derive(Serialize)]
struct Alternate {
    language: String,
    headline: String,
    href: String,
}

/// A plain share link: no third-party script, the service's own share URL.
#[derive(Serialize)]
struct Share {
    name: &'static str,
    href: String,
}

fn encode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

fn share_links(url: &str, headline: &str) -> Vec<Share> {
    let (u, h) = (encode(url), encode(headline));
    vec![
        Share {
            name: "Email",
            href: format!("mailto:?subject={h}&body={u}"),
        },
        Share {
            name: "X",
            href: format!("https://x.com/intent/post?url={u}&text={h}"),
        },
        Share {
            name: "Facebook",
            href: format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        },
        Share {
            name: "LinkedIn",
            href: format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        },
    ]
}

/// A date as the page shows it: "November 11, 2019".
pub fn long_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%B %-d, %Y").to_string()
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (outlet, slug) = path.into_inner();
    page::kept(&state, &req, render(&state, &outlet, &slug)).await
}

async fn render(state: &AppState, outlet: &str, slug: &str) -> Result<Page, SiteError> {
    let story = service::story(state, outlet, slug).await?;
    let mut frame = Frame::load(state).await?;
    if let Some(section) = &story.section {
        let mut feeds = page::section_feeds(&section.slug, &section.name);
        feeds.append(&mut frame.feeds);
        frame.feeds = feeds;
    }
    frame.look = Some(Look::of(&page::outlet(state, &story.outlet.slug).await?));
    let base = state.config.public_base_url.trim_end_matches('/');
    let url = story_url(
        base,
        &story.outlet.slug,
        &story.slug,
        story.canonical_url.as_deref(),
    );
    let alternates: Vec<Alternate> = story
        .translations
        .iter()
        .map(|t| Alternate {
            language: t.language.clone(),
            headline: t.headline.clone(),
            href: format!("/{}/{}", segment(&t.outlet), segment(&t.slug)),
        })
        .collect();
    let figure = story.featured_picture.as_ref().map(|p| Figure::of(p, base));
    let image = figure.as_ref().and_then(|f| f.image_url.as_deref());
    let json_ld = seo::script_safe(&seo::news_article(&story, &url, base, image));
    let first = story.first_published_at.unwrap_or(story.published_at);
    let modified = story.updated_at;
    let ctx = context! {
        frame,
        title => &story.headline,
        canonical => &url,
        base,
        share => share_links(&url, &story.headline),
        published_date => long_date(first),
        published_iso => first.to_rfc3339(),
        updated_date => story.updated.then(|| long_date(story.published_at)),
        updated_iso => story.published_at.to_rfc3339(),
        // The sanitiser's output: the only raw HTML a page holds.
        body_html => minijinja::Value::from_safe_string(story.body_html.clone()),
        json_ld => minijinja::Value::from_safe_string(json_ld),
        alternates,
        figure,
        story,
    };
    page::render("site/story.html", ctx, Some(modified))
}
