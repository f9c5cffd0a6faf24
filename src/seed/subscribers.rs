//! `newsroom seed --subscribers N`: synthetic confirmed subscribers of the newsletter
//! `seed-briefings` (made when missing), each with the ledger rows a real one has
//! (`subscribed`, then `confirmed` five minutes later). Subscriber `n` is always
//! `reader-<n>@seed.example`; a run adds only the numbers up to `N` that are missing, in
//! set-based statements of [`BATCH`] (100,000 take seconds, not a round trip each).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// Subscribers per statement.
const BATCH: i64 = 50_000;
/// The seeded newsletter.
pub const NEWSLETTER: &str = "seed-briefings";

/// Seeded subscribers before and after the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub before: i64,
    pub after: i64,
}

async fn newsletter(db: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Uuid> {
    sqlx::query(
        "insert into newsletters (id, slug, name, description, created_at, updated_at)
         values ($1, $2, 'Seed Briefings', 'Synthetic subscribers for benchmarks.', $3, $3)
         on conflict (slug) do nothing",
    )
    .bind(Uuid::now_v7())
    .bind(NEWSLETTER)
    .bind(now)
    .execute(db)
    .await?;
    sqlx::query_scalar("select id from newsletters where slug = $1")
        .bind(NEWSLETTER)
        .fetch_one(db)
        .await
}

async fn count(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from subscribers where email like 'reader-%@seed.example'")
        .fetch_one(db)
        .await
}

/// Seeds up to `n` subscribers (never removes any).
pub async fn run(db: &PgPool, n: i64, now: DateTime<Utc>) -> anyhow::Result<Outcome> {
    let newsletter = newsletter(db, now).await?;
    let before = count(db).await?;
    let mut from = 1;
    while from <= n {
        let to = (from + BATCH - 1).min(n);
        // One statement a batch: the subscribers, their confirmed subscriptions and both
        // ledger rows; a number already there is skipped (`on conflict do nothing`).
        sqlx::query(
            "with new as (
               insert into subscribers (id, email, name, created_at, updated_at)
               select gen_random_uuid(), 'reader-' || i || '@seed.example', 'Reader ' || i,
                      $3 - make_interval(mins => i::int), $3 - make_interval(mins => i::int)
               from generate_series($1::bigint, $2::bigint) i
               on conflict (email) do nothing
               returning id, created_at
             ), subscribed as (
               insert into subscriptions (subscriber_id, newsletter_id, status, policy_version,
                                          created_at, updated_at, confirmed_at)
               select id, $4, 'confirmed', 'seed', created_at, created_at + interval '5 minutes',
                      created_at + interval '5 minutes'
               from new
               returning subscriber_id
             )
             insert into consent_events (id, subscriber_id, newsletter_id, action, at,
                                         policy_version, source)
             select gen_random_uuid(), id, $4, e.action, created_at + e.after, 'seed', 'seed'
             from new
             cross join (values ('subscribed', interval '0'), ('confirmed', interval '5 minutes'))
                  as e(action, after)",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .bind(newsletter)
        .execute(db)
        .await?;
        from = to + 1;
    }
    Ok(Outcome {
        before,
        after: count(db).await?,
    })
}
