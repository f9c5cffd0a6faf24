//! SQL of the staff list and full-text search: filters, keyset cursors, ranking.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::model::ArticleSummary;
use super::store::SUMMARY;
use super::workflow::Status;

/// Filters of the staff list; `visible_outlets` none means every article (admins).
pub struct ListFilter {
    pub visible_outlets: Option<Vec<Uuid>>,
    pub status: Option<Status>,
    pub outlet_id: Option<Uuid>,
    pub section_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
    pub tag: Option<String>,
    pub language: Option<String>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    pub q: Option<String>,
    pub sort: Sort,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    UpdatedAt,
    PublishedAt,
    Rank,
}

/// The position after which a page starts: the sort value and the id of the last row.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum After {
    Time(DateTime<Utc>, Uuid),
    Rank(f32, Uuid),
}

pub async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<After>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    match (&f.q, f.sort) {
        (Some(text), Sort::Rank) => ranked(db, f, text, after, limit).await,
        _ => by_time(db, f, after, limit).await,
    }
}

/// Newest first by `updated_at` or `published_at` (with `q`: matching stories only).
async fn by_time(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<After>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let key = if f.sort == Sort::PublishedAt {
        "published_at"
    } else {
        "updated_at"
    };
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new("select ");
    q.push(SUMMARY).push(", null::real as rank from articles a");
    match &f.q {
        Some(text) => {
            q.push(", ");
            push_tsquery(&mut q, text, f.language.as_deref());
            q.push(" where a.search @@ tsq.query");
        }
        None => {
            q.push(" where true");
        }
    }
    push_filters(&mut q, f);
    if key == "published_at" {
        q.push(" and a.published_at is not null");
    }
    if let Some(After::Time(t, id)) = after {
        q.push(format!(" and (a.{key}, a.id) < ("))
            .push_bind(t)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(format!(" order by a.{key} desc, a.id desc limit "))
        .push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

/// Best first: stories whose headline or standfirst match, ranked by `ts_rank_cd` over the
/// small `search_head` vector; then stories that match only in the body (rank 0), newest
/// first. Two bounded branches, so a common word never ranks thousands of rows.
async fn ranked(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    text: &str,
    after: Option<After>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let (rank_after, id_after) = match after {
        Some(After::Rank(r, id)) => (Some(r), Some(id)),
        _ => (None, None),
    };
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new("select * from ((select ");
    q.push(SUMMARY)
        .push(", ts_rank_cd(a.search_head, tsq.query)::real as rank from articles a, ");
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where a.search_head @@ tsq.query and a.search @@ tsq.query");
    push_filters(&mut q, f);
    if let (Some(r), Some(id)) = (rank_after, id_after) {
        q.push(" and (ts_rank_cd(a.search_head, tsq.query)::real, a.id) < (")
            .push_bind(r)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" order by rank desc, a.id desc limit ")
        .push_bind(limit + 1);
    // Body-only matches: found through the GIN index and materialised, so the planner never
    // walks the primary key backwards detoasting every body when there are few or none.
    q.push(") union all (select ")
        .push(SUMMARY)
        .push(", 0::real as rank from articles a join (select m.id from articles m, ");
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where m.search @@ tsq.query and not m.search_head @@ tsq.query offset 0) body_only on body_only.id = a.id where true");
    push_filters(&mut q, f);
    if let (Some(r), Some(id)) = (rank_after, id_after) {
        q.push(" and (0::real, a.id) < (")
            .push_bind(r)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" order by a.id desc limit ").push_bind(limit + 1);
    q.push(")) s order by rank desc, id desc limit ")
        .push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

/// `(select <tsquery> as query) tsq`: English stems and unstemmed words, so every language's
/// stories can match, plus the language filter's own configuration when one is given.
fn push_tsquery(q: &mut QueryBuilder<'_, Postgres>, text: &str, language: Option<&str>) {
    q.push("(select websearch_to_tsquery('english', ")
        .push_bind(text.to_owned())
        .push(") || websearch_to_tsquery('simple', ")
        .push_bind(text.to_owned())
        .push(") || websearch_to_tsquery(newsroom_ts_config(")
        .push_bind(language.unwrap_or("en").to_owned())
        .push("), ")
        .push_bind(text.to_owned())
        .push(") as query) tsq");
}

fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &ListFilter) {
    if let Some(outlets) = &f.visible_outlets {
        q.push(" and (a.outlet_id = any(")
            .push_bind(outlets.clone())
            .push(") or a.status = 'published')");
    }
    if let Some(status) = f.status {
        q.push(" and a.status = ").push_bind(status);
    }
    if let Some(outlet) = f.outlet_id {
        q.push(" and a.outlet_id = ").push_bind(outlet);
    }
    if let Some(section) = f.section_id {
        q.push(" and a.section_id = ").push_bind(section);
    }
    if let Some(author) = f.author_id {
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
    if let Some(t) = f.updated_after {
        q.push(" and a.updated_at >= ").push_bind(t);
    }
    if let Some(t) = f.updated_before {
        q.push(" and a.updated_at < ").push_bind(t);
    }
}
