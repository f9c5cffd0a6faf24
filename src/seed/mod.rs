//! `newsroom seed --articles N`: bulk synthetic stories for benchmarks and demos, written with
//! `COPY` in batches (one transaction each) while worker threads make the next batches.
//!
//! Story `n` is always the same text (see `content.rs`); `seed_state` counts the stories
//! written, so a run tops the database up to `N` (a second run with the same `N` does nothing,
//! a run that stopped half-way resumes). An advisory lock turns a concurrent run away.

mod catalogue;
mod content;
mod copy;
mod progress;
mod words;

pub use content::{MAX_BODY, MIN_BODY};
pub use progress::grouped;

use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{Connection, PgConnection};
use tokio::sync::mpsc;

use crate::audit::{self, Actor};
use crate::state::AppState;
use content::Catalogue;
use copy::Batch;
use progress::Progress;

/// Stories per transaction (about 18 MB of COPY data).
const BATCH: u64 = 1000;
/// The advisory lock a seed run holds ("newsseed"): a second run finds it taken and stops.
pub const ADVISORY_LOCK: i64 = 0x6e65_7773_7365_6564;

/// Seeded stories before and after the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub before: u64,
    pub after: u64,
}

/// Seeds up to `articles` stories (never removes any); `progress` draws the bar on stderr.
pub async fn run(state: &AppState, articles: u64, progress: bool) -> anyhow::Result<Outcome> {
    let now = state.clock.now();
    // The lock is transaction-scoped, held by a transaction that stays open on a connection of
    // its own for the whole run: a session-level lock would outlive the run behind PgBouncer
    // in transaction mode (the server connection that took it goes back to the pool). The
    // transaction ends (and the lock with it) when the run returns, fails, or the process dies.
    let mut holder = state.db.begin().await?;
    let locked: bool = sqlx::query_scalar("select pg_try_advisory_xact_lock($1)")
        .bind(ADVISORY_LOCK)
        .fetch_one(&mut *holder)
        .await?;
    if !locked {
        bail!("another `newsroom seed` is running on this database; wait for it to finish");
    }
    let mut conn = state.db.acquire().await?;
    let outcome = seed(&mut conn, articles, now, progress).await;
    let _ = holder.rollback().await;
    outcome
}

async fn seed(
    conn: &mut PgConnection,
    total: u64,
    now: DateTime<Utc>,
    show: bool,
) -> anyhow::Result<Outcome> {
    // Each batch is its own transaction and `seed_state` moves with it, so a crash loses at
    // most the last batches, never the count's agreement with the rows.
    sqlx::query(
        "insert into seed_state (articles, updated_at) values (0, $1) on conflict do nothing",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let before: i64 = sqlx::query_scalar("select articles from seed_state")
        .fetch_one(&mut *conn)
        .await?;
    let before = before as u64;
    if before >= total {
        return Ok(Outcome {
            before,
            after: before,
        });
    }
    let catalogue = Arc::new(catalogue::ensure(conn, now).await?);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let (senders, mut receivers): (Vec<_>, Vec<_>) = (0..workers)
        .map(|_| mpsc::channel::<anyhow::Result<Batch>>(1))
        .unzip();
    let mut threads = Vec::new();
    for (w, tx) in senders.into_iter().enumerate() {
        let catalogue = catalogue.clone();
        threads.push(std::thread::spawn(move || {
            generate(
                w as u64,
                workers as u64,
                before,
                total,
                now,
                &catalogue,
                &tx,
            )
        }));
    }
    let mut progress = Progress::new(show, before, total);
    let mut done = before;
    let mut b = 0;
    while done < total {
        let batch = receivers[b % workers]
            .recv()
            .await
            .context("a generator thread stopped")??;
        let mut tx = conn.begin().await?;
        // Per transaction (`set local`): a session setting would stay behind on a pooled
        // server connection and reach other clients behind PgBouncer in transaction mode.
        sqlx::query("set local synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        batch.write(&mut tx).await?;
        let moved =
            sqlx::query("update seed_state set articles = $2, updated_at = $3 where articles = $1")
                .bind(done as i64)
                .bind((batch.first + batch.count) as i64)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        if moved.rows_affected() != 1 {
            bail!("seed_state changed under this run; nothing of this batch was written");
        }
        tx.commit().await?;
        done = batch.first + batch.count;
        progress.update(done);
        b += 1;
    }
    progress.finish(done);
    drop(receivers);
    for t in threads {
        let _ = t.join();
    }
    let mut tx = conn.begin().await?;
    let entry = audit::Entry {
        actor: &Actor::cli(),
        action: "article.seed",
        entity_type: "article",
        entity_id: None,
        changes: json!({"seeded": {"from": before, "to": done}}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    sqlx::query(
        "analyze articles, article_authors, article_revisions, outbox_events, article_corrections",
    )
    .execute(&mut *conn)
    .await?;
    Ok(Outcome {
        before,
        after: done,
    })
}

/// Worker `w` of `workers` makes batches `w`, `w + workers`, … of the stories `from..total`,
/// in order; the writer takes them round-robin, so they commit in story order.
fn generate(
    w: u64,
    workers: u64,
    from: u64,
    total: u64,
    now: DateTime<Utc>,
    catalogue: &Catalogue,
    out: &mpsc::Sender<anyhow::Result<Batch>>,
) {
    let mut b = w;
    loop {
        let first = from + b * BATCH;
        if first >= total {
            return;
        }
        let mut batch = Batch::new(first);
        let mut made = Ok(());
        for n in first..(first + BATCH).min(total) {
            let story = content::story(n, total, catalogue, now);
            if let Err(err) = batch.push(&story) {
                made = Err(err);
                break;
            }
        }
        let message = made.map(|()| batch).context("serialising a revision");
        // The writer hung up (it failed): stop.
        if out.blocking_send(message).is_err() {
            return;
        }
        b += workers;
    }
}
