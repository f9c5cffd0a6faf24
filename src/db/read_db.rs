//! A worker's read pool that keeps its connections between statements (issue #19).
//!
//! Why: sqlx tests every connection it takes back into a pool (`ping`: a Sync message and a
//! wait for PostgreSQL's ReadyForQuery). That is a second round trip after every statement
//! run on a pool, with a wake-up of the server process and of ours each way; for one story of
//! the public API (one statement) it was half the messages. A statement run here takes a kept
//! connection (or checks one out of the pool when none is kept) and, when it succeeds, keeps
//! it for the next statement instead of giving it back. One story of the public API read from
//! 20,000 in turn (`bench/run-peers`'s b) went from 0.43–0.60× its raw ceiling to 0.74×
//! (docs/scaling.md, item 10).
//!
//! What the test on release was for, and where it went:
//! - **Leftover answers** of a statement whose caller stopped reading: sqlx drains them before
//!   the next statement on the connection (`wait_until_ready`), kept or not.
//! - **A connection that died** (PostgreSQL restarted): its next statement fails. A connection
//!   whose statement failed, or whose caller went away mid-statement (a client that hung up),
//!   is never kept: it goes back to the pool, which tests it and closes it if it is dead. So,
//!   as before, a dead connection fails one request with a 503 and is dropped.
//! - **Lifetime and idleness:** a connection is kept at most [`KEEP_FOR`] (from when it left
//!   the pool), then goes back to the pool, which closes it past its lifetime and counts its
//!   idle time from there.
//!
//! At most `keep` connections are kept: one fewer than the pool holds, so that a read that
//! needs a connection of its own (a transaction, the readiness probe) never waits for
//! connections kept idle, only, at worst, for a statement to end.
//! Every read statement of the public and partner APIs goes through here; a read pool whose
//! `keep` is 0 ([`ReadDb::plain`]) is a plain pool.
//!
//! **First come, first served.** When every connection is busy, a statement waits in line
//! ([`Line`]), and a connection whose statement ends goes to the first in line, before it
//! could be kept. Kept connections bypassed the pool's own fair queue: a statement that found
//! none kept waited in the pool for one given back, while the connections that ended were
//! kept and taken by statements that came later. At saturation that starved the early ones:
//! b's p99 under wrk was 37–179 ms, 7–9 ms with the line (A/B runs of 2026-12-07, night;
//! `bench/results/2026-12-07-read-line-ab.md`).
//!
//! Rows are read whole before the first is handed on: every read here is bounded (a page of
//! at most 100 stories, a sitemap page), and none streams.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::{self, BoxFuture, Either as Raced};
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgQueryResult, PgRow, PgStatement, PgTypeInfo};
use sqlx::{Describe, Either, Execute, Executor, PgPool, Postgres};
use tokio::sync::oneshot;

use crate::metrics::{pool_waits, Pool};

/// How long a connection is kept before it goes back to its pool.
pub const KEEP_FOR: Duration = Duration::from_secs(60);

/// A pool and the connections kept out of it between statements. Clones share both.
#[derive(Clone)]
pub struct ReadDb {
    pool: PgPool,
    kept: Arc<Mutex<KeptList>>,
    keep: usize,
    keep_for: Duration,
}

/// A connection kept, and since when it is out of the pool.
struct Kept {
    conn: PoolConnection<Postgres>,
    since: Instant,
}

/// The kept connections, newest last, and the statements waiting in line for one. A
/// connection given back to its pool is tested by a task of the runtime it is dropped on;
/// dropped where there is none (the last clone of a worker's state may go after its
/// runtime), they are let go of instead: detached from the pool and closed.
#[derive(Default)]
struct KeptList {
    kept: Vec<Kept>,
    line: Line,
}

/// The statements that found no connection kept, in the order they came. Each also waits
/// in the pool (for a connection given back, or a new one), whichever comes first.
#[derive(Default)]
struct Line(std::collections::VecDeque<oneshot::Sender<Kept>>);

impl Line {
    fn join(&mut self) -> oneshot::Receiver<Kept> {
        // Those that left the line (served by the pool, or gone with their request).
        self.0.retain(|waiting| !waiting.is_closed());
        let (place, turn) = oneshot::channel();
        self.0.push_back(place);
        turn
    }

    /// Hands `conn` to the first still in line, or gives it back when nobody is.
    fn serve(&mut self, mut conn: Kept) -> Option<Kept> {
        while let Some(first) = self.0.pop_front() {
            match first.send(conn) {
                Ok(()) => return None,
                Err(back) => conn = back,
            }
        }
        Some(conn)
    }
}

impl Drop for KeptList {
    fn drop(&mut self) {
        if tokio::runtime::Handle::try_current().is_err() {
            for kept in self.kept.drain(..) {
                drop(kept.conn.detach());
            }
        }
    }
}

impl fmt::Debug for ReadDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadDb")
            .field("kept", &self.kept_now())
            .field("keep", &self.keep)
            .finish_non_exhaustive()
    }
}

