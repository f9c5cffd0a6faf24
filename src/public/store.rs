//! SQL of the public reads beyond the stories themselves (`crate::stories`): translations,
//! the sitemap and the public catalogue. Every story query pushes
//! `articles::push_publicly_visible`: the one SQL form of the visibility rule.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::articles::push_publicly_visible;
use crate::domain::Key;
use crate::outlets::Outlet;
use crate::sections::Section;
use crate::stories::{self, StoryRow};

/// Most catalogue rows a public list returns (the alliance has dozens, not thousands).
pub const CATALOGUE_CAP: i64 = 1000;

/// Another visible language version of a story.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Translation {
    pub id: Uuid,
    pub language: String,
    /// The outlet's slug.
    pub outlet: String,
    pub slug: String,
    pub headline: String,
}

/// A visible story, whole, with its visible translations.
#[derive(sqlx::FromRow)]
pub(super) struct StoryWithTranslations {
    #[sqlx(flatten)]
    pub row: StoryRow,
    pub translations: Json<Vec<Translation>>,
}

/// One visible story of an outlet (by slug or id) by its slug, with the visible stories
/// linked to it through `translation_of` either way (the original it translates, its
/// translations, and the other translations of its original): one statement, so a story
/// costs one round trip (issue #19). What a story's doc is made from when it has none.
pub(super) async fn story(
    db: impl PgExecutor<'_>,
    outlet: &Key,
    slug: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<StoryWithTranslations>> {
    let mut q = QueryBuilder::new("");
    stories::push_columns(&mut q, true);
    q.push(", ");
    push_translations(&mut q, now);
    stories::push_from(&mut q);
    push_visible_by_slug(&mut q, outlet, slug, now);
    q.build_query_as().fetch_optional(db).await
}

/// A visible story as its doc holds it (`story_docs`): the doc, null while it is being
/// made, and what the answer adds to it.
#[derive(sqlx::FromRow)]
pub(super) struct StoryDoc {
    pub id: Uuid,
    pub doc: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// False when no story was linked to it through `translation_of` either way when its doc
    /// was made (none can be linked since: that forgets the doc). Its translations are then
    /// none, and are not looked up.
    pub translated: bool,
}

/// One visible story of an outlet, as `story` finds it, read from its doc: the story's own
/// row (for the visibility rule) and its doc's row, with no subquery, so that the statement
/// of most stories plans nothing it does not run (issue #19: a translations subquery that
/// found nothing cost PostgreSQL about a sixth of this read).
pub(super) async fn story_doc(
    db: impl PgExecutor<'_>,
    outlet: &Key,
    slug: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<StoryDoc>> {
    let mut q = QueryBuilder::new(
        "select a.id, d.doc, a.updated_at, d.translated
         from articles a join outlets o on o.id = a.outlet_id
          join story_docs d on d.article_id = a.id",
    );
    push_visible_by_slug(&mut q, outlet, slug, now);
    q.build_query_as().fetch_optional(db).await
}

/// The visible translations of story `id` (for a story read from its doc).
pub(super) async fn translations(
    db: impl PgExecutor<'_>,
    id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Translation>> {
    let mut q = QueryBuilder::new("select ");
    push_translations(&mut q, now);
    q.push(" from articles a where a.id = ").push_bind(id);
    let found: Json<Vec<Translation>> = q.build_query_scalar().fetch_one(db).await?;
    Ok(found.0)
}

/// `(…) as translations`: the visible stories linked to `a` through `translation_of`.
fn push_translations(q: &mut QueryBuilder<'_, Postgres>, now: DateTime<Utc>) {
    q.push(
        "(select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'language', t.language,
                'outlet', tout.slug, 'slug', t.slug, 'headline', t.headline) order by t.language, t.id), '[]')
            from articles t join outlets tout on tout.id = t.outlet_id
            where t.id <> a.id
              and (t.translation_of = a.id or t.id = a.translation_of or t.translation_of = a.translation_of)
              and ",
    );
    push_publicly_visible(q, "t", now);
    q.push(") as translations");
}

/// ` where …`: the story `a` of outlet `o` with this slug, if it is visible now.
fn push_visible_by_slug(
    q: &mut QueryBuilder<'_, Postgres>,
    outlet: &Key,
    slug: &str,
    now: DateTime<Utc>,
) {
    q.push(" where a.published_at is not null and ");
    push_publicly_visible(q, "a", now);
    match outlet {
        Key::Id(id) => q.push(" and a.outlet_id = ").push_bind(*id),
        Key::Slug(slug) => q.push(" and o.slug = ").push_bind(slug.clone()),
    };
    q.push(" and a.slug = ").push_bind(slug.to_owned());
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
