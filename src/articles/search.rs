//! SQL of the staff list and full-text search: filters, keyset cursors, ranking of the
//! newest matches.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::model::ArticleSummary;
use super::rules::Status;
use super::search_walk;
use super::store::SUMMARY;

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
const WINDOWS_DAYS: [Option<i64>; 3] = [Some(7), Some(90), None];

pub async fn list(
    db: &PgPool,
    f: &ListFilter,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<ArticleSummary>> {
    match (&f.q, f.sort) {
        (Some(text), Sort::Rank) => ranked(db, f, text, after, limit, now).await,
        (Some(text), _) => {
            if search_walk::should_walk(db, f, text).await? {
                let rows = search_walk::by_time(db, f, text, after.clone(), limit).await?;
                if rows.len() as i64 > limit {
                    return Ok(rows);
                }
            }
            let anchor = match &after {
                Some(After::Time(t, _)) => *t,
                _ => now,
            };
            for days in WINDOWS_DAYS {
                let since = days.map(|d| anchor - Duration::days(d));
                let rows = by_time(db, f, after.clone(), limit, since, false).await?;
                if since.is_none() || rows.len() as i64 > limit {
                    return Ok(rows);
                }
            }
            Ok(Vec::new())
        }
        (None, _) => {
            let walk = match &f.tag {
                Some(tag) => search_walk::is_common_tag(db, tag).await?,
                None => true,
            };
            by_time(db, f, after, limit, None, walk).await
        }
    }
}

/// Newest first by `updated_at` or `published_at` (with `q`: matching stories only), from
/// `since` on when given. `walk`: PostgreSQL may walk the time index and test each row;
/// otherwise it finds the rows through the other indexes (the words', the tags') and sorts
/// them, which is what a rare word or tag needs.
async fn by_time(
    db: &PgPool,
    f: &ListFilter,
    after: Option<After>,
    limit: i64,
    since: Option<DateTime<Utc>>,
    walk: bool,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let key = time_key(f.sort);
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
    if let Some(since) = since {
        q.push(format!(" and a.{key} >= ")).push_bind(since);
    }
    push_time_bounds(&mut q, f.sort, after);
    // Not walking: ordered by an expression so that PostgreSQL cannot walk the time index and
    // test each row (see `ranked_candidates`).
    let order = if !walk {
        format!("a.{key} + interval '0 s'")
    } else {
        format!("a.{key}")
    };
    q.push(format!(" order by {order} desc, a.id desc limit "))
        .push_bind(limit + 1);
    // With `q`, planned for its words every time (see `ranked_candidates`).
    q.build_query_as()
        .persistent(f.q.is_none())
        .fetch_all(db)
        .await
}

/// Best first among the [`RANKED_CANDIDATES`] most recently updated matches: `ts_rank_cd`
/// over the small `search_head` vector (headline weight A, standfirst B), so a headline match
/// ranks above a standfirst match and a body-only match has rank 0; ties by id, newest first.
/// The candidates are the same on every page, so the `(rank, id)` cursor pages through them.
async fn ranked(
    db: &PgPool,
    f: &ListFilter,
    text: &str,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let mut candidates = newest_candidates(db, f, text, now).await?;
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    let page: Vec<(Uuid, f32)> = candidates
        .into_iter()
        .filter(|(id, rank)| match &after {
            Some(After::Rank(r, after_id)) => (*rank, *id) < (*r, *after_id),
            _ => true,
        })
        .take(usize::try_from(limit + 1).unwrap_or(usize::MAX))
        .collect();
    let ids: Vec<Uuid> = page.iter().map(|(id, _)| *id).collect();
    let mut rows: Vec<ArticleSummary> = sqlx::query_as(&format!(
        "select {SUMMARY}, null::real as rank from articles a where a.id = any($1)"
    ))
    .bind(&ids)
    .fetch_all(db)
    .await?;
    for row in &mut rows {
        row.rank = page.iter().find(|(id, _)| *id == row.id).map(|(_, r)| *r);
    }
    rows.sort_by(|a, b| {
        let key = |r: &ArticleSummary| (r.rank.unwrap_or(0.0), r.id);
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.cmp(&ka.1))
    });
    Ok(rows)
}

/// The ids and ranks of the [`RANKED_CANDIDATES`] most recently updated matches: by walking
/// the time index for common words, else through the windows.
async fn newest_candidates(
    db: &PgPool,
    f: &ListFilter,
    text: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<(Uuid, f32)>> {
    if search_walk::should_walk(db, f, text).await? {
        let walked = search_walk::ranked_candidates(db, f, text).await?;
        if walked.len() as i64 >= RANKED_CANDIDATES {
            return Ok(walked);
        }
    }
    for days in WINDOWS_DAYS {
        let since = days.map(|d| now - Duration::days(d));
        let found = ranked_candidates(db, f, text, since).await?;
        if since.is_none() || found.len() as i64 >= RANKED_CANDIDATES {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

/// The ids and ranks of the newest matches (from `since` on when given).
async fn ranked_candidates(
    db: &PgPool,
    f: &ListFilter,
    text: &str,
    since: Option<DateTime<Utc>>,
) -> sqlx::Result<Vec<(Uuid, f32)>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        "select c.id, ts_rank_cd(c.search_head, tsq.query)::real from (select x.id, x.search_head from articles x, ",
    );
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where x.search @@ tsq.query");
    push_filters(&mut q, f, "x");
    if let Some(since) = since {
        q.push(" and x.updated_at >= ").push_bind(since);
    }
    // `+ interval '0 s'`: the order must not come from the time index. Walking it, PostgreSQL
    // tests each row's `search` vector, which lives out of line (TOAST): 12,000 rows read for
    // 200 matches of a word in 1.7% of the stories took 480 ms at 100,000. Through the GIN
    // index (and the time btree, for a window) it reads the matching rows only.
    q.push(" order by x.updated_at + interval '0 s' desc, x.id desc limit ")
        .push_bind(RANKED_CANDIDATES)
        .push(") c, ");
    push_tsquery(&mut q, text, f.language.as_deref());
    // Not a prepared statement: a generic plan cannot see how common the words are, and the
    // best plan differs (a rare word: both indexes; a common one: walk the time index).
    q.build_query_as().persistent(false).fetch_all(db).await
}

/// `(select <tsquery> as query) tsq`: the search's query (see
/// [`search_walk::push_tsquery_expr`]) as a one-row relation.
pub(super) fn push_tsquery(q: &mut QueryBuilder<'_, Postgres>, text: &str, language: Option<&str>) {
    q.push("(select ");
    search_walk::push_tsquery_expr(q, text, language);
    q.push(" as query) tsq");
}

/// The column a time-sorted list goes by.
pub(super) fn time_key(sort: Sort) -> &'static str {
    if sort == Sort::PublishedAt {
        "published_at"
    } else {
        "updated_at"
    }
}

/// The conditions on the sort column of a time-sorted list on table `a`: set for
/// `published_at`, and before the cursor.
pub(super) fn push_time_bounds(
    q: &mut QueryBuilder<'_, Postgres>,
    sort: Sort,
    after: Option<After>,
) {
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

pub(super) fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &ListFilter, t: &str) {
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
