//! SQL of subscribers, subscriptions, their tokens, the consent ledger and suppressions.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::ConsentEvent;

/// Counts a sign-up for the address (by hash) in a fixed window; returns the count and when
/// the window started. One statement, so concurrent sign-ups are all counted.
pub(super) async fn count_signup(
    db: impl PgExecutor<'_>,
    email_hash: &[u8],
    now: DateTime<Utc>,
    window_secs: i64,
) -> sqlx::Result<(i32, DateTime<Utc>)> {
    sqlx::query_as(
        "insert into signup_throttles as t (email_hash, attempts, window_started_at) values ($1, 1, $2)
         on conflict (email_hash) do update set
             attempts = case when t.window_started_at <= $2 - make_interval(secs => $3) then 1 else t.attempts + 1 end,
             window_started_at = case when t.window_started_at <= $2 - make_interval(secs => $3) then $2 else t.window_started_at end
         returning attempts, window_started_at",
    )
    .bind(email_hash)
    .bind(now)
    .bind(window_secs as f64)
    .fetch_one(db)
    .await
}

/// Whether the address may not be mailed about `newsletter` (or about anything).
pub(super) async fn suppressed(
    db: impl PgExecutor<'_>,
    email_hash: &[u8],
    newsletter: Option<Uuid>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from suppressions
                        where email_hash = $1 and (newsletter_id is null or newsletter_id = $2))",
    )
    .bind(email_hash)
    .bind(newsletter)
    .fetch_one(db)
    .await
}

/// Of the rows (address, its hash, newsletter), those suppressed: (address, newsletter).
pub(super) async fn suppressed_of(
    db: impl PgExecutor<'_>,
    emails: &[&str],
    hashes: &[Vec<u8>],
    newsletters: &[Uuid],
) -> sqlx::Result<Vec<(String, Uuid)>> {
    sqlx::query_as(
        "select r.email, r.nl from unnest($1::text[], $2::bytea[], $3::uuid[]) as r(email, hash, nl)
         where exists (select 1 from suppressions s
                       where s.email_hash = r.hash and (s.newsletter_id is null or s.newsletter_id = r.nl))",
    )
    .bind(emails)
    .bind(hashes)
    .bind(newsletters)
    .fetch_all(db)
    .await
}

/// Of the rows (address, newsletter), those subscribed and confirmed; every existing
/// subscription of the rows is locked until the transaction ends.
pub(super) async fn confirmed_of(
    db: impl PgExecutor<'_>,
    emails: &[&str],
    newsletters: &[Uuid],
) -> sqlx::Result<Vec<(String, Uuid)>> {
    let found: Vec<(String, Uuid, String)> = sqlx::query_as(
        "select s.email, sub.newsletter_id, sub.status
         from unnest($1::text[], $2::uuid[]) as r(email, nl)
         join subscribers s on s.email = r.email
         join subscriptions sub on sub.subscriber_id = s.id and sub.newsletter_id = r.nl
         order by sub.subscriber_id, sub.newsletter_id
         for update of sub",
    )
    .bind(emails)
    .bind(newsletters)
    .fetch_all(db)
    .await?;
    Ok(found
        .into_iter()
        .filter(|(_, _, status)| status == "confirmed")
        .map(|(email, nl, _)| (email, nl))
        .collect())
}

pub(super) async fn suppress(
    db: impl PgExecutor<'_>,
    email_hash: &[u8],
    newsletter: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into suppressions (email_hash, newsletter_id, reason, created_at) values ($1, $2, $3, $4)
         on conflict do nothing",
    )
    .bind(email_hash)
    .bind(newsletter)
    .bind(reason)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Lifts an `unsubscribed` suppression for one newsletter (a new, confirmed sign-up).
pub(super) async fn lift(
    db: impl PgExecutor<'_>,
    email_hash: &[u8],
    newsletter: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "delete from suppressions where email_hash = $1 and newsletter_id = $2 and reason = 'unsubscribed'",
    )
    .bind(email_hash)
    .bind(newsletter)
    .execute(db)
    .await?;
    Ok(())
}

/// The subscriber with this address, created if new; returns its id.
pub(super) async fn upsert_subscriber(
    db: impl PgExecutor<'_>,
    email: &str,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "insert into subscribers (id, email, name, created_at, updated_at) values ($1, $2, $3, $4, $4)
         on conflict (email) do update set name = coalesce(excluded.name, subscribers.name), updated_at = $4
         returning id",
    )
    .bind(Uuid::now_v7())
    .bind(email)
    .bind(name)
    .bind(now)
    .fetch_one(db)
    .await
}

