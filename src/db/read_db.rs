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
//! Rows are read whole before the first is handed on: every read here is bounded (a page of
//! at most 100 stories, a sitemap page), and none streams.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgQueryResult, PgRow, PgStatement, PgTypeInfo};
use sqlx::{Describe, Either, Execute, Executor, PgPool, Postgres};

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

/// The kept connections. A connection given back to its pool is tested by a task of the
/// runtime it is dropped on; dropped where there is none (the last clone of a worker's state
/// may go after its runtime), they are let go of instead: detached from the pool and closed.
#[derive(Default)]
struct KeptList(Vec<Kept>);

impl Drop for KeptList {
    fn drop(&mut self) {
        if tokio::runtime::Handle::try_current().is_err() {
            for kept in self.0.drain(..) {
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
        self.lock().0.len()
    }

    /// Gives every kept connection back to the pool (before the pool is closed, which waits
    /// for all of its connections).
    pub fn give_back_all(&self) {
        let kept = std::mem::take(&mut self.lock().0);
        drop(kept);
    }

    fn lock(&self) -> MutexGuard<'_, KeptList> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The newest kept connection not kept too long (the older ones go back to the pool),
    /// or one out of the pool.
    async fn take(&self) -> sqlx::Result<Kept> {
        let found = {
            let mut kept = self.lock();
            let found = kept.0.pop();
            kept.0.retain(|k| k.since.elapsed() < self.keep_for);
            found.filter(|k| k.since.elapsed() < self.keep_for)
        };
        match found {
            Some(kept) => Ok(kept),
            None => Ok(Kept {
                conn: self.pool.acquire().await?,
                since: Instant::now(),
            }),
        }
    }

    /// Keeps `conn` after a statement that succeeded, if there is room and the pool is open
    /// (closing it waits for every connection); otherwise it goes back to the pool.
    fn keep_after_success(&self, conn: Kept) {
        let mut kept = self.lock();
        if kept.0.len() < self.keep && !self.pool.is_closed() {
            kept.0.push(conn);
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
