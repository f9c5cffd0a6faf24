//! SQL of sessions and login throttling.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Row};
use uuid::Uuid;

use super::CurrentUser;

/// The active user behind a live session token digest.
pub async fn session_user(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<CurrentUser>> {
    let row = sqlx::query(
        r#"
        select s.id as session_id, u.id, u.email, u.role,
               coalesce(array_agg(uo.outlet_id) filter (where uo.outlet_id is not null), '{}') as outlet_ids
        from sessions s
        join users u on u.id = s.user_id
        left join user_outlets uo on uo.user_id = u.id
        where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2 and u.active
        group by s.id, u.id
        "#,
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(CurrentUser {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            role: r.try_get("role")?,
            outlet_ids: r.try_get("outlet_ids")?,
            session_id: r.try_get("session_id")?,
            request_id: None,
        })
    })
    .transpose()
}

/// The id, hash and active flag of the account with this (lower-cased) email.
pub async fn credentials(
    db: impl PgExecutor<'_>,
    email: &str,
) -> sqlx::Result<Option<(Uuid, String, bool)>> {
    sqlx::query_as("select id, password_hash, active from users where email = $1")
        .bind(email)
        .fetch_optional(db)
        .await
}

pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub token_hash: &'a [u8],
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
}

pub async fn insert_session(db: impl PgExecutor<'_>, s: NewSession<'_>) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into sessions (id, user_id, token_hash, created_at, expires_at, user_agent, ip)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(s.user_id)
    .bind(s.token_hash)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.user_agent)
    .bind(s.ip)
    .execute(db)
    .await?;
    Ok(id)
}

pub async fn revoke_session(
    db: impl PgExecutor<'_>,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update sessions set revoked_at = $2 where id = $1 and revoked_at is null")
        .bind(session_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Revokes every live session of a user but `keep` (the one changing its password, say).
pub async fn revoke_user_sessions(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update sessions set revoked_at = $3
         where user_id = $1 and revoked_at is null and id is distinct from $2",
    )
    .bind(user_id)
    .bind(keep)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// A login throttle counter: attempts in the window that started at `window_started_at`.
#[derive(Debug, sqlx::FromRow)]
pub struct Counter {
    pub key: String,
    pub attempts: i32,
    pub window_started_at: DateTime<Utc>,
}

/// Locks the counters named by `keys` (sorted, so concurrent logins lock in one order and
/// never deadlock), creating the missing ones empty, until the transaction ends.
pub async fn lock_counters(
    tx: &mut sqlx::PgConnection,
    keys: &[String],
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Counter>> {
    sqlx::query(
        "insert into login_throttles (key, attempts, window_started_at)
         select k, 0, $2 from unnest($1::text[]) as k order by k
         on conflict (key) do nothing",
    )
    .bind(keys)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query_as(
        "select key, attempts, window_started_at from login_throttles
         where key = any($1) order by key for update",
    )
    .bind(keys)
    .fetch_all(&mut *tx)
    .await
}

/// Writes counters back (under the locks of [`lock_counters`]).
pub async fn save_counters(tx: &mut sqlx::PgConnection, counters: &[Counter]) -> sqlx::Result<()> {
    let keys: Vec<&str> = counters.iter().map(|c| c.key.as_str()).collect();
    let attempts: Vec<i32> = counters.iter().map(|c| c.attempts).collect();
    let starts: Vec<DateTime<Utc>> = counters.iter().map(|c| c.window_started_at).collect();
    sqlx::query(
        "update login_throttles t set attempts = c.attempts, window_started_at = c.started
         from unnest($1::text[], $2::int[], $3::timestamptz[]) as c (key, attempts, started)
         where t.key = c.key",
    )
    .bind(keys)
    .bind(attempts)
    .bind(starts)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn clear_counters(db: impl PgExecutor<'_>, keys: &[String]) -> sqlx::Result<()> {
    sqlx::query("delete from login_throttles where key = any($1)")
        .bind(keys)
        .execute(db)
        .await?;
    Ok(())
}

/// Gives back one attempt of a counter (a login that succeeded does not count).
pub async fn refund(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query("update login_throttles set attempts = greatest(attempts - 1, 0) where key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes the counters whose window started before `before`; the number deleted.
pub async fn purge_counters(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from login_throttles where window_started_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