/// The subscription's status, if there is one.
pub(super) async fn status(
    db: impl PgExecutor<'_>,
    subscriber: Uuid,
    newsletter: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "select status from subscriptions where subscriber_id = $1 and newsletter_id = $2 for update",
    )
    .bind(subscriber)
    .bind(newsletter)
    .fetch_optional(db)
    .await
}

/// Makes the subscription `pending` (new, or after an unsubscribe) under `policy`.
pub(super) async fn set_pending(
    db: impl PgExecutor<'_>,
    subscriber: Uuid,
    newsletter: Uuid,
    policy: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into subscriptions (subscriber_id, newsletter_id, status, policy_version, created_at, updated_at)
         values ($1, $2, 'pending', $3, $4, $4)
         on conflict (subscriber_id, newsletter_id) do update
             set status = 'pending', policy_version = $3, updated_at = $4, unsubscribed_at = null",
    )
    .bind(subscriber)
    .bind(newsletter)
    .bind(policy)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub(super) async fn insert_confirmation(
    db: impl PgExecutor<'_>,
    hash: &[u8],
    subscriber: Uuid,
    newsletter: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into confirmation_tokens (token_hash, subscriber_id, newsletter_id, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(hash)
    .bind(subscriber)
    .bind(newsletter)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// What a token points to: the subscriber (with its address) and the newsletter.
#[derive(Debug, sqlx::FromRow)]
pub struct Target {
    pub subscriber_id: Uuid,
    pub email: Option<String>,
    pub newsletter_id: Uuid,
    pub newsletter_slug: String,
    pub newsletter_name: String,
}

/// Spends a confirmation token: only once, only before it expires.
pub(super) async fn spend_confirmation(
    db: impl PgExecutor<'_>,
    hash: &[u8],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Target>> {
    sqlx::query_as(
        "with spent as (
             update confirmation_tokens set used_at = $2
             where token_hash = $1 and used_at is null and expires_at > $2
             returning subscriber_id, newsletter_id
         )
         select s.subscriber_id, sub.email, s.newsletter_id, n.slug as newsletter_slug, n.name as newsletter_name
         from spent s join subscribers sub on sub.id = s.subscriber_id join newsletters n on n.id = s.newsletter_id",
    )
    .bind(hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

pub(super) async fn unsubscribe_target(
    db: impl PgExecutor<'_>,
    hash: &[u8],
) -> sqlx::Result<Option<Target>> {
    sqlx::query_as(
        "select t.subscriber_id, sub.email, t.newsletter_id, n.slug as newsletter_slug, n.name as newsletter_name
         from unsubscribe_tokens t join subscribers sub on sub.id = t.subscriber_id
         join newsletters n on n.id = t.newsletter_id
         where t.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(db)
    .await
}

pub(super) async fn insert_unsubscribe_token(
    db: impl PgExecutor<'_>,
    hash: &[u8],
    subscriber: Uuid,
    newsletter: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into unsubscribe_tokens (token_hash, subscriber_id, newsletter_id, created_at) values ($1, $2, $3, $4)",
    )
    .bind(hash)
    .bind(subscriber)
    .bind(newsletter)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Sets the status (`confirmed` or `unsubscribed`) with its time; the policy it was given
/// under, or `None` when there is no such subscription or nothing changed.
pub(super) async fn set_status(
    db: impl PgExecutor<'_>,
    subscriber: Uuid,
    newsletter: Uuid,
    status: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Option<String>>> {
    sqlx::query_scalar(
        "update subscriptions set status = $3, updated_at = $4,
             confirmed_at = case when $3 = 'confirmed' then $4 else confirmed_at end,
             unsubscribed_at = case when $3 = 'unsubscribed' then $4 else unsubscribed_at end
         where subscriber_id = $1 and newsletter_id = $2 and status <> $3
         returning policy_version",
    )
    .bind(subscriber)
    .bind(newsletter)
    .bind(status)
    .bind(now)
    .fetch_optional(db)
    .await
}

pub(super) async fn record(db: impl PgExecutor<'_>, e: &ConsentEvent<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into consent_events (id, subscriber_id, newsletter_id, action, at, ip, user_agent, policy_version, source)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(Uuid::now_v7())
    .bind(e.subscriber)
    .bind(e.newsletter)
    .bind(e.action.as_str())
    .bind(e.at)
    .bind(e.ip)
    .bind(e.user_agent)
    .bind(e.policy_version)
    .bind(e.source)
    .execute(db)
    .await?;
    Ok(())
}
