//! SQL of saved views. Every statement is scoped to one user.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::SavedView;

pub(super) async fn list(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<SavedView>> {
    sqlx::query_as(
        "select id, name, query, created_at, updated_at from saved_views
         where user_id = $1 order by name, id",
    )
    .bind(user)
    .fetch_all(db)
    .await
}

/// Takes the user's row lock (not a key lock, so sessions and other rows referring to the
/// user are not held up), so that two saves of one user are counted one after the other.
pub(super) async fn lock_user(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<()> {
    sqlx::query("select 1 from users where id = $1 for no key update")
        .bind(user)
        .fetch_optional(db)
        .await?;
    Ok(())
}

/// How many views the user has under other names than `name`.
pub(super) async fn count_others(
    db: impl PgExecutor<'_>,
    user: Uuid,
    name: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from saved_views where user_id = $1 and name <> $2")
        .bind(user)
        .bind(name)
        .fetch_one(db)
        .await
}

/// Inserts the view, or replaces the query of the user's view of that name.
pub(super) async fn upsert(
    db: impl PgExecutor<'_>,
    user: Uuid,
    name: &str,
    query: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<SavedView> {
    sqlx::query_as(
        "insert into saved_views (id, user_id, name, query, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (user_id, name) do update set query = excluded.query, updated_at = excluded.updated_at
         returning id, name, query, created_at, updated_at",
    )
    .bind(Uuid::now_v7())
    .bind(user)
    .bind(name)
    .bind(query)
    .bind(at)
    .fetch_one(db)
    .await
}

/// Deletes the view if it is the user's; whether it was.
pub(super) async fn delete(db: impl PgExecutor<'_>, user: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from saved_views where id = $1 and user_id = $2")
        .bind(id)
        .bind(user)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}
