//! The usage log: which key fetched which story version, when. Handlers only add to an
//! in-memory buffer; the jobs loop writes it to `partner_usage` every second in one upsert,
//! so reads never wait for a write. The log is kept per partner, hour (UTC), key and story
//! version — how many fetches, the first and the last — so a partner polling its feed every
//! second adds a row per story an hour, not one per fetch, and the buffer adds up by the same
//! key before it is written. At most a second of usage is lost if the process is killed; a
//! stop by SIGTERM/SIGINT flushes first. If the database is down the buffer keeps up to
//! `CAPACITY` story-hours and counts the fetches it had to drop.
//!
//! The same flush adds the requests counted per partner and day (`partner_requests`, one
//! upsert): a request only bumps an in-memory counter under a short lock, like a fetch.
//!
//! The same flush records when each API key was last used (`api_keys.last_used_at`, at most
//! once a minute per key): the key check only reads, possibly on a replica, and marks the
//! key here when its stored time is over a minute old.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

pub use super::usage_tally::Fetch;
use super::usage_tally::{Bucket, Tally};
use crate::metrics::labels::PartnerCounter;

/// Story-hours buffered at most (about 120 bytes each).
const CAPACITY: usize = 100_000;
/// Rows per upsert.
const CHUNK: usize = 10_000;

#[derive(Default)]
pub struct UsageLog {
    pending: Mutex<HashMap<Bucket, Tally>>,
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
            self.add(&mut pending, Bucket::of(&fetch), Tally::once(fetch.at));
        }
        if let Some((partner, n)) = run {
            self.served.inc_by(partner, n);
        }
    }

    /// Adds to a bucket; a new bucket when the buffer is full is dropped, and counted.
    fn add(&self, pending: &mut HashMap<Bucket, Tally>, bucket: Bucket, tally: Tally) {
        let full = pending.len() >= CAPACITY;
        match pending.entry(bucket) {
            Entry::Occupied(mut known) => known.get_mut().add(tally),
            Entry::Vacant(new) if !full => {
                new.insert(tally);
            }
            Entry::Vacant(_) => {
                let lost = u64::try_from(tally.fetches).unwrap_or(0);
                self.dropped.fetch_add(lost, Ordering::Relaxed);
            }
        }
    }

    /// Puts rows a flush did not write back into the buffer (they were counted as served
    /// when they were recorded).
    fn put_back(&self, rows: impl IntoIterator<Item = (Bucket, Tally)>) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for (bucket, tally) in rows {
            self.add(&mut pending, bucket, tally);
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
    /// Rows not written — a database error, or the flush being cancelled at shutdown — go
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
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let mut rows: Vec<(Bucket, Tally)> = pending.into_iter().collect();
        rows.sort_unstable_by_key(|(bucket, _)| *bucket);
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
        let mut fetches = 0;
        while batch.written < batch.rows.len() {
            let end = (batch.written + CHUNK).min(batch.rows.len());
            let chunk = &batch.rows[batch.written..end];
            upsert(db, chunk).await?;
            fetches += chunk.iter().map(|(_, tally)| tally.fetches).sum::<i64>();
            batch.written = end;
        }
        Ok(usize::try_from(fetches).unwrap_or(usize::MAX))
    }
}

/// Rows taken from the buffer; on drop, the ones not written yet go back.
struct Unwritten<'a> {
    log: &'a UsageLog,
    rows: Vec<(Bucket, Tally)>,
    written: usize,
}

impl Drop for Unwritten<'_> {
    fn drop(&mut self) {
        if self.written < self.rows.len() {
            self.log.put_back(self.rows.drain(self.written..));
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

/// Adds the rows to `partner_usage`, each to its hour's row if another flush (of this or
/// another instance) already wrote one. The rows are unique and sorted by the primary key.
async fn upsert(db: &PgPool, rows: &[(Bucket, Tally)]) -> sqlx::Result<()> {
    sqlx::query(
        "insert into partner_usage
             (partner_id, hour, key_id, article_id, article_version, outlet_id, fetches, first_at, last_at)
         select * from unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::int[],
                              $6::uuid[], $7::bigint[], $8::timestamptz[], $9::timestamptz[])
         on conflict (partner_id, hour, key_id, article_id, article_version, outlet_id) do update
             set fetches = partner_usage.fetches + excluded.fetches,
                 first_at = least(partner_usage.first_at, excluded.first_at),
                 last_at = greatest(partner_usage.last_at, excluded.last_at)",
    )
    .bind(column(rows, |b, _| b.partner_id))
    .bind(column(rows, |b, _| b.hour))
    .bind(column(rows, |b, _| b.key_id))
    .bind(column(rows, |b, _| b.article_id))
    .bind(column(rows, |b, _| b.article_version))
    .bind(column(rows, |b, _| b.outlet_id))
    .bind(column(rows, |_, t| t.fetches))
    .bind(column(rows, |_, t| t.first))
    .bind(column(rows, |_, t| t.last))
    .execute(db)
    .await?;
    Ok(())
}

/// One column of the rows, to bind as an array.
fn column<T>(rows: &[(Bucket, Tally)], field: impl Fn(&Bucket, &Tally) -> T) -> Vec<T> {
    rows.iter().map(|(b, t)| field(b, t)).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use chrono::Utc;
    use uuid::Uuid;

    use super::{Fetch, UsageLog, CAPACITY};

    fn fetch(article: u128) -> Fetch {
        Fetch {
            partner_id: Uuid::from_u128(1),
            key_id: Uuid::from_u128(2),
            article_id: Uuid::from_u128(article),
            article_version: 1,
            outlet_id: Uuid::from_u128(3),
            at: Utc::now(),
        }
    }

    #[test]
    fn a_full_buffer_still_adds_to_its_rows_and_drops_only_new_ones() {
        let log = UsageLog::default();
        log.record((0..CAPACITY as u128).map(fetch));
        // The same stories again: no new row, nothing dropped.
        log.record((0..10).map(fetch));
        assert_eq!(log.dropped.load(Ordering::Relaxed), 0);
        // New stories: dropped and counted.
        log.record((CAPACITY as u128..CAPACITY as u128 + 3).map(fetch));
        assert_eq!(log.dropped.load(Ordering::Relaxed), 3);
        let pending = log.pending.lock().unwrap();
        assert_eq!(pending.len(), CAPACITY);
        let fetches: i64 = pending.values().map(|t| t.fetches).sum();
        assert_eq!(fetches, CAPACITY as i64 + 10);
    }
}
