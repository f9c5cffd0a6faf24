//! The reads behind the public API: filters resolved (unknown ones are a 422 naming the
//! field), stories assembled with their corrections and translations, author pages, the
//! section feed and the sitemap's paging. Visibility is decided in SQL by the one fragment
//! in `articles`; nothing here widens it.

use chrono::{DateTime, Utc};

use super::model::{
    Logo, OutletRef, PublicAuthor, PublicOutlet, PublicSection, PublicStory, StorySummary,
};
use super::store::{self, SitemapRow};
use super::story_docs;
use crate::domain::{Cursor, Key, Page, Slug};
use crate::error::{AppError, Result};
use crate::feeds::{FeedInfo, FEED_LENGTH};
use crate::state::AppState;
use crate::stories::{self, After, StoryFilter, StoryRow};
use crate::{authors, outlets, sections};

/// How many stories an author's page lists.
pub const AUTHOR_STORIES: i64 = 20;

/// The list's filters as the client sent them (slugs or ids).
pub struct ListRequest {
    pub section: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub tag: Option<String>,
    pub language: Option<String>,
    /// Words to search for (web search syntax): the readers' search.
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: i64,
    /// With `section`: its sub-sections' stories too, at every depth (the site's section
    /// pages); the JSON API's `?section=` is the section alone.
    pub subsections: bool,
}

/// Visible stories, newest first, one page.
pub async fn list(state: &AppState, req: ListRequest) -> Result<Page<StorySummary>> {
    let after: Option<After> = Cursor::decode(req.cursor.as_deref())?;
    let db = &state.read_db;
    let outlet = match &req.outlet {
        Some(raw) => Some(
            outlets::store::get(db, &Key::parse(raw))
                .await?
                .ok_or_else(|| unknown("outlet"))?
                .id,
        ),
        None => None,
    };
    let sections = match &req.section {
        Some(raw) if req.subsections => {
            let tree = sections::store::self_and_descendants(db, &Key::parse(raw)).await?;
            if tree.is_empty() {
                return Err(unknown("section"));
            }
            tree
        }
        Some(raw) => vec![
            sections::store::get(db, &Key::parse(raw))
                .await?
                .ok_or_else(|| unknown("section"))?
                .id,
        ],
        None => Vec::new(),
    };
    let author = match &req.author {
        Some(raw) => Some(
            authors::store::get(db, &Key::parse(raw))
                .await?
                .ok_or_else(|| unknown("author"))?
                .id,
        ),
        None => None,
    };
    let filter = StoryFilter {
        outlet,
        sections,
        author,
        tag: req.tag,
        language: req.language,
        q: req.q.filter(|q| !q.trim().is_empty()),
    };
    let rows = stories::list(db, &filter, after, req.limit + 1, state.clock.now(), false).await?;
    Ok(Page::from_rows(rows, req.limit, |r| (r.published(), r.id)).map(StorySummary::from))
}

fn unknown(field: &str) -> AppError {
    AppError::field(field, "names nothing that exists")
}

