//! SQL of webhook deliveries and their attempts.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{Attempt, Delivery};

/// An outbox event not yet fanned out, with where its article lives.
#[derive(Debug, sqlx::FromRow)]
pub struct NewEvent {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub section_id: Option<Uuid>,
}

/// Locks up to `limit` events not yet fanned out; other instances skip them.
pub async fn lock_new_events(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<NewEvent>> {
    sqlx::query_as(
        "select e.id, a.outlet_id, a.section_id
         from outbox_events e join articles a on a.id = e.article_id
         where e.delivered_at is null
         order by e.id
         limit $1
         for update of e skip locked",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A partner that takes webhooks, with its entitlements.
#[derive(Debug, sqlx::FromRow)]
pub struct Subscriber {
    pub id: Uuid,
    pub outlet_ids: Vec<Uuid>,
    pub section_ids: Vec<Uuid>,
}

pub async fn subscribers(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Subscriber>> {
    sqlx::query_as(
        "select id, outlet_ids, section_ids from partners where active and webhook_url is not null",
    )
    .fetch_all(db)
    .await
}

/// Queues one delivery per `(event, partner)` pair; a pair queued before is left alone.
pub async fn queue(
    db: impl PgExecutor<'_>,
    pairs: &[(Uuid, Uuid)],
    now: DateTime<Utc>,
    give_up_at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let ids: Vec<Uuid> = pairs.iter().map(|_| Uuid::now_v7()).collect();
    let events: Vec<Uuid> = pairs.iter().map(|p| p.0).collect();
    let partners: Vec<Uuid> = pairs.iter().map(|p| p.1).collect();
    let done = sqlx::query(
        "insert into webhook_deliveries (id, event_id, partner_id, next_attempt_at, give_up_at, created_at)
         select id, event_id, partner_id, $4, $5, $4 from unnest($1::uuid[], $2::uuid[], $3::uuid[]) as t (id, event_id, partner_id)
         on conflict (event_id, partner_id) do nothing",
    )
    .bind(&ids)
    .bind(&events)
    .bind(&partners)
    .bind(now)
    .bind(give_up_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn mark_fanned_out(
    db: impl PgExecutor<'_>,
    events: &[Uuid],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update outbox_events set delivered_at = $2 where id = any($1)")
        .bind(events)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// A delivery claimed for one attempt.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub attempts: i32,
    pub give_up_at: DateTime<Utc>,
    pub partner_id: Uuid,
    pub url: String,
    pub secret: String,
    /// The secret before the last rotation, while its overlap lasts: it signs too.
    pub previous_secret: Option<String>,
    pub outlet_ids: Vec<Uuid>,
    pub section_ids: Vec<Uuid>,
    pub event_id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub article_id: Uuid,
}

/// Claims up to `limit` due deliveries of active, unpaused partners, at most `per_partner`
/// of each (so one slow endpoint cannot take every slot), by moving their next attempt to
/// `lease_until`: if this instance dies mid-attempt, another retries them then.
///
/// The locking select states "pending and due" again: `ranked` reads the statement's
/// snapshot, and a row another instance claimed and committed after that snapshot is
/// re-checked (in its newest version) only against the conditions of the locking select.
/// Without `next_attempt_at <= $1` there, a claim that began before the other's commit took
/// the same delivery again (issue #13).
pub async fn claim_due(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
    per_partner: i64,
) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as(
        "with ranked as (
             select d.id, row_number() over (partition by d.partner_id order by d.next_attempt_at) as n
             from webhook_deliveries d join partners p on p.id = d.partner_id
             where d.status = 'pending' and d.next_attempt_at <= $1
               and p.active and p.webhooks_paused_at is null and p.webhook_url is not null
         ), due as (
             select d.id from webhook_deliveries d
             where d.id in (select id from ranked where n <= $4)
               and d.status = 'pending' and d.next_attempt_at <= $1
             order by d.next_attempt_at
             limit $3
             for update of d skip locked
         ), claimed as (
             update webhook_deliveries d set next_attempt_at = $2, attempts = d.attempts + 1
             from due where d.id = due.id
             returning d.id, d.attempts, d.give_up_at, d.partner_id, d.event_id
         )
         select c.id, c.attempts, c.give_up_at, c.partner_id, p.webhook_url as url,
                coalesce(p.webhook_secret, '') as secret,
                case when p.previous_webhook_secret_until > $1 then p.previous_webhook_secret end as previous_secret,
                p.outlet_ids, p.section_ids,
                c.event_id, e.event_type, e.occurred_at, e.article_id
         from claimed c
         join partners p on p.id = c.partner_id
         join outbox_events e on e.id = c.event_id",
    )
    .bind(now)
    .bind(lease_until)
    .bind(limit)
    .bind(per_partner)
    .fetch_all(db)
    .await
}

/// Makes `secret` the partner's webhook secret; the one it replaces keeps signing until
/// `previous_until` (none: it stops at once). False when there is no such partner.
pub async fn rotate_secret(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    secret: &str,
    previous_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update partners set
             previous_webhook_secret = case when $3::timestamptz is null then null else webhook_secret end,
             previous_webhook_secret_until = case when webhook_secret is null then null else $3 end,
             webhook_secret = $2, updated_at = $4
         where id = $1",
    )
    .bind(partner)
    .bind(secret)
    .bind(previous_until)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Fails pending deliveries whose 24 hours are over without a success, also those never
/// attempted (their partner was paused, deactivated or without a URL all along).
pub async fn expire(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update webhook_deliveries set status = 'failed',
             last_error = coalesce(last_error || '; ', '') || 'not delivered within 24 hours'
         where status = 'pending' and give_up_at <= $1",
    )
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Fails every pending delivery of a partner, with `reason` (it was deactivated, or its
/// webhook URL removed: nothing would ever send them).
pub async fn fail_pending(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    reason: &str,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update webhook_deliveries set status = 'failed', last_error = $2
         where partner_id = $1 and status = 'pending'",
    )
    .bind(partner)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// What one attempt came to.
pub struct AttemptRecord<'a> {
    pub delivery: Uuid,
    pub at: DateTime<Utc>,
    pub duration_ms: i32,
    pub status_code: Option<i16>,
    pub error: Option<&'a str>,
}

pub async fn insert_attempt(db: impl PgExecutor<'_>, a: &AttemptRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into webhook_attempts (id, delivery_id, attempted_at, duration_ms, status_code, error)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(a.delivery)
    .bind(a.at)
    .bind(a.duration_ms)
    .bind(a.status_code)
    .bind(a.error)
    .execute(db)
    .await?;
    Ok(())
}

/// Sets a delivery's outcome: `delivered`, `failed`, or `pending` again at `next_attempt_at`.
pub async fn settle(
    db: impl PgExecutor<'_>,
    a: &AttemptRecord<'_>,
    status: &str,
    next_attempt_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update webhook_deliveries set status = $2, next_attempt_at = $3, last_status = $4, last_error = $5,
             delivered_at = case when $2 = 'delivered' then $6 else delivered_at end
         where id = $1",
    )
    .bind(a.delivery)
    .bind(status)
    .bind(next_attempt_at)
    .bind(a.status_code)
    .bind(a.error)
    .bind(a.at)
    .execute(db)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "d.id, d.partner_id, d.event_id, e.event_type, e.article_id, d.status, d.attempts,
    d.next_attempt_at, d.give_up_at, d.created_at, d.delivered_at, d.last_status, d.last_error";

/// A partner's deliveries, newest first, keyset before `before`.
pub async fn list(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    status: Option<&str>,
    before: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Delivery>> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "select {COLUMNS} from webhook_deliveries d join outbox_events e on e.id = d.event_id where d.partner_id = "
    ));
    query.push_bind(partner);
    if let Some(status) = status {
        query.push(" and d.status = ").push_bind(status);
    }
    if let Some(before) = before {
        query.push(" and d.id < ").push_bind(before);
    }
    query
        .push(" order by d.id desc limit ")
        .push_bind(limit + 1);
    query.build_query_as().fetch_all(db).await
}

pub async fn get(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Delivery>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from webhook_deliveries d join outbox_events e on e.id = d.event_id
         where d.partner_id = $1 and d.id = $2"
    ))
    .bind(partner)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn attempts(db: impl PgExecutor<'_>, delivery: Uuid) -> sqlx::Result<Vec<Attempt>> {
    sqlx::query_as(
        "select id, attempted_at, duration_ms, status_code, error from webhook_attempts
         where delivery_id = $1 order by attempted_at, id",
    )
    .bind(delivery)
    .fetch_all(db)
    .await
}

/// Queues a delivery again, due now, with a fresh 24-hour window and backoff.
pub async fn replay(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
    give_up_at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update webhook_deliveries set status = 'pending', next_attempt_at = $3, give_up_at = $4, attempts = 0
         where partner_id = $1 and id = $2",
    )
    .bind(partner)
    .bind(id)
    .bind(now)
    .bind(give_up_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
