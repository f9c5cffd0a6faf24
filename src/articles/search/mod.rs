//! SQL of the staff list and full-text search, by concern: `query.rs` (what a list asks
//! for, and the fragments every query is built from) at the bottom; `by_time.rs` (newest
//! first, through time windows), `walk.rs` (common words and tags, found by walking the time
//! index), `ranked.rs` (best matches among the newest) and `count.rs` (how many, per
//! status) above it. Nothing here decides who
//! sees what: the filter carries the rule book's answer.

mod by_time;
mod count;
mod query;
mod ranked;
mod walk;

pub use count::COUNT_CAP;
pub use query::{push_tsquery_expr, After, ListFilter, ListRequest, Sort, RANKED_CANDIDATES};
pub use walk::{is_common, is_common_tag, WALK_ROWS};

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::articles::model::ArticleSummary;
use crate::articles::rules;

/// One page (and one row more, to tell whether there is a next) of the staff list.
pub(in crate::articles) async fn list(
    db: &PgPool,
    f: &ListFilter,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<ArticleSummary>> {
    match (&f.q, f.sort) {
        (Some(text), Sort::Rank) => ranked::ranked(db, f, text, after, limit, now).await,
        (Some(text), _) => by_time::matching(db, f, text, after, limit, now).await,
        (None, _) => {
            let walk = match &f.tag {
                Some(tag) => walk::is_common_tag(db, tag).await?,
                None => true,
            };
            by_time::by_time(db, f, after, limit, None, walk).await
        }
    }
}

/// How many stories pass the filters, per status, up to [`COUNT_CAP`] + 1.
pub(in crate::articles) async fn count_by_status(
    db: &PgPool,
    f: &ListFilter,
) -> sqlx::Result<Vec<(rules::Status, i64)>> {
    count::by_status(db, f).await
}