/// One visible story of an outlet, by slug; 404 when missing or not visible.
pub async fn story(state: &AppState, outlet: &str, slug: &str) -> Result<PublicStory> {
    let found = store::story(
        &state.read_db,
        &Key::parse(outlet),
        &nfc(slug)?,
        state.clock.now(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(PublicStory::new(found.row, found.translations.0))
}

/// `story` as the public API answers it: its JSON, from its doc (`story_docs`) when it has
/// one, and when it last changed; 404 when missing or not visible.
pub async fn story_json(
    state: &AppState,
    outlet: &str,
    slug: &str,
) -> Result<(Vec<u8>, DateTime<Utc>)> {
    let (outlet, slug, now) = (Key::parse(outlet), nfc(slug)?, state.clock.now());
    let found = store::story_doc(&state.read_db, &outlet, &slug, now)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(doc) = found.doc {
        let translations = if found.translated {
            store::translations(&state.read_db, found.id, now).await?
        } else {
            Vec::new()
        };
        let body = story_docs::with_translations(doc, &translations)?;
        return Ok((body, found.updated_at));
    }
    // Changed since its doc was made: read from its tables, as the doc will be made.
    let found = store::story(&state.read_db, &outlet, &slug, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let updated_at = found.row.updated_at;
    let doc = story_docs::render(found.row)?;
    Ok((
        story_docs::with_translations(doc, &found.translations.0)?,
        updated_at,
    ))
}

/// `raw` as a story's slug is stored (NFC): a link typed in another normal form finds the same
/// story; 404 when it cannot be a slug.
fn nfc(raw: &str) -> Result<String> {
    Slug::parse_article("slug", raw)
        .map(|s| s.as_str().to_owned())
        .map_err(|_| AppError::NotFound)
}

/// An author with their latest visible stories.
pub async fn author(state: &AppState, raw: &str) -> Result<PublicAuthor> {
    let db = &state.read_db;
    let author = authors::store::get(db, &Key::parse(raw))
        .await?
        .ok_or(AppError::NotFound)?;
    let outlet = match author.outlet_id {
        Some(id) => outlets::store::get(db, &Key::Id(id)).await?,
        None => None,
    };
    let filter = StoryFilter {
        author: Some(author.id),
        ..StoryFilter::default()
    };
    let rows = stories::list(db, &filter, None, AUTHOR_STORIES, state.clock.now(), false).await?;
    Ok(PublicAuthor {
        slug: author.slug,
        name: author.name,
        bio: author.bio,
        outlet: outlet.map(|o| OutletRef {
            slug: o.slug,
            name: o.name,
        }),
        stories: rows.into_iter().map(StorySummary::from).collect(),
    })
}

/// The site-wide feed's title.
pub const SITE_FEED_TITLE: &str = "Latest stories";

/// The public feed of every section (the site's latest visible stories); `extension` (`atom`
/// or `json`) names its own URL.
pub async fn site_feed(state: &AppState, extension: &str) -> Result<(FeedInfo, Vec<StoryRow>)> {
    let filter = StoryFilter::default();
    let rows = stories::latest(&state.read_db, &filter, FEED_LENGTH, state.clock.now()).await?;
    let config = &state.config;
    let info = FeedInfo {
        id: "urn:newsroom:feed:site".to_owned(),
        title: SITE_FEED_TITLE.to_owned(),
        description: None,
        self_url: format!("{}/public/v1/feed.{extension}", config.public_url),
        home_url: Some(format!("{}/", config.public_base_url)),
        language: None,
        updated: rows
            .iter()
            .map(|r| r.updated_at)
            .max()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        site_base: config.public_base_url.clone(),
    };
    Ok((info, rows))
}

/// The public feed of a section: its latest visible stories; 404 for an unknown section.
/// `extension` (`atom` or `json`) names its own URL.
pub async fn section_feed(
    state: &AppState,
    raw: &str,
    extension: &str,
) -> Result<(FeedInfo, Vec<StoryRow>)> {
    let section = sections::store::get(&state.read_db, &Key::parse(raw))
        .await?
        .ok_or(AppError::NotFound)?;
    let filter = StoryFilter {
        sections: vec![section.id],
        ..StoryFilter::default()
    };
    let rows = stories::latest(&state.read_db, &filter, FEED_LENGTH, state.clock.now()).await?;
    let config = &state.config;
    let info = FeedInfo {
        id: format!("urn:newsroom:feed:section:{}", section.id),
        title: section.name,
        description: section.description,
        self_url: format!(
            "{}/public/v1/sections/{}/feed.{extension}",
            config.public_url, section.slug
        ),
        home_url: None,
        language: None,
        updated: section.updated_at,
        site_base: config.public_base_url.clone(),
    };
    Ok((info, rows))
}

/// Every outlet, and when the newest changed (the answer's `Last-Modified`).
pub async fn outlets(state: &AppState) -> Result<(Page<PublicOutlet>, Option<DateTime<Utc>>)> {
    let rows = store::outlets(&state.read_db).await?;
    let modified = rows.iter().map(|o| o.updated_at).max();
    let mut items: Vec<PublicOutlet> = rows.into_iter().map(PublicOutlet::from).collect();
    with_logos(state, &mut items).await?;
    Ok((Page { items, next: None }, modified))
}

/// Every section, and when the newest changed (the answer's `Last-Modified`).
pub async fn sections(state: &AppState) -> Result<(Page<PublicSection>, Option<DateTime<Utc>>)> {
    let rows = store::sections(&state.read_db).await?;
    let modified = rows.iter().map(|s| s.updated_at).max();
    let items = rows.into_iter().map(PublicSection::from).collect();
    Ok((Page { items, next: None }, modified))
}

/// What `sitemap.xml` is: every story, or (above the page size) an index of `pages` pages.
pub enum Sitemap {
    Urls(Vec<SitemapRow>),
    Index { pages: i64 },
}

/// `sitemap.xml`, and the newest change among the stories (its `Last-Modified`).
pub async fn sitemap(state: &AppState) -> Result<(Sitemap, Option<DateTime<Utc>>)> {
    let now = state.clock.now();
    let size = state.config.sitemap_page_size;
    let (count, newest) = store::sitemap_stats(&state.read_db, now).await?;
    if count > size {
        let pages = (count + size - 1) / size;
        return Ok((Sitemap::Index { pages }, newest));
    }
    let rows = store::sitemap_page(&state.read_db, now, 0, size).await?;
    Ok((Sitemap::Urls(rows), newest))
}

/// Page `n` (1-based) of the sitemap; 404 past the last page.
pub async fn sitemap_page(state: &AppState, n: i64) -> Result<Vec<SitemapRow>> {
    if n < 1 {
        return Err(AppError::NotFound);
    }
    let rows = store::sitemap_page(
        &state.read_db,
        state.clock.now(),
        n - 1,
        state.config.sitemap_page_size,
    )
    .await?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(rows)
}

/// One outlet, by slug or id, with its logo; 404 when unknown.
pub async fn outlet(state: &AppState, raw: &str) -> Result<PublicOutlet> {
    let outlet = outlets::store::get(&state.read_db, &Key::parse(raw))
        .await?
        .map(PublicOutlet::from)
        .ok_or(AppError::NotFound)?;
    let mut one = [outlet];
    with_logos(state, &mut one).await?;
    let [outlet] = one;
    Ok(outlet)
}

/// The logo as the site shows it: the smallest width on offer (320 px, or the picture's own
/// width when smaller), WebP.
fn logo_of(p: &crate::media::Picture) -> Option<Logo> {
    crate::media::service::renditions_for(p)
        .into_iter()
        .find(|r| r.shape == "original" && r.mimetype == "image/webp")
        .map(|r| Logo {
            href: r.href,
            width: r.width,
            height: r.height,
        })
}

/// Fills each outlet's `logo` from the library, in one query.
async fn with_logos(state: &AppState, outlets: &mut [PublicOutlet]) -> Result<()> {
    let ids: Vec<uuid::Uuid> = outlets.iter().filter_map(|o| o.logo_id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let pictures = crate::media::service::resolve(&state.read_db, &ids).await?;
    for o in outlets.iter_mut() {
        o.logo = pictures
            .iter()
            .find(|p| Some(p.id) == o.logo_id)
            .and_then(logo_of);
    }
    Ok(())
}

/// One section, by slug or id, with its sub-sections; 404 when unknown.
pub async fn section(state: &AppState, raw: &str) -> Result<(PublicSection, Vec<PublicSection>)> {
    let section = sections::store::get(&state.read_db, &Key::parse(raw))
        .await?
        .ok_or(AppError::NotFound)?;
    let children = store::sections(&state.read_db)
        .await?
        .into_iter()
        .filter(|s| s.parent_id == Some(section.id))
        .map(PublicSection::from)
        .collect();
    Ok((PublicSection::from(section), children))
}
