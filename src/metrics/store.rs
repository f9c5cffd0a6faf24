//! SQL of the gauges read at scrape time. Every count runs on a partial index (due scheduled
//! articles, due embargoes, events not yet fanned out, pending webhooks and emails), so its
//! cost follows the backlog, not the size of the tables.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// Work waiting in the database now.
#[derive(Debug, sqlx::FromRow)]
pub struct Backlog {
    pub scheduled_due: i64,
    pub oldest_scheduled: Option<DateTime<Utc>>,
    pub embargoes_due: i64,
    pub events_pending: i64,
    pub webhooks_pending: i64,
    pub webhooks_retrying: i64,
    pub partners_paused: i64,
    pub email_oldest_due: Option<DateTime<Utc>>,
}

pub async fn backlog(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Backlog> {
    sqlx::query_as(
        "select
             (select count(*) from articles where status = 'scheduled' and scheduled_at <= $1) as scheduled_due,
             (select min(scheduled_at) from articles where status = 'scheduled' and scheduled_at <= $1) as oldest_scheduled,
             (select count(*) from articles where status = 'published' and embargo_released_at is null
                  and embargo_until is not null and embargo_until <= $1) as embargoes_due,
             (select count(*) from outbox_events where delivered_at is null) as events_pending,
             (select count(*) from webhook_deliveries where status = 'pending' and attempts = 0) as webhooks_pending,
             (select count(*) from webhook_deliveries where status = 'pending' and attempts > 0) as webhooks_retrying,
             (select count(*) from partners where active and webhooks_paused_at is not null and webhooks_pause_reason is null) as partners_paused,
             (select min(next_attempt_at) from email_outbox where status = 'pending' and next_attempt_at <= $1) as email_oldest_due",
    )
    .bind(now)
    .fetch_one(db)
    .await
}

/// Emails queued or being sent, by kind and status. One query per status, so each runs on
/// its partial index (`status in (…)` made PostgreSQL scan the whole table: 106 ms at 200,000
/// emails, against 0.6 ms).
pub async fn email_queue(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(String, String, i64)>> {
    sqlx::query_as(
        "select kind, 'pending', count(*) from email_outbox where status = 'pending' group by kind
         union all
         select kind, 'sending', count(*) from email_outbox where status = 'sending' group by kind",
    )
    .fetch_all(db)
    .await
}

/// The newest event the change feed can hand out now, as `(txid, id)`: the feed's own
/// condition (`syndication::store::events`), read where the feed reads.
pub async fn feed_horizon(db: impl PgExecutor<'_>) -> sqlx::Result<Option<(i64, Uuid)>> {
    sqlx::query_as(
        // `e.txid` in the order: the output column's cast would sort the whole table.
        "select e.txid::text::bigint, e.id from outbox_events e
         where e.txid < pg_snapshot_xmin(pg_current_snapshot())
         order by e.txid desc, e.id desc limit 1",
    )
    .fetch_optional(db)
    .await
}

/// When the first committed event past `after` happened (read on the primary): the oldest
/// change partners are still waiting for.
pub async fn first_event_after(
    db: impl PgExecutor<'_>,
    after: (i64, Uuid),
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select occurred_at from outbox_events where (txid, id) > ($1::text::xid8, $2)
         order by txid, id limit 1",
    )
    .bind(after.0.to_string())
    .bind(after.1)
    .fetch_optional(db)
    .await
}
