//! The read pool of each worker thread. actix-web runs each worker on a single-threaded
//! runtime of its own, and a connection's socket stays with the runtime that opened it. A
//! worker that uses a connection another worker opened learns of its answer only when that
//! worker next turns to its I/O: a wake-up across threads on every query, and a wait behind
//! whatever the other worker is busy with. So the reads the public and the partner APIs make,
//! the busiest, go through a pool of the worker they run on ([`ReadPools::for_this_worker`],
//! called by `AppState::for_worker` as each worker builds its application), and their
//! queries never leave that thread. The pools together hold as many connections as the one
//! they are made from (`NEWSROOM_DB_MAX_CONNECTIONS`, divided between the workers, at least
//! one each). The primary pool stays one for the process: writes are rarer, and the
//! background loops share it. A worker's pool keeps its connections between statements
//! (`db::read_db`).

use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};

use sqlx::PgPool;

use super::read_db::{ReadDb, KEEP_FOR};
use crate::metrics::{pool_waits, Pool};

/// How many worker threads the HTTP server runs: one per core the process may use (actix-web's
/// own default, set explicitly so that the read pools are sized for it).
pub fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(2, NonZeroUsize::get)
}

/// The read pools of one instance, made from one pool's settings.
pub struct ReadPools {
    template: PgPool,
    per_worker: u32,
    made: Mutex<Vec<ReadDb>>,
}

/// The connections of a pool, or of the read pools together, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub size: u32,
    pub idle: usize,
    pub max: u32,
}

impl Counts {
    /// The connections of `pool`.
    pub fn of(pool: &PgPool) -> Counts {
        Counts {
            size: pool.size(),
            idle: pool.num_idle(),
            max: pool.options().get_max_connections(),
        }
    }

    /// The connections of `db`'s pool, those it keeps between statements counted as idle.
    pub fn of_read(db: &ReadDb) -> Counts {
        let pool = Counts::of(db.pool());
        Counts {
            idle: pool.idle + db.kept_now(),
            ..pool
        }
    }
}

impl std::iter::Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(counts: I) -> Counts {
        counts.fold(Counts::default(), |a, b| Counts {
            size: a.size + b.size,
            idle: a.idle + b.idle,
            max: a.max + b.max,
        })
    }
}

impl ReadPools {
    /// Pools like `template`, its connections shared between `workers` workers.
    pub fn new(template: PgPool, workers: usize) -> ReadPools {
        let max = template.options().get_max_connections();
        let workers = u32::try_from(workers.max(1)).unwrap_or(u32::MAX);
        ReadPools {
            per_worker: max.div_ceil(workers).max(1),
            template,
            made: Mutex::default(),
        }
    }

    /// A new pool for the calling worker, connecting on first use (so on its runtime) and
    /// keeping its connections between statements. Its checkout waits count under the `read`
    /// pool's label, whichever database it reads.
    pub fn for_this_worker(&self) -> ReadDb {
        let (every_checkout, slow_checkout) = pool_waits::levels(Pool::Read);
        let pool = self
            .template
            .options()
            .clone()
            .max_connections(self.per_worker)
            .acquire_time_level(every_checkout)
            .acquire_slow_level(slow_checkout)
            .connect_lazy_with((*self.template.connect_options()).clone());
        let db = ReadDb::keeping(pool, KEEP_FOR);
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(db.clone());
        db
    }

    /// The connections of every pool made so far (of the template when none was).
    pub fn counts(&self) -> Counts {
        let made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        if made.is_empty() {
            return Counts::of(&self.template);
        }
        made.iter().map(Counts::of_read).sum()
    }

    /// Closes every pool made (giving back the connections it keeps first), and the template.
    pub async fn close(&self) {
        let made: Vec<ReadDb> = self
            .made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for db in made {
            db.give_back_all();
            db.pool().close().await;
        }
        self.template.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(max: u32) -> PgPool {
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(max)
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .unwrap()
    }

    #[tokio::test]
    async fn the_workers_share_the_connections_of_the_template() {
        let pools = ReadPools::new(template(10), 4);
        let a = pools.for_this_worker();
        let b = pools.for_this_worker();
        assert_eq!(a.pool().options().get_max_connections(), 3);
        assert_eq!(b.pool().options().get_max_connections(), 3);
        assert_eq!(
            pools.counts(),
            Counts {
                size: 0,
                idle: 0,
                max: 6
            }
        );
    }

    #[tokio::test]
    async fn each_worker_gets_at_least_one_connection() {
        let pools = ReadPools::new(template(1), 8);
        assert_eq!(
            pools
                .for_this_worker()
                .pool()
                .options()
                .get_max_connections(),
            1
        );
    }

    #[tokio::test]
    async fn before_any_worker_the_counts_are_the_template_s() {
        let pools = ReadPools::new(template(7), 2);
        assert_eq!(pools.counts().max, 7);
    }
}
