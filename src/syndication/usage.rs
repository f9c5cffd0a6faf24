//! The usage log: every story an API key fetched (article, version, time). Handlers only push
//! to an in-memory buffer; the jobs loop writes it to `partner_usage` every second in one
//! statement, so reads never wait for a write. At most a second of usage is lost if the
//! process is killed; a stop by SIGTERM/SIGINT flushes first. If the database is down the
//! buffer keeps up to `CAPACITY` fetches and counts what it had to drop.
//!
//! The same flush adds the requests counted per partner and day (`partner_requests`, one
//! upsert): a request only bumps an in-memory counter under a short lock, like a fetch.
//!
//! The same flush records when each API key was last used (`api_keys.last_used_at`, at most
//! once a minute per key): the key check only reads, possibly on a replica, and marks the
//! key here when its stored time is over a minute old.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::metrics::labels::PartnerCounter;

const CAPACITY: usize = 200_000;
const CHUNK: usize = 10_000;

/// One story fetched by one key.
#[derive(Clone, Debug)]
pub struct Fetch {
    pub partner_id: Uuid,
    pub key_id: Uuid,
    pub article_id: Uuid,
    pub article_version: i32,
    pub outlet_id: Uuid,
    pub at: DateTime<Utc>,
}

#[derive(Default)]
pub struct UsageLog {
    pending: Mutex<Vec<Fetch>>,
    dropped: AtomicU64,
    /// API keys used since the last flush whose `last_used_at` is stale, and when.
    touched: Mutex<HashMap<Uuid, DateTime<Utc>>>,
    /// `newsroom_partner_stories_served_total`: every story recorded here was served.
    served: PartnerCounter,
    /// Requests per partner and UTC day since the last flush.
    requests: Mutex<HashMap<(Uuid, NaiveDate), i64>>,
}

impl UsageLog {
    /// A log that also counts the stories served per partner into `served`.
    pub fn counting(served: PartnerCounter) -> UsageLog {
        UsageLog {
            served,
            ..UsageLog::default()
        }
    }

    pub fn record(&self, fetches: impl IntoIterator<Item = Fetch>) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let mut run: Option<(Uuid, u64)> = None;
        for fetch in fetches {
            // The fetches of one call are one partner's: count them in one step.
            match &mut run {
                Some((partner, n)) if *partner == fetch.partner_id => *n += 1,
                _ => {
                    if let Some((partner, n)) = run {
                        self.served.inc_by(partner, n);
                    }
                    run = Some((fetch.partner_id, 1));
                }
            }
            if pending.len() >= CAPACITY {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            } else {
                pending.push(fetch);
            }
        }
        if let Some((partner, n)) = run {
            self.served.inc_by(partner, n);
        }
    }

    /// Counts one request of `partner` at `at` (its UTC day), for the next flush.
    pub fn request(&self, partner: Uuid, at: DateTime<Utc>) {
        self.add_requests([((partner, at.date_naive()), 1)]);
    }

    fn add_requests(&self, counts: impl IntoIterator<Item = ((Uuid, NaiveDate), i64)>) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        for (at, n) in counts {
            *requests.entry(at).or_insert(0) += n;
        }
    }

    /// Notes that API key `key_id` was used at `at`, for the next flush.
    pub fn touch(&self, key_id: Uuid, at: DateTime<Utc>) {
        let mut touched = self.touched.lock().unwrap_or_else(|e| e.into_inner());
        let last = touched.entry(key_id).or_insert(at);
        *last = (*last).max(at);
    }

    /// Writes what is buffered to the primary; returns how many fetches were written.
    /// Fetches not written — a database error, or the flush being cancelled at shutdown — go
    /// back into the buffer (within its capacity) for the next flush. A key use lost to a
    /// cancelled flush is noted again on the key's next use, since its time is still stale.
    pub async fn flush(&self, db: &PgPool) -> sqlx::Result<usize> {
        let touched = std::mem::take(&mut *self.touched.lock().unwrap_or_else(|e| e.into_inner()));
        if !touched.is_empty() {
            if let Err(err) = touch_keys(db, &touched).await {
                for (key, at) in touched {
                    self.touch(key, at);
                }
                return Err(err);
            }
        }
        let requests =
            std::mem::take(&mut *self.requests.lock().unwrap_or_else(|e| e.into_inner()));
        if !requests.is_empty() {
            if let Err(err) = add_requests(db, &requests).await {
                self.add_requests(requests);
                return Err(err);
            }
        }
        let rows = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            tracing::warn!(
                dropped,
                "usage log buffer was full; fetches were not recorded"
            );
        }
        let mut batch = Unwritten {
            log: self,
            rows,
            written: 0,
        };
        while batch.written < batch.rows.len() {
            let end = (batch.written + CHUNK).min(batch.rows.len());
            insert(db, &batch.rows[batch.written..end]).await?;
            batch.written = end;
        }
        Ok(batch.written)
    }
}

