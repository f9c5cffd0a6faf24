//! The bottom of the search: what a list asks for (filters, sort, the cursor position), and
//! the SQL fragments every search query is built from. Nothing here runs a query.

use chrono::{DateTime, Utc};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::articles::rules::{self, Status};

/// A page of the staff list: filters, where the page starts and how long it is.
pub struct ListRequest {
    pub filter: ListFilter,
    pub after: Option<After>,
    pub limit: i64,
}

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

/// How many of the newest matching stories a ranked search ranks: ranking every match of a
/// common word read hundreds of thousands of rows at 1M stories (see `bench/results/`).
pub const RANKED_CANDIDATES: i64 = 200;

/// Time windows a search with `q` tries first, newest first: the newest matches of a rare word
/// are found through both indexes (the words' GIN and the time btree) without reading every
/// older match. A window only ever narrows where to look: when it holds fewer rows than
/// asked for, the search runs again on the next one, the last being unbounded, so the answer
/// is exactly that of the unbounded search.
pub const WINDOWS_DAYS: [Option<i64>; 3] = [Some(7), Some(90), None];

/// `(select <tsquery> as query) tsq`: the search's query (see [`push_tsquery_expr`]) as a
/// one-row relation.
pub fn push_tsquery(q: &mut QueryBuilder<'_, Postgres>, text: &str, language: Option<&str>) {
    q.push("(select ");
    push_tsquery_expr(q, text, language);
    q.push(" as query) tsq");
}

/// The column a time-sorted list goes by.
pub fn time_key(sort: Sort) -> &'static str {
    if sort == Sort::PublishedAt {
        "published_at"
    } else {
        "updated_at"
    }
}

/// The conditions on the sort column of a time-sorted list on table `a`: set for
/// `published_at`, and before the cursor.
pub fn push_time_bounds(q: &mut QueryBuilder<'_, Postgres>, sort: Sort, after: Option<After>) {
    let key = time_key(sort);
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
}

pub fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &ListFilter, t: &str) {
    if let Some(outlets) = &f.visible_outlets {
        rules::push_staff_visible(q, t, outlets);
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

/// The query of a search: English stems and unstemmed words, so every language's stories can
/// match, plus the language filter's own configuration when one is given.
pub fn push_tsquery_expr(q: &mut QueryBuilder<'_, Postgres>, text: &str, language: Option<&str>) {
    q.push("(websearch_to_tsquery('english', ")
        .push_bind(text.to_owned())
        .push(") || websearch_to_tsquery('simple', ")
        .push_bind(text.to_owned())
        .push(") || websearch_to_tsquery(newsroom_ts_config(")
        .push_bind(language.unwrap_or("en").to_owned())
        .push("), ")
        .push_bind(text.to_owned())
        .push("))");
}
