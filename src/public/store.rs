//! SQL of public reads: stories as readers (and feeds) see them, the sitemap, and the public
//! catalogue. Every story query pushes `articles::push_publicly_visible`: the one SQL form of
//! the visibility rule.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::articles::push_publicly_visible;
use crate::outlets::Outlet;
use crate::sections::Section;

/// Most catalogue rows a public list returns (the alliance has dozens, not thousands).
pub const CATALOGUE_CAP: i64 = 1000;

/// A byline entry; `bio` only on a single story.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct Byline {
    pub name: String,
    pub slug: String,
    /// The "About the Author" note (single stories only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub bio: Option<String>,
}

/// A visible story with what readers and feeds need from the catalogue.
#[derive(Debug, sqlx::FromRow)]
pub struct StoryRow {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub version: i32,
    pub outlet_slug: String,
    pub outlet_name: String,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    /// Only when asked for (single stories and feeds).
    pub body_html: Option<String>,
    pub section_slug: Option<String>,
    pub section_name: Option<String>,
    pub authors: Json<Vec<Byline>>,
    pub tags: Vec<String>,
    pub language: String,
    pub canonical_url: Option<String>,
    pub translation_of: Option<Uuid>,
    pub origin_slug: Option<String>,
    pub origin_name: Option<String>,
    pub origin_website: Option<String>,
    pub origin_url: Option<String>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which stories: every filter is optional; `sections` empty means all.
#[derive(Debug, Default)]
pub struct StoryFilter {
    pub outlet: Option<Uuid>,
    pub sections: Vec<Uuid>,
    pub author: Option<Uuid>,
    pub tag: Option<String>,
    pub language: Option<String>,
}

/// The keyset position of a story in "newest first" order.
pub type After = (DateTime<Utc>, Uuid);

/// `select … from articles a join …` with the body and author bios when `full`.
fn select(q: &mut QueryBuilder<'_, Postgres>, full: bool) {
    q.push("select a.id, a.outlet_id, a.version, o.slug as outlet_slug, o.name as outlet_name, a.slug, a.headline, a.standfirst, ")
        .push(if full { "a.body_html" } else { "null::text as body_html" })
        .push(", s.slug as section_slug, s.name as section_name, (select coalesce(jsonb_agg(jsonb_build_object('name', au.name, 'slug', au.slug")
        .push(if full { ", 'bio', au.bio" } else { "" })
        .push(
            ") order by x.position), '[]') from article_authors x join authors au on au.id = x.author_id
               where x.article_id = a.id) as authors,
             a.tags, a.language, a.canonical_url, a.translation_of, origin.slug as origin_slug,
             origin.name as origin_name, origin.website as origin_website, a.origin_url,
             a.first_published_at, a.published_at, a.updated_at
             from articles a
             join outlets o on o.id = a.outlet_id
             left join sections s on s.id = a.section_id
             left join outlets origin on origin.id = a.origin_outlet_id
             where a.published_at is not null and ",
        );
}

