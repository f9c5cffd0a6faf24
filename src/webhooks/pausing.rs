//! SQL of a partner's webhook pause: failures in a row counted (the worker pauses at the
//! threshold), a pause by hand, and the resume. All of it is `partners.webhooks_paused_at`,
//! the one column `store::claim_due` honours.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// Counts a failure against the partner and pauses its webhooks at `pause_after` in a row;
/// true when this failure paused them.
pub async fn count_failure(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    pause_after: i32,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let paused: Option<bool> = sqlx::query_scalar(
        "update partners set webhook_failures = webhook_failures + 1,
             webhooks_paused_at = case when webhooks_paused_at is null and webhook_failures + 1 >= $2
                                       then $3 else webhooks_paused_at end
         where id = $1
         returning coalesce(webhooks_paused_at = $3, false)",
    )
    .bind(partner)
    .bind(pause_after)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(paused.unwrap_or(false))
}

pub async fn reset_failures(db: impl PgExecutor<'_>, partner: Uuid) -> sqlx::Result<()> {
    sqlx::query("update partners set webhook_failures = 0 where id = $1 and webhook_failures <> 0")
        .bind(partner)
        .execute(db)
        .await?;
    Ok(())
}

/// Pauses a partner's webhooks by hand with `reason`: the same `webhooks_paused_at` the
/// worker sets after failures and its claim honours. False when they were paused already
/// (nothing changes then).
pub async fn pause(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update partners set webhooks_paused_at = $3, webhooks_pause_reason = $2
         where id = $1 and webhooks_paused_at is null",
    )
    .bind(partner)
    .bind(reason)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Un-pauses a partner's webhooks; its waiting deliveries are due at once.
pub async fn resume(
    db: &mut sqlx::PgConnection,
    partner: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update partners set webhook_failures = 0, webhooks_paused_at = null,
             webhooks_pause_reason = null
         where id = $1",
    )
    .bind(partner)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "update webhook_deliveries set next_attempt_at = $2,
             give_up_at = greatest(give_up_at, $2 + interval '24 hours')
         where partner_id = $1 and status = 'pending'",
    )
    .bind(partner)
    .bind(now)
    .execute(&mut *db)
    .await?;
    Ok(())
}