/// Fetches taken from the buffer; on drop, the ones not written yet go back.
struct Unwritten<'a> {
    log: &'a UsageLog,
    rows: Vec<Fetch>,
    written: usize,
}

impl Drop for Unwritten<'_> {
    fn drop(&mut self) {
        if self.written < self.rows.len() {
            self.log.record(self.rows.drain(self.written..));
        }
    }
}

/// Sets `last_used_at` of the keys, unless it is less than a minute older than the new time
/// (another instance may have just set it).
async fn touch_keys(db: &PgPool, touched: &HashMap<Uuid, DateTime<Utc>>) -> sqlx::Result<()> {
    let (ids, times): (Vec<Uuid>, Vec<DateTime<Utc>>) = touched.iter().unzip();
    sqlx::query(
        "update api_keys k set last_used_at = t.at
         from unnest($1::uuid[], $2::timestamptz[]) as t(id, at)
         where k.id = t.id and (k.last_used_at is null or k.last_used_at < t.at - interval '60 seconds')",
    )
    .bind(ids)
    .bind(times)
    .execute(db)
    .await?;
    Ok(())
}

/// Adds the counted requests to their partner's day (partners are few, so one statement).
/// A partner deleted since its requests were counted is skipped, not an error.
async fn add_requests(db: &PgPool, counts: &HashMap<(Uuid, NaiveDate), i64>) -> sqlx::Result<()> {
    let mut partners = Vec::with_capacity(counts.len());
    let mut days = Vec::with_capacity(counts.len());
    let mut ns = Vec::with_capacity(counts.len());
    for ((partner, day), n) in counts {
        partners.push(*partner);
        days.push(*day);
        ns.push(*n);
    }
    sqlx::query(
        "insert into partner_requests (partner_id, day, requests)
         select t.partner_id, t.day, t.n
         from unnest($1::uuid[], $2::date[], $3::bigint[]) as t(partner_id, day, n)
         where exists (select 1 from partners p where p.id = t.partner_id)
         on conflict (partner_id, day) do update
             set requests = partner_requests.requests + excluded.requests",
    )
    .bind(partners)
    .bind(days)
    .bind(ns)
    .execute(db)
    .await?;
    Ok(())
}

async fn insert(db: &PgPool, fetches: &[Fetch]) -> sqlx::Result<()> {
    let column = |f: fn(&Fetch) -> Uuid| fetches.iter().map(f).collect::<Vec<Uuid>>();
    sqlx::query(
        "insert into partner_usage (partner_id, key_id, article_id, article_version, outlet_id, fetched_at)
         select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::uuid[], $6::timestamptz[])",
    )
    .bind(column(|f| f.partner_id))
    .bind(column(|f| f.key_id))
    .bind(column(|f| f.article_id))
    .bind(fetches.iter().map(|f| f.article_version).collect::<Vec<i32>>())
    .bind(column(|f| f.outlet_id))
    .bind(fetches.iter().map(|f| f.at).collect::<Vec<DateTime<Utc>>>())
    .execute(db)
    .await?;
    Ok(())
}

/// One outlet on one day (UTC) of a partner's usage.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct UsageRow {
    pub day: NaiveDate,
    pub outlet_id: Uuid,
    pub outlet_slug: String,
    /// Stories fetched (a story fetched twice counts twice).
    pub fetches: i64,
    /// Distinct stories fetched.
    pub stories: i64,
}

/// One day (UTC) of a partner's requests.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct RequestDay {
    pub day: NaiveDate,
    /// Requests whose key was valid and within its rate limit, whatever they answered:
    /// stories, none, a 304, a 403 or 404.
    pub requests: i64,
}

/// A partner's requests per day, days from `from` to `to` inclusive (days without are left
/// out).
pub async fn requests(
    db: &PgPool,
    partner: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<RequestDay>> {
    sqlx::query_as(
        "select day, requests from partner_requests
         where partner_id = $1 and day >= $2 and day <= $3
         order by day",
    )
    .bind(partner)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// A partner's usage per outlet and day, days from `from` to `to` inclusive.
pub async fn report(
    db: &PgPool,
    partner: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<UsageRow>> {
    sqlx::query_as(
        "select (u.fetched_at at time zone 'UTC')::date as day, u.outlet_id, o.slug as outlet_slug,
                count(*) as fetches, count(distinct u.article_id) as stories
         from partner_usage u join outlets o on o.id = u.outlet_id
         where u.partner_id = $1
           and u.fetched_at >= ($2::date)::timestamp at time zone 'UTC'
           and u.fetched_at < ($3::date + 1)::timestamp at time zone 'UTC'
         group by 1, 2, 3
         order by 1, 3",
    )
    .bind(partner)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
