//! Ranked search: the best matches among the newest ones, by `ts_rank_cd` over the headline
//! and standfirst.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::query::{
    push_filters, push_tsquery, After, ListFilter, RANKED_CANDIDATES, WINDOWS_DAYS,
};
use super::walk;
use crate::articles::model::ArticleSummary;
use crate::articles::store::SUMMARY;

/// Best first among the [`RANKED_CANDIDATES`] most recently updated matches: `ts_rank_cd`
/// over the small `search_head` vector (headline weight A, standfirst B), so a headline match
/// ranks above a standfirst match and a body-only match has rank 0; ties by id, newest first.
/// The candidates are the same on every page, so the `(rank, id)` cursor pages through them.
pub async fn ranked(
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
    if walk::should_walk(db, f, text).await? {
        let walked = walk::ranked_candidates(db, f, text).await?;
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
