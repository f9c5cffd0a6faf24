//! Connection pools and migrations. With no `DATABASE_URL` the server runs on an embedded
//! PostgreSQL cluster of its own (see [`embedded`]).

pub mod embedded;
pub mod read_db;
pub mod read_pools;

use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::metrics::{pool_waits, Pool};

/// The migrations in `migrations/`, embedded in the binary at build time. sqlx's own lock is
/// off: [`migrate`] takes a transaction-scoped one instead.
pub static MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.set_locking(false);
    migrator
});

/// The advisory lock that one migrating instance holds (any number, unique to newsroom).
const MIGRATION_LOCK: i64 = 0x6e65_7773_726f_6f6d;

/// A pool that connects on first use and gives up on a connection after 5 s, so a database
/// outage turns into quick 503s rather than piled-up requests. Connections are not pinged
/// before each use (sqlx's default): that doubled the round trips of every query (measured
/// by the syndication benchmark, `bench/results/2026-11-29-syndication.md`). A connection
/// that died with its server fails one query with a 503 and is dropped; idle connections are
/// recycled after 10 minutes anyway. sqlx still tests each connection on its way back to the
/// pool; the workers' read pools avoid that by keeping theirs between statements
/// (`read_db`).
///
/// `setting` names where `url` came from, for the error message; `DATABASE_READ_URL` makes
/// the read pool, anything else the primary (each reports its checkout waits under its own
/// label: see `metrics::pool_waits`).
pub fn pool(setting: &str, url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options: PgConnectOptions = url
        .parse()
        .with_context(|| format!("{setting} is not a valid PostgreSQL URL"))?;
    let which = if setting == "DATABASE_READ_URL" {
        Pool::Read
    } else {
        Pool::Primary
    };
    let (every_checkout, slow_checkout) = pool_waits::levels(which);
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_time_level(every_checkout)
        .acquire_slow_level(slow_checkout)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .connect_lazy_with(options.application_name("newsroom")))
}

/// Tables whose rows other rows refer to by id.
#[derive(Clone, Copy, Debug)]
pub enum Table {
    Outlets,
    Sections,
    Authors,
    Users,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Outlets => "outlets",
            Table::Sections => "sections",
            Table::Authors => "authors",
            Table::Users => "users",
        }
    }
}

/// Whether every id in `ids` names a row of `table` (a repeated id is counted once): the one
/// check of references that services make before they save.
pub async fn all_exist(
    db: impl sqlx::PgExecutor<'_>,
    table: Table,
    ids: &[uuid::Uuid],
) -> sqlx::Result<bool> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let found: i64 = sqlx::query_scalar(&format!(
        "select count(*) from {} where id = any($1)",
        table.name()
    ))
    .bind(&unique)
    .fetch_one(db)
    .await?;
    Ok(found == unique.len() as i64)
}

/// Applies pending migrations (idempotent; safe when several instances start at once). All
/// of them run in one transaction that holds a transaction-scoped advisory lock: sqlx's own
/// lock is session-scoped, and behind PgBouncer in transaction mode its lock and unlock can
/// reach different server connections, leaving the lock held for good.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await.context("connecting to migrate")?;
    sqlx::query("select pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .context("waiting for another instance's migrations")?;
    MIGRATOR
        .run_direct(&mut *tx)
        .await
        .context("applying database migrations")?;
    tx.commit().await.context("committing the migrations")
}

/// Runs `change` in one transaction: committed when it succeeds, rolled back (dropped) when
/// it fails, so a refused change leaves nothing behind.
pub async fn transaction<T>(
    pool: &PgPool,
    change: impl AsyncFnOnce(&mut sqlx::PgTransaction<'static>) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    let mut tx = pool.begin().await?;
    let done = change(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}
