//! SQL of the email outbox.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::Message;

/// Inserts one email; false when a row with its dedupe key exists.
pub async fn insert(
    db: impl PgExecutor<'_>,
    msg: &Message,
    now: DateTime<Utc>,
    give_up_at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into email_outbox (id, kind, recipient, subject, text_body, html_body, headers,
             dedupe_key, delivery, next_attempt_at, give_up_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)
         on conflict (dedupe_key) do nothing",
    )
    .bind(Uuid::now_v7())
    .bind(msg.kind)
    .bind(&msg.to)
    .bind(&msg.subject)
    .bind(&msg.text)
    .bind(&msg.html)
    .bind(Json(&msg.headers))
    .bind(&msg.dedupe_key)
    .bind(msg.delivery.as_str())
    .bind(now)
    .bind(give_up_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An email claimed for one attempt.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub headers: Json<Vec<(String, String)>>,
    /// Attempts so far, this one included: the claim's fencing token.
    pub attempts: i32,
    pub give_up_at: DateTime<Utc>,
    /// `at_most_once` or `at_least_once` (see [`super::Delivery`]).
    pub delivery: String,
}

/// Claims up to `limit` due emails by moving their next attempt to `lease_until`; other
/// instances skip them, and if this one dies mid-send another retries them then.
pub async fn claim_due(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as(
        "with due as (
             select id from email_outbox
             where status = 'pending' and next_attempt_at <= $1
             order by next_attempt_at
             limit $3
             for update skip locked
         )
         update email_outbox o set next_attempt_at = $2, attempts = o.attempts + 1
         from due where o.id = due.id
         returning o.id, o.kind, o.recipient, o.subject, o.text_body, o.html_body, o.headers,
                   o.attempts, o.give_up_at, o.delivery",
    )
    .bind(now)
    .bind(lease_until)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Marks an at-most-once email `sending`, in a commit of its own before the SMTP transaction;
/// false (do not send) unless this claim (`attempts`) still holds it.
pub async fn mark_sending(db: impl PgExecutor<'_>, id: Uuid, attempts: i32) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update email_outbox set status = 'sending'
         where id = $1 and status = 'pending' and attempts = $2",
    )
    .bind(id)
    .bind(attempts)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks `interrupted` the emails left `sending` whose lease ended by `now` (their instance
/// died mid-send); they are not sent again. The number marked.
pub async fn mark_interrupted(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update email_outbox set status = 'interrupted',
             last_error = 'interrupted: the instance sending it stopped mid-send; it may or may not have arrived, and is not sent again'
         where status = 'sending' and next_attempt_at <= $1",
    )
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Extends the lease of the claimed emails among `ids` that still hold the lease `held`
/// (pending or sending, due exactly then) to `until`; the number renewed.
pub async fn renew(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
    held: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update email_outbox set next_attempt_at = $3
         where id = any($1) and status in ('pending', 'sending') and next_attempt_at = $2",
    )
    .bind(ids)
    .bind(held)
    .bind(until)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn mark_sent(db: impl PgExecutor<'_>, id: Uuid, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "update email_outbox set status = 'sent', sent_at = $2, last_error = null where id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt: `pending` again at `next_attempt_at`, or `failed` for good.
pub async fn mark_failed(
    db: impl PgExecutor<'_>,
    id: Uuid,
    status: &str,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "update email_outbox set status = $2, next_attempt_at = $3, last_error = $4 where id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(next_attempt_at)
    .bind(error)
    .execute(db)
    .await?;
    Ok(())
}
