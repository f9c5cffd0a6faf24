//! Common words, found by walking the time index. A word in a large share of the stories
//! ("minister", "vaccine") has thousands of matches even within the last 7 days, and reading
//! every one of them through the GIN index took 131 ms at a million stories. Walking the
//! newest stories in time order and testing each one stops after a few hundred rows instead.
//! For a rare word the walk would read thousands of rows for nothing, so a search walks only
//! when PostgreSQL's own statistics of the `search` column say its words are common
//! ([`is_common`]), and the walk is bounded ([`WALK_ROWS`]): when the newest rows hold fewer
//! matches than needed, it gives up and the search goes through the indexes as for a rare
//! word. Either way the answer is the same: the newest matches. A tag filter is the same
//! question for the tags ([`is_common_tag`]).

use sqlx::types::Json;
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::query::{
    push_filters, push_time_bounds, push_tsquery, push_tsquery_expr, time_key, After, ListFilter,
    Sort, RANKED_CANDIDATES,
};
use crate::articles::model::ArticleSummary;
use crate::articles::store::SUMMARY;

/// Rows one walk reads at most.
pub const WALK_ROWS: i64 = 2_000;

/// The share of stories the words must match, as PostgreSQL estimates it, for a search to
/// walk: at 15 %, 200 matches take about 1,300 rows, well inside [`WALK_ROWS`].
const COMMON: f64 = 0.15;

/// Whether the words of `text` match at least [`COMMON`] of the stories, by the planner's
/// estimate (the most common lexemes `ANALYZE` keeps for `articles.search`). Before the first
/// `ANALYZE`, or for words outside those statistics, no.
pub async fn is_common(db: &PgPool, text: &str, language: Option<&str>) -> sqlx::Result<bool> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new("explain (format json) select 1 from articles x where x.search @@ ");
    push_tsquery_expr(&mut q, text, language);
    // Not prepared: planned with the words themselves, so their statistics apply.
    let (plan,): (Json<serde_json::Value>,) =
        q.build_query_as().persistent(false).fetch_one(db).await?;
    let matches = plan.0[0]["Plan"]["Plan Rows"].as_f64().unwrap_or(0.0);
    let stories: f32 =
        sqlx::query_scalar("select reltuples from pg_class where oid = 'articles'::regclass")
            .fetch_one(db)
            .await?;
    Ok(stories > 0.0 && matches / f64::from(stories) >= COMMON)
}

/// Whether a search walks: its words are common, and so is its tag filter if any (the walk
/// applies the filters, and a rare tag would make it read every row for its few matches).
pub async fn should_walk(db: &PgPool, f: &ListFilter, text: &str) -> sqlx::Result<bool> {
    if let Some(tag) = &f.tag {
        if !is_common_tag(db, tag).await? {
            return Ok(false);
        }
    }
    is_common(db, text, f.language.as_deref()).await
}

/// Whether `tag` is among the most common tags PostgreSQL's statistics keep for
/// `articles.tags` (or there are no statistics yet). A rare tag's few stories are found
/// through the tags' GIN index and sorted: walking the time index for them read every row
/// at a million stories (455 ms for a tag no story has), because the planner guesses a rare
/// tag's share at 0.5 %.
pub async fn is_common_tag(db: &PgPool, tag: &str) -> sqlx::Result<bool> {
    let common: Option<bool> = sqlx::query_scalar(
        "select coalesce($1 = any(most_common_elems::text::text[]), false) from pg_stats
         where schemaname = current_schema() and tablename = 'articles' and attname = 'tags'",
    )
    .bind(tag)
    .fetch_optional(db)
    .await?;
    Ok(common.unwrap_or(true))
}

/// The newest [`WALK_ROWS`] stories that pass the filters (before the cursor), newest first.
/// The subquery keeps its order through the outer filter, so the first matches the outer
/// query takes are the newest ones.
fn push_walk(q: &mut QueryBuilder<'_, Postgres>, f: &ListFilter, sort: Sort, after: Option<After>) {
    let key = time_key(sort);
    q.push("(select a.* from articles a where true");
    push_filters(q, f, "a");
    push_time_bounds(q, sort, after);
    q.push(format!(" order by a.{key} desc, a.id desc limit "))
        .push_bind(WALK_ROWS)
        .push(") a, ");
}

/// Up to `limit + 1` newest matches after the cursor, found by walking; fewer than that
/// means the walk ran out of rows, not that there are no more matches.
pub async fn by_time(
    db: &PgPool,
    f: &ListFilter,
    text: &str,
    after: Option<After>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new("select ");
    q.push(SUMMARY).push(", null::real as rank from ");
    push_walk(&mut q, f, f.sort, after);
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where a.search @@ tsq.query limit ")
        .push_bind(limit + 1);
    q.build_query_as().persistent(false).fetch_all(db).await
}

/// The ids and ranks of the [`RANKED_CANDIDATES`] newest matches by `updated_at`, found by
/// walking; fewer means the walk ran out of rows.
pub async fn ranked_candidates(
    db: &PgPool,
    f: &ListFilter,
    text: &str,
) -> sqlx::Result<Vec<(Uuid, f32)>> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new("select a.id, ts_rank_cd(a.search_head, tsq.query)::real from ");
    push_walk(&mut q, f, Sort::UpdatedAt, None);
    push_tsquery(&mut q, text, f.language.as_deref());
    q.push(" where a.search @@ tsq.query limit ")
        .push_bind(RANKED_CANDIDATES);
    q.build_query_as().persistent(false).fetch_all(db).await
}
