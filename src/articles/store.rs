//! SQL of articles, bylines, corrections and revisions.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::model::{Article, Correction};
use crate::domain::LanguageTag;

const COLUMNS: &str = "a.id, a.outlet_id, a.slug, a.headline, a.standfirst, a.body, a.body_html, a.section_id,
    (select coalesce(array_agg(x.author_id order by x.position), '{}') from article_authors x where x.article_id = a.id) as author_ids,
    a.tags, a.language, a.status, a.version, a.canonical_url, a.translation_of, a.origin_outlet_id, a.origin_url,
    a.created_by, a.created_at, a.updated_at, a.first_published_at, a.published_at, a.scheduled_at,
    a.embargo_until, a.embargo_released_at, a.featured_media_id";

pub(super) const SUMMARY: &str = "a.id, a.outlet_id, a.slug, a.headline, a.standfirst, a.section_id,
    (select coalesce(array_agg(x.author_id order by x.position), '{}') from article_authors x where x.article_id = a.id) as author_ids,
    a.tags, a.language, a.status, a.version, a.created_by, a.created_at, a.updated_at,
    a.first_published_at, a.published_at, a.scheduled_at, a.embargo_until";

pub(super) async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Article>> {
    sqlx::query_as(&format!("select {COLUMNS} from articles a where a.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Reads and locks the row for a read-check-write.
pub(super) async fn get_for_update(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<Article>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from articles a where a.id = $1 for update of a"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Writes every column of `a` (insert or overwrite by id).
pub(super) async fn save(db: impl PgExecutor<'_>, a: &Article) -> sqlx::Result<()> {
    sqlx::query(
        r#"
        insert into articles (id, outlet_id, slug, headline, standfirst, body, body_html, section_id, tags,
            language, status, version, canonical_url, translation_of, origin_outlet_id, origin_url, created_by,
            created_at, updated_at, first_published_at, published_at, scheduled_at, embargo_until, embargo_released_at,
            featured_media_id)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
        on conflict (id) do update set slug = $3, headline = $4, standfirst = $5, body = $6, body_html = $7,
            section_id = $8, tags = $9, language = $10, status = $11, version = $12, canonical_url = $13,
            translation_of = $14, origin_outlet_id = $15, origin_url = $16, updated_at = $19,
            first_published_at = $20, published_at = $21, scheduled_at = $22, embargo_until = $23,
            embargo_released_at = $24, featured_media_id = $25
        "#,
    )
    .bind(a.id)
    .bind(a.outlet_id)
    .bind(&a.content.slug)
    .bind(&a.content.headline)
    .bind(&a.content.standfirst)
    .bind(&a.content.body)
    .bind(&a.body_html)
    .bind(a.content.section_id)
    .bind(&a.content.tags)
    .bind(&a.content.language)
    .bind(a.status)
    .bind(a.version)
    .bind(&a.content.canonical_url)
    .bind(a.content.translation_of)
    .bind(a.content.origin_outlet_id)
    .bind(&a.content.origin_url)
    .bind(a.created_by)
    .bind(a.created_at)
    .bind(a.updated_at)
    .bind(a.first_published_at)
    .bind(a.published_at)
    .bind(a.scheduled_at)
    .bind(a.content.embargo_until)
    .bind(a.embargo_released_at)
    .bind(a.content.featured_media_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The language of an outlet (a new article's default), if the outlet exists.
pub(super) async fn outlet_language(
    db: impl PgExecutor<'_>,
    outlet: Uuid,
) -> sqlx::Result<Option<LanguageTag>> {
    sqlx::query_scalar("select language from outlets where id = $1")
        .bind(outlet)
        .fetch_optional(db)
        .await
}

/// Replaces the byline with `authors`, in order (no author twice: `check_references`).
/// Only the authors who left are deleted and the others upserted: a CTE's delete is not seen
/// by the statement's insert, so deleting every row and inserting the kept ones again broke
/// the primary key whenever a byline kept an author.
pub(super) async fn set_authors(
    db: impl PgExecutor<'_>,
    article: Uuid,
    authors: &[Uuid],
) -> sqlx::Result<()> {
    sqlx::query(
        r#"
        with gone as (
            delete from article_authors where article_id = $1 and author_id <> all($2::uuid[])
        )
        insert into article_authors (article_id, author_id, position)
        select $1, author, ord::int from unnest($2::uuid[]) with ordinality as t(author, ord)
        on conflict (article_id, author_id) do update set position = excluded.position
        "#,
    )
    .bind(article)
    .bind(authors)
    .execute(db)
    .await?;
    Ok(())
}

pub(super) async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from articles where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Which of `slugs` this outlet uses (to pick a free derived slug): equality probes of the
/// (outlet, slug) index, so the cost does not grow with the outlet's stories. A pattern
/// (`slug like 'base%'`) cannot use that index under the database's collation and read every
/// slug of the outlet: 50-70 ms a new story at 1,000,000 stories (issue #19).
pub(super) async fn slugs_taken(
    db: impl PgExecutor<'_>,
    outlet: Uuid,
    slugs: &[String],
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select slug from articles where outlet_id = $1 and slug = any($2)")
        .bind(outlet)
        .bind(slugs)
        .fetch_all(db)
        .await
}

pub(super) async fn corrections(
    db: impl PgExecutor<'_>,
    article: Uuid,
) -> sqlx::Result<Vec<Correction>> {
    sqlx::query_as("select id, note, created_at from article_corrections where article_id = $1 order by created_at, id")
        .bind(article)
        .fetch_all(db)
        .await
}

pub(super) async fn insert_correction(
    db: impl PgExecutor<'_>,
    article: Uuid,
    note: &str,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("insert into article_corrections (id, article_id, note, created_by, created_at) values ($1, $2, $3, $4, $5)")
        .bind(Uuid::now_v7())
        .bind(article)
        .bind(note)
        .bind(by)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether partners were ever sent `article.published` for this article.
pub(super) async fn was_announced(db: impl PgExecutor<'_>, article: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from outbox_events where article_id = $1 and event_type = 'article.published')",
    )
    .bind(article)
    .fetch_one(db)
    .await
}

/// Locks up to `limit` scheduled articles that are due, skipping rows another instance holds
/// and the ones in `skip` (which failed earlier in this pass).
pub(super) async fn lock_due_scheduled(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    skip: &[Uuid],
    limit: i64,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "select id from articles where status = 'scheduled' and scheduled_at <= $1 and id <> all($3)
         order by scheduled_at, id limit $2 for update skip locked",
    )
    .bind(now)
    .bind(limit)
    .bind(skip)
    .fetch_all(db)
    .await
}

/// Locks up to `limit` published articles whose embargo has lifted but not yet been announced.
pub(super) async fn lock_due_embargoes(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "select id from articles where status = 'published' and embargo_released_at is null
             and embargo_until is not null and embargo_until <= $1
         order by embargo_until, id limit $2 for update skip locked",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A stored revision.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct RevisionRow {
    pub number: i32,
    pub snapshot: serde_json::Value,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub(super) struct NewRevision<'a> {
    pub article: Uuid,
    pub number: i32,
    pub snapshot: serde_json::Value,
    pub actor: &'a crate::audit::Actor,
    pub action: &'a str,
    pub note: Option<&'a str>,
    pub at: DateTime<Utc>,
}

pub(super) async fn insert_revision(
    db: impl PgExecutor<'_>,
    r: NewRevision<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into article_revisions (article_id, number, snapshot, actor_id, actor_label, action, note, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.article)
    .bind(r.number)
    .bind(r.snapshot)
    .bind(r.actor.id)
    .bind(&r.actor.label)
    .bind(r.action)
    .bind(r.note)
    .bind(r.at)
    .execute(db)
    .await?;
    Ok(())
}

/// Newest first, keyset on the number.
pub(super) async fn revisions(
    db: impl PgExecutor<'_>,
    article: Uuid,
    before: Option<i32>,
    limit: i64,
) -> sqlx::Result<Vec<RevisionRow>> {
    sqlx::query_as(
        "select number, snapshot, actor_id, actor_label, action, note, created_at from article_revisions
         where article_id = $1 and number < $2 order by number desc limit $3",
    )
    .bind(article)
    .bind(before.unwrap_or(i32::MAX))
    .bind(limit + 1)
    .fetch_all(db)
    .await
}

pub(super) async fn revision(
    db: impl PgExecutor<'_>,
    article: Uuid,
    number: i32,
) -> sqlx::Result<Option<RevisionRow>> {
    sqlx::query_as(
        "select number, snapshot, actor_id, actor_label, action, note, created_at from article_revisions
         where article_id = $1 and number = $2",
    )
    .bind(article)
    .bind(number)
    .fetch_optional(db)
    .await
}

/// Makes `media_uses` list exactly `uses` (picture, role) for `article`. As in `set_authors`,
/// the CTE's delete is not seen by the insert, so kept rows are left alone by `do nothing`.
pub(super) async fn set_picture_uses(
    db: impl PgExecutor<'_>,
    article: Uuid,
    uses: &[(Uuid, &str)],
) -> sqlx::Result<()> {
    let (ids, roles): (Vec<Uuid>, Vec<&str>) = uses.iter().copied().unzip();
    sqlx::query(
        r#"
        with wanted as (select * from unnest($2::uuid[], $3::text[]) as w(media_id, role)),
        gone as (
            delete from media_uses u where u.article_id = $1
                and not exists (select 1 from wanted w where w.media_id = u.media_id and w.role = u.role)
        )
        insert into media_uses (media_id, article_id, role) select media_id, $1, role from wanted
        on conflict do nothing
        "#,
    )
    .bind(article)
    .bind(ids)
    .bind(roles)
    .execute(db)
    .await?;
    Ok(())
}
