//! SQL of the public reads beyond the stories themselves (`crate::stories`): translations,
//! the sitemap and the public catalogue. Every story query pushes
//! `articles::push_publicly_visible`: the one SQL form of the visibility rule.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgExecutor, QueryBuilder};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::articles::push_publicly_visible;
use crate::outlets::Outlet;
use crate::sections::Section;

/// Most catalogue rows a public list returns (the alliance has dozens, not thousands).
pub const CATALOGUE_CAP: i64 = 1000;

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
pub(super) async fn translations(
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
pub(super) async fn sitemap_stats(
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
pub(super) async fn sitemap_page(
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

pub(super) async fn outlets(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Outlet>> {
    sqlx::query_as(
        "select id, slug, name, country, language, website, description, created_at, updated_at,
             timezone, colour, logo_id
         from outlets order by slug limit $1",
    )
    .bind(CATALOGUE_CAP)
    .fetch_all(db)
    .await
}

pub(super) async fn sections(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Section>> {
    sqlx::query_as(
        "select id, slug, name, description, parent_id, created_at, updated_at
         from sections order by slug limit $1",
    )
    .bind(CATALOGUE_CAP)
    .fetch_all(db)
    .await
}