impl ReadDb {
    /// `pool`, keeping one connection fewer than it holds between statements, each for
    /// `keep_for` at most ([`KEEP_FOR`] in the server).
    pub fn keeping(pool: PgPool, keep_for: Duration) -> ReadDb {
        let max = pool.options().get_max_connections();
        let keep = usize::try_from(max.saturating_sub(1)).unwrap_or(0);
        ReadDb::new(pool, keep, keep_for)
    }

    /// `pool` as it is: every statement checks a connection out and gives it back.
    pub fn plain(pool: PgPool) -> ReadDb {
        ReadDb::new(pool, 0, Duration::ZERO)
    }

    fn new(pool: PgPool, keep: usize, keep_for: Duration) -> ReadDb {
        ReadDb {
            pool,
            kept: Arc::default(),
            keep,
            keep_for,
        }
    }

    /// The pool, for what needs a connection of its own (a transaction).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// How many connections are kept right now (idle, for the metrics).
    pub fn kept_now(&self) -> usize {
        self.lock().kept.len()
    }

    /// Gives every kept connection back to the pool (before the pool is closed, which waits
    /// for all of its connections).
    pub fn give_back_all(&self) {
        let kept = std::mem::take(&mut self.lock().kept);
        drop(kept);
    }

    fn lock(&self) -> MutexGuard<'_, KeptList> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether every connection the pool may hold is out of it (kept, or in a statement):
    /// a statement then waits in line. Otherwise the pool has one or may open one, and that
    /// is not raced: a connection handed on would win against the opening of a new one
    /// every time (a fraction of a millisecond against several), so a worker's pool never
    /// grew past what it opened in its first moments (half the rate of b at saturation, in
    /// two runs of four).
    fn pool_is_busy(&self) -> bool {
        self.keep > 0
            && self.pool.num_idle() == 0
            && self.pool.size() >= self.pool.options().get_max_connections()
    }

    /// The newest kept connection not kept too long (the older ones go back to the pool);
    /// with none, one out of the pool, or, when every connection is out, the first of: one
    /// handed on in line, one given back to the pool.
    async fn take(&self) -> sqlx::Result<Kept> {
        let turn = {
            let mut list = self.lock();
            let found = list.kept.pop();
            list.kept.retain(|k| k.since.elapsed() < self.keep_for);
            match found.filter(|k| k.since.elapsed() < self.keep_for) {
                Some(kept) => return Ok(kept),
                None if self.pool_is_busy() => Some(list.line.join()),
                None => None,
            }
        };
        let pooled = std::pin::pin!(self.pool.acquire());
        let Some(turn) = turn else {
            return Ok(Kept::new(pooled.await?));
        };
        let waiting = Instant::now();
        match future::select(turn, pooled).await {
            Raced::Left((Ok(handed), _)) => {
                // The pool times its own checkouts; a wait in line counts with them (only the
                // workers' read pools keep connections, so only they have a line).
                pool_waits::observe(Pool::Read, waiting.elapsed().as_secs_f64());
                Ok(handed)
            }
            // Its place was dropped unserved (not done while we wait): the pool's, then.
            Raced::Left((Err(_), pooled)) => Ok(Kept::new(pooled.await?)),
            Raced::Right((pooled, mut turn)) => {
                // One handed on meanwhile goes to the next in line (or is kept).
                turn.close();
                if let Ok(handed) = turn.try_recv() {
                    self.keep_after_success(handed);
                }
                Ok(Kept::new(pooled?))
            }
        }
    }

    /// After a statement that succeeded: `conn` goes to the first statement in line, or is
    /// kept if there is room and the pool is open (closing it waits for every connection);
    /// otherwise it goes back to the pool. One kept too long is handed to nobody (`take`
    /// gives it back).
    fn keep_after_success(&self, conn: Kept) {
        let open = !self.pool.is_closed();
        let back = {
            let mut list = self.lock();
            let left = if open && conn.since.elapsed() < self.keep_for {
                list.line.serve(conn)
            } else {
                Some(conn)
            };
            match left {
                Some(conn) if open && list.kept.len() < self.keep => {
                    list.kept.push(conn);
                    None
                }
                left => left,
            }
        };
        // Given back once the lock is let go.
        drop(back);
    }
}

impl Kept {
    fn new(conn: PoolConnection<Postgres>) -> Kept {
        Kept {
            conn,
            since: Instant::now(),
        }
    }
}

impl<'c> Executor<'c> for &'c ReadDb {
    type Database = Postgres;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<PgQueryResult, PgRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Postgres>,
    {
        let all = async move {
            let mut conn = self.take().await?;
            let steps: Vec<_> = conn.conn.fetch_many(query).try_collect().await?;
            self.keep_after_success(conn);
            Ok::<_, sqlx::Error>(stream::iter(steps.into_iter().map(Ok)))
        };
        stream::once(all).try_flatten().boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<PgRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Postgres>,
    {
        Box::pin(async move {
            let mut conn = self.take().await?;
            let row = conn.conn.fetch_optional(query).await?;
            self.keep_after_success(conn);
            Ok(row)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [PgTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<PgStatement<'q>>>
    where
        'c: 'e,
    {
        self.pool.prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<Postgres>>>
    where
        'c: 'e,
    {
        self.pool.describe(sql)
    }
}
