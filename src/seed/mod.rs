//! `newsroom seed --articles N [--subscribers M]`: bulk synthetic stories (and subscribers,
//! `subscribers.rs`) for benchmarks and demos, written with
//! `COPY` in batches (one transaction each) by several writer connections at once, while
//! worker threads make the next batches.
//!
//! Story `n` is always the same text (see `content.rs`); `seed_batches` holds one row per
//! committed batch (in the batch's own transaction), so a run writes only the numbers below
//! `N` that no batch holds: a second run with the same `N` does nothing, a run that stopped
//! half-way fills its gaps, and the count reported is the rows' sum. An advisory lock turns a
//! concurrent run away.

mod catalogue;
pub mod command;
mod content;
mod copy;
mod fate;
mod history;
mod languages;
mod plan;
mod progress;
mod prose;
mod records;
pub mod subscribers;
mod words;

pub use fate::EmbargoShare;
pub use progress::grouped;
pub use prose::{MAX_BODY, MIN_BODY};

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{Connection, PgConnection};
use tokio::sync::{mpsc, Mutex};

use crate::audit::{self, Actor};
use crate::state::AppState;
use content::Catalogue;
use copy::Batch;
use plan::Span;
use progress::Progress;

/// Stories per transaction (about 18 MB of COPY data).
const BATCH: u64 = 1000;
/// Connections writing batches at once: PostgreSQL's work per story (search columns, GIN and
/// B-tree inserts, compression) is done by the backend of the connection that sends it, so one
/// writer keeps one core busy at most.
const WRITERS: usize = 3;
/// The advisory lock a seed run holds ("newsseed"): a second run finds it taken and stops.
pub const ADVISORY_LOCK: i64 = 0x6e65_7773_7365_6564;

/// Seeded stories before and after the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub before: u64,
    pub after: u64,
}

/// Seeds up to `articles` stories (never removes any), `embargoed` of the published ones
/// under embargo; `progress` draws the bar on stderr.
pub async fn run(
    state: &AppState,
    articles: u64,
    embargoed: EmbargoShare,
    progress: bool,
) -> anyhow::Result<Outcome> {
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
    let outcome = seed(state, &mut conn, articles, embargoed, now, progress).await;
    let _ = holder.rollback().await;
    outcome
}

/// The batches committed so far.
async fn written(conn: &mut PgConnection) -> sqlx::Result<Vec<Span>> {
    let rows: Vec<(i64, i32)> = sqlx::query_as("select first_article, articles from seed_batches")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(first, count)| Span {
            first: first as u64,
            count: count as u64,
        })
        .collect())
}

fn sum(spans: &[Span]) -> u64 {
    spans.iter().map(|s| s.count).sum()
}

async fn seed(
    state: &AppState,
    conn: &mut PgConnection,
    total: u64,
    embargoed: EmbargoShare,
    now: DateTime<Utc>,
    show: bool,
) -> anyhow::Result<Outcome> {
    let written_before = written(conn).await?;
    let before = sum(&written_before);
    let todo = plan::missing(&written_before, total, BATCH);
    if todo.is_empty() {
        return Ok(Outcome {
            before,
            after: before,
        });
    }
    let catalogue = Arc::new(catalogue::ensure(conn, now).await?);
    let writers = WRITERS.min(todo.len());
    let mut connections = Vec::with_capacity(writers);
    for _ in 0..writers {
        connections.push(writer(state).await?);
    }

    let todo = Arc::new(todo);
    let next = Arc::new(AtomicUsize::new(0));
    let (sender, receiver) = mpsc::channel::<anyhow::Result<Batch>>(writers);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let threads: Vec<_> = (0..workers)
        .map(|_| {
            let (todo, next, catalogue, out) = (
                todo.clone(),
                next.clone(),
                catalogue.clone(),
                sender.clone(),
            );
            std::thread::spawn(move || {
                generate(&todo, &next, total, embargoed, now, &catalogue, &out)
            })
        })
        .collect();
    drop(sender);

    let receiver = Mutex::new(receiver);
    let done = AtomicU64::new(before);
    let progress = std::sync::Mutex::new(Progress::new(show, before, total));
    let writing = futures_util::future::try_join_all(
        connections
            .iter_mut()
            .map(|c| write(c, &receiver, &done, &progress, now)),
    )
    .await;
    // The generators stop when nobody receives (a writer failed) or when the plan is done.
    drop(receiver);
    for t in threads {
        let _ = t.join();
    }
    for c in connections {
        let _ = c.close().await;
    }
    writing?;
    let after = sum(&written(conn).await?);
    if let Ok(mut p) = progress.lock() {
        p.finish(after);
    }

    let mut tx = conn.begin().await?;
    let entry = audit::Entry {
        actor: &Actor::cli(),
        action: "article.seed",
        entity_type: "article",
        entity_id: None,
        changes: json!({"seeded": {"from": before, "to": after}}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    sqlx::query(
        "analyze articles, article_authors, article_revisions, outbox_events, article_corrections",
    )
    .execute(&mut *conn)
    .await?;
    Ok(Outcome { before, after })
}

/// A writer's own connection (outside the pool, so the pool's size does not limit the
/// writers). Each batch is its own transaction with its `seed_batches` row, so a crash loses
/// at most the batches in flight, never the count's agreement with the rows.
async fn writer(state: &AppState) -> anyhow::Result<PgConnection> {
    Ok(PgConnection::connect_with(&state.db.connect_options()).await?)
}

/// Takes made batches and commits them, one transaction each, until there are no more.
async fn write(
    conn: &mut PgConnection,
    batches: &Mutex<mpsc::Receiver<anyhow::Result<Batch>>>,
    done: &AtomicU64,
    progress: &std::sync::Mutex<Progress>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    loop {
        let received = batches.lock().await.recv().await;
        let Some(batch) = received else {
            return Ok(());
        };
        let batch = batch?;
        let mut tx = conn.begin().await?;
        // Per transaction (`set local`): a session setting would stay behind on a pooled
        // server connection and reach other clients behind PgBouncer in transaction mode.
        sqlx::query("set local synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        batch.write(&mut tx).await?;
        sqlx::query(
            "insert into seed_batches (first_article, articles, written_at) values ($1, $2, $3)",
        )
        .bind(batch.first as i64)
        .bind(batch.count as i32)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let total = done.fetch_add(batch.count, Ordering::Relaxed) + batch.count;
        if let Ok(mut p) = progress.lock() {
            p.update(total);
        }
    }
}

/// A worker thread: makes the batches of `todo` that no other worker has taken, in order.
fn generate(
    todo: &[Span],
    next: &AtomicUsize,
    total: u64,
    embargoed: EmbargoShare,
    now: DateTime<Utc>,
    catalogue: &Catalogue,
    out: &mpsc::Sender<anyhow::Result<Batch>>,
) {
    loop {
        let Some(span) = todo.get(next.fetch_add(1, Ordering::Relaxed)) else {
            return;
        };
        let mut batch = Batch::new(span.first);
        let mut made = Ok(());
        for n in span.first..span.first + span.count {
            let story = content::story(n, total, catalogue, embargoed, now);
            if let Err(err) = batch.push(&story) {
                made = Err(err);
                break;
            }
        }
        let message = made.map(|()| batch).context("serialising a revision");
        // The writers hung up (one failed): stop.
        if out.blocking_send(message).is_err() {
            return;
        }
    }
}
