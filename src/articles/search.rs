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
    push_filters(&mut q, f, "a");
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
/// first. Each branch picks its page of ids first and reads the summaries of those rows only;
/// body-only matches come through the GIN index behind a fence (`offset 0`), so the planner
/// never walks the primary key backwards detoasting every body when there are few or none.
async fn ranked(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    text: &str,
    after: Option<After>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let after = match after {
        Some(After::Rank(r, id)) => Some((r, id)),
        _ => None,
    };
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new("select ");
    q.push(SUMMARY).push(", page.rank from articles a join ((select x.id, ts_rank_cd(x.search_head, tsq.query)::real as rank from articles x, ");
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where x.search_head @@ tsq.query and x.search @@ tsq.query");
    push_filters(&mut q, f, "x");
    if let Some((r, id)) = after {
        q.push(" and (ts_rank_cd(x.search_head, tsq.query)::real, x.id) < (")
            .push_bind(r)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" order by rank desc, x.id desc limit ")
        .push_bind(limit + 1);
    q.push(") union all (select hits.id, 0::real from (select x.id from articles x, ");
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where x.search @@ tsq.query and not x.search_head @@ tsq.query");
    push_filters(&mut q, f, "x");
    if let Some((r, id)) = after {
        q.push(" and (0::real, x.id) < (")
            .push_bind(r)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" offset 0) hits order by hits.id desc limit ")
        .push_bind(limit + 1);
    q.push(")) page on page.id = a.id order by page.rank desc, a.id desc limit ")
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

fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &ListFilter, t: &str) {
    if let Some(outlets) = &f.visible_outlets {
        q.push(format!(" and ({t}.outlet_id = any("))
            .push_bind(outlets.clone())
            .push(format!(") or {t}.status = 'published')"));
    }
    if let Some(status) = f.status {
        q.push(format!(" and {t}.status = ")).push_bind(status);
    }
    if let Some(outlet) = f.outlet_id {
        q.push(format!(" and {t}.outlet_id = ")).push_bind(outlet);
    }
    if let Some(section) = f.section_id {
        q.push(format!(" and {t}.section_id = ")).push_bind(section);
    }
    if let Some(author) = f.author_id {
        q.push(format!(" and exists (select 1 from article_authors y where y.article_id = {t}.id and y.author_id = "))
            .push_bind(author)
            .push(")");
    }
    if let Some(tag) = &f.tag {
        q.push(format!(" and {t}.tags @> array["))
            .push_bind(tag.clone())
            .push("]::text[]");
    }
    if let Some(language) = &f.language {
        q.push(format!(" and {t}.language = "))
            .push_bind(language.clone());
    }
    if let Some(at) = f.updated_after {
        q.push(format!(" and {t}.updated_at >= ")).push_bind(at);
    }
    if let Some(at) = f.updated_before {
        q.push(format!(" and {t}.updated_at < ")).push_bind(at);
    }
}
