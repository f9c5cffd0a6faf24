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

/// Counts one more login attempt for `email` in its fixed window (restarting an expired
/// window) and returns the attempts so far and when the window started. One statement, so
/// concurrent attempts on several instances are counted exactly.
pub async fn count_attempt(
    db: impl PgExecutor<'_>,
    email: &str,
    now: DateTime<Utc>,
    window_secs: i64,
) -> sqlx::Result<(i32, DateTime<Utc>)> {
    sqlx::query_as(
        r#"
        insert into login_throttles as t (email, attempts, window_started_at) values ($1, 1, $2)
        on conflict (email) do update set
            attempts = case when t.window_started_at <= $2 - make_interval(secs => $3)
                            then 1 else t.attempts + 1 end,
            window_started_at = case when t.window_started_at <= $2 - make_interval(secs => $3)
                                     then $2 else t.window_started_at end
        returning attempts, window_started_at
        "#,
    )
    .bind(email)
    .bind(now)
    .bind(window_secs as f64)
    .fetch_one(db)
    .await
}

pub async fn clear_attempts(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<()> {
    sqlx::query("delete from login_throttles where email = $1")
        .bind(email)
        .execute(db)
        .await?;
    Ok(())
}
