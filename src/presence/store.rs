//! SQL of presence.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

pub(super) async fn beat(
    db: impl PgExecutor<'_>,
    article: Uuid,
    user: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into story_presence (article_id, user_id, seen_at) values ($1, $2, $3)
         on conflict (article_id, user_id) do update set seen_at = $3",
    )
    .bind(article)
    .bind(user)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The display names of the other users seen on `article` since `since`.
pub(super) async fn others(
    db: impl PgExecutor<'_>,
    article: Uuid,
    user: Uuid,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "select u.display_name from story_presence p join users u on u.id = p.user_id
         where p.article_id = $1 and p.user_id <> $2 and p.seen_at >= $3 and u.active
         order by p.seen_at, u.display_name",
    )
    .bind(article)
    .bind(user)
    .bind(since)
    .fetch_all(db)
    .await
}
