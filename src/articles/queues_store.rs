//! SQL of the dashboard's story queues (`queues.rs`); each reads through an index
//! (`articles_status_updated_idx`, `articles_due_idx`, `articles_created_by_status_idx`).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::rules::Status;

/// A story in a queue: enough to name it and link to it.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Queued {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub headline: String,
    pub status: Status,
    pub updated_at: DateTime<Utc>,
    pub scheduled_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "a.id, a.outlet_id, a.headline, a.status, a.updated_at, a.scheduled_at";

/// Stories in review, newest change first, in `outlets` (none: every outlet).
pub(super) async fn in_review(
    db: impl PgExecutor<'_>,
    outlets: Option<&[Uuid]>,
    limit: i64,
) -> sqlx::Result<Vec<Queued>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from articles a
         where a.status = 'in_review' and ($1::uuid[] is null or a.outlet_id = any($1))
         order by a.updated_at desc, a.id desc limit $2"
    ))
    .bind(outlets)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many stories are in review in `outlets` (none: every outlet).
pub(super) async fn count_in_review(
    db: impl PgExecutor<'_>,
    outlets: Option<&[Uuid]>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from articles a
         where a.status = 'in_review' and ($1::uuid[] is null or a.outlet_id = any($1))",
    )
    .bind(outlets)
    .fetch_one(db)
    .await
}

/// Stories scheduled from `from` up to (not including) `to`, soonest first, in `outlets`.
pub(super) async fn scheduled_between(
    db: impl PgExecutor<'_>,
    outlets: Option<&[Uuid]>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Queued>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from articles a
         where a.status = 'scheduled' and a.scheduled_at >= $2 and a.scheduled_at < $3
           and ($1::uuid[] is null or a.outlet_id = any($1))
         order by a.scheduled_at, a.id limit $4"
    ))
    .bind(outlets)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// `author`'s stories in `status`, newest change first, in `outlets`.
pub(super) async fn created_by(
    db: impl PgExecutor<'_>,
    author: Uuid,
    status: &str,
    outlets: Option<&[Uuid]>,
    limit: i64,
) -> sqlx::Result<Vec<Queued>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from articles a
         where a.created_by = $1 and a.status = $2::article_status
           and ($3::uuid[] is null or a.outlet_id = any($3))
         order by a.updated_at desc, a.id desc limit $4"
    ))
    .bind(author)
    .bind(status)
    .bind(outlets)
    .bind(limit)
    .fetch_all(db)
    .await
}