/// Visible stories, newest first by `published_at` (then id), after `after`.
pub async fn stories(
    db: impl PgExecutor<'_>,
    f: &StoryFilter,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
    full: bool,
) -> sqlx::Result<Vec<StoryRow>> {
    let mut q = QueryBuilder::new("");
    select(&mut q, full);
    push_publicly_visible(&mut q, "a", now);
    if let Some(outlet) = f.outlet {
        q.push(" and a.outlet_id = ").push_bind(outlet);
    }
    // One section is an equality, so the planner can use articles_public_section_idx.
    match f.sections.as_slice() {
        [] => {}
        [one] => {
            q.push(" and a.section_id = ").push_bind(*one);
        }
        many => {
            q.push(" and a.section_id = any(")
                .push_bind(many.to_vec())
                .push(")");
        }
    }
    if let Some(author) = f.author {
        q.push(" and exists (select 1 from article_authors y where y.article_id = a.id and y.author_id = ")
            .push_bind(author)
            .push(")");
    }
    if let Some(tag) = &f.tag {
        q.push(" and a.tags @> array[")
            .push_bind(tag.clone())
            .push("]::text[]");
    }
    if let Some(language) = &f.language {
        q.push(" and a.language = ").push_bind(language.clone());
    }
    if let Some((at, id)) = after {
        q.push(" and (a.published_at, a.id) < (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" order by a.published_at desc, a.id desc limit ")
        .push_bind(limit);
    q.build_query_as().fetch_all(db).await
}

/// One visible story by outlet and slug, whole.
pub async fn story(
    db: impl PgExecutor<'_>,
    outlet: Uuid,
    slug: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<StoryRow>> {
    let mut q = QueryBuilder::new("");
    select(&mut q, true);
    push_publicly_visible(&mut q, "a", now);
    q.push(" and a.outlet_id = ")
        .push_bind(outlet)
        .push(" and a.slug = ")
        .push_bind(slug.to_owned());
    q.build_query_as().fetch_optional(db).await
}

/// A public correction note.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct PublicCorrection {
    pub note: String,
    pub created_at: DateTime<Utc>,
}

pub async fn corrections(
    db: impl PgExecutor<'_>,
    article: Uuid,
) -> sqlx::Result<Vec<PublicCorrection>> {
    sqlx::query_as(
        "select note, created_at from article_corrections where article_id = $1 order by created_at, id",
    )
    .bind(article)
    .fetch_all(db)
    .await
}

/// Another visible language version of a story.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Translation {
    pub id: Uuid,
    pub language: String,
    /// The outlet's slug.
    pub outlet: String,
    pub slug: String,
    pub headline: String,
}

/// The visible stories linked to `id` through `translation_of`, either way: the original it
/// translates, its translations, and the other translations of its original.
pub async fn translations(
    db: impl PgExecutor<'_>,
    id: Uuid,
    original: Option<Uuid>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Translation>> {
    let mut q = QueryBuilder::new(
        "select a.id, a.language, o.slug as outlet, a.slug, a.headline
         from articles a join outlets o on o.id = a.outlet_id where a.id <> ",
    );
    q.push_bind(id)
        .push(" and (a.translation_of = ")
        .push_bind(id);
    if let Some(original) = original {
        q.push(" or a.id = ")
            .push_bind(original)
            .push(" or a.translation_of = ")
            .push_bind(original);
    }
    q.push(") and ");
    push_publicly_visible(&mut q, "a", now);
    q.push(" order by a.language, a.id");
    q.build_query_as().fetch_all(db).await
}

/// What a sitemap entry needs.
#[derive(Debug, sqlx::FromRow)]
pub struct SitemapRow {
    pub outlet_slug: String,
    pub slug: String,
    pub canonical_url: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// How many stories are visible now, and when the newest change to one was.
pub async fn sitemap_stats(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<(i64, Option<DateTime<Utc>>)> {
    let mut q = QueryBuilder::new("select count(*), max(a.updated_at) from articles a where ");
    push_publicly_visible(&mut q, "a", now);
    q.build_query_as().fetch_one(db).await
}

/// Page `page` (0-based) of the visible stories in id order. The ids of the page come from
/// an index-only scan of `articles_public_id_idx` with OFFSET (index entries only: ~25 ms
/// for 100,000 skipped on a laptop, and a sitemap has at most a few dozen pages); only that page's rows are read in full.
pub async fn sitemap_page(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    page: i64,
    size: i64,
) -> sqlx::Result<Vec<SitemapRow>> {
    let mut q = QueryBuilder::new("with page as (select a.id from articles a where ");
    push_publicly_visible(&mut q, "a", now);
    q.push(" order by a.id offset ")
        .push_bind(page * size)
        .push(" limit ")
        .push_bind(size)
        .push(
            ") select o.slug as outlet_slug, a.slug, a.canonical_url, a.updated_at
             from page join articles a on a.id = page.id join outlets o on o.id = a.outlet_id
             order by a.id",
        );
    q.build_query_as().fetch_all(db).await
}

pub async fn outlets(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Outlet>> {
    sqlx::query_as(
        "select id, slug, name, country, language, website, description, created_at, updated_at
         from outlets order by slug limit $1",
    )
    .bind(CATALOGUE_CAP)
    .fetch_all(db)
    .await
}

pub async fn sections(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Section>> {
    sqlx::query_as(
        "select id, slug, name, description, parent_id, created_at, updated_at
         from sections order by slug limit $1",
    )
    .bind(CATALOGUE_CAP)
    .fetch_all(db)
    .await
}
