//! SQL of the change feed and of stories as partners see them.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::articles::Status;

/// Where a partner is in the feed: the writing transaction and the event id of the last
/// event it received.
pub type Position = (i64, Uuid);

#[derive(Debug, sqlx::FromRow)]
pub struct FeedEvent {
    pub id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub txid: i64,
    pub article_id: Uuid,
}

/// Events after `after` of transactions that are older than every transaction still running
/// (so every event that will ever sort before the last one returned has committed), in
/// commit order, filtered by entitlement (empty = all).
pub async fn events(
    db: impl PgExecutor<'_>,
    after: Position,
    outlets: &[Uuid],
    sections: &[Uuid],
    limit: i64,
) -> sqlx::Result<Vec<FeedEvent>> {
    sqlx::query_as(
        r#"
        select e.id, e.event_type, e.occurred_at, e.txid::text::bigint as txid, e.article_id
        from outbox_events e
        join articles a on a.id = e.article_id
        where e.txid < pg_snapshot_xmin(pg_current_snapshot())
          and (e.txid, e.id) > ($1::text::xid8, $2)
          and (cardinality($3::uuid[]) = 0 or a.outlet_id = any($3))
          and (cardinality($4::uuid[]) = 0 or a.section_id = any($4))
        order by e.txid, e.id
        limit $5
        "#,
    )
    .bind(after.0.to_string())
    .bind(after.1)
    .bind(outlets)
    .bind(sections)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// An article with what a ninjs story needs from the catalogue. Two equal rows render to the
/// same story (the story cache relies on it): keep every input of the rendering in here.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StoryRow {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub outlet_slug: String,
    pub outlet_name: String,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub body_html: String,
    pub section_id: Option<Uuid>,
    pub section_slug: Option<String>,
    pub section_name: Option<String>,
    pub author_names: Vec<String>,
    pub tags: Vec<String>,
    pub language: String,
    pub status: Status,
    pub version: i32,
    pub canonical_url: Option<String>,
    pub origin_outlet_name: Option<String>,
    pub origin_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub embargo_until: Option<DateTime<Utc>>,
    pub correction_notes: Vec<String>,
}

impl StoryRow {
    /// Bytes the row holds on the heap, roughly: what caching it costs.
    pub fn heap_size(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        let list = |l: &[String]| l.iter().map(|s| s.len() + 24).sum::<usize>();
        std::mem::size_of::<Self>()
            + self.outlet_slug.len()
            + self.outlet_name.len()
            + self.slug.len()
            + self.headline.len()
            + opt(&self.standfirst)
            + self.body_html.len()
            + opt(&self.section_slug)
            + opt(&self.section_name)
            + list(&self.author_names)
            + list(&self.tags)
            + self.language.len()
            + opt(&self.canonical_url)
            + opt(&self.origin_outlet_name)
            + opt(&self.origin_url)
            + list(&self.correction_notes)
    }
}

/// Stories by id (a feed page).
pub async fn stories(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<StoryRow>> {
    sqlx::query_as(&format!("{STORY} where a.id = any($1)"))
        .bind(ids)
        .fetch_all(db)
        .await
}

/// One story. Not `stories(&[id])`: with `= any($1)` of one id PostgreSQL re-plans the
/// prepared statement on every call (measured: planning took 4× the execution).
pub async fn story_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<StoryRow>> {
    sqlx::query_as(&format!("{STORY} where a.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

const STORY: &str = r#"
        select a.id, a.outlet_id, o.slug as outlet_slug, o.name as outlet_name, a.slug, a.headline, a.standfirst,
               a.body_html, a.section_id, s.slug as section_slug, s.name as section_name,
               (select coalesce(array_agg(au.name order by x.position), '{}')
                  from article_authors x join authors au on au.id = x.author_id where x.article_id = a.id) as author_names,
               a.tags, a.language, a.status, a.version, a.canonical_url, origin.name as origin_outlet_name,
               a.origin_url, a.created_at, a.updated_at, a.first_published_at, a.embargo_until,
               (select coalesce(array_agg(to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || c.note
                                          order by c.created_at), '{}')
                  from article_corrections c where c.article_id = a.id) as correction_notes
        from articles a
        join outlets o on o.id = a.outlet_id
        left join sections s on s.id = a.section_id
        left join outlets origin on origin.id = a.origin_outlet_id"#;
