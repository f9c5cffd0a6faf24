//! Stories newest first by `updated_at` or `published_at`, with `q` through time windows:
//! the newest matches of a rare word are found through both indexes (the words' GIN and the
//! time btree) without reading every older match.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};

use super::query::{
    push_filters, push_time_bounds, push_tsquery, time_key, After, ListFilter, WINDOWS_DAYS,
};
use super::walk;
use crate::articles::model::ArticleSummary;
use crate::articles::store::SUMMARY;

/// The newest matches of `text` (after the cursor), by walking the time index for common
/// words, else through the windows.
pub async fn matching(
    db: &PgPool,
    f: &ListFilter,
    text: &str,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<ArticleSummary>> {
    if walk::should_walk(db, f, text).await? {
        let rows = walk::by_time(db, f, text, after.clone(), limit).await?;
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

/// Newest first by `updated_at` or `published_at` (with `q`: matching stories only), from
/// `since` on when given. `walk`: PostgreSQL may walk the time index and test each row;
/// otherwise it finds the rows through the other indexes (the words', the tags') and sorts
/// them, which is what a rare word or tag needs.
pub async fn by_time(
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
