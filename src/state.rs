//! What every handler can reach: the pools, the clock, the settings, and the per-instance
//! rate limits, usage buffer, story cache, password-hashing budget, metrics, picture store and
//! the reader site's cache.

use std::sync::Arc;

use sqlx::PgPool;

use crate::auth::hashing::Hashing;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::read_db::ReadDb;
use crate::db::read_pools::{worker_threads, ReadPools};
use crate::media::Media;
use crate::metrics::Metrics;
use crate::ratelimit::Limits;
use crate::site::page_cache::SiteCache;
use crate::syndication::{StoryCache, UsageLog};

#[derive(Clone)]
pub struct AppState {
    /// The primary database: every write and every staff read.
    pub db: PgPool,
    /// Where the partner syndication API and the public content API read
    /// (`DATABASE_READ_URL`, a streaming replica); the primary's pool when that is unset.
    /// Never written to: see docs/scaling.md for why a lagging replica is safe there. In a
    /// worker's state ([`AppState::for_worker`]) it is that worker's own pool, which keeps its
    /// connections between statements (`db::read_db`); elsewhere a plain pool.
    pub read_db: ReadDb,
    /// The read pools of the workers, made from `read_db`'s settings (`db::read_pools`).
    pub read_pools: Arc<ReadPools>,
    pub clock: Clock,
    pub config: Arc<Config>,
    /// Request rate limits of this instance.
    pub limits: Arc<Limits>,
    /// Stories fetched by partners, waiting to be written (by the jobs loop).
    pub usage: Arc<UsageLog>,
    /// Rendered syndication stories of this instance (see `syndication::story_cache`).
    pub stories: Arc<StoryCache>,
    /// The CPU budget and slots for argon2 password hashing on this instance.
    pub hashing: Arc<Hashing>,
    /// This instance's metrics (served on `NEWSROOM_METRICS_ADDR`).
    pub metrics: Arc<Metrics>,
    /// The picture store and the drawing slots of this instance.
    pub media: Arc<Media>,
    /// The reader site's rendered pages and catalogue, kept for `config.site_cache`.
    pub site: Arc<SiteCache>,
}

impl AppState {
    pub fn new(db: PgPool, clock: Clock, config: Arc<Config>) -> AppState {
        let metrics = Arc::new(Metrics::new());
        AppState {
            read_db: ReadDb::plain(db.clone()),
            read_pools: Arc::new(ReadPools::new(db.clone(), worker_threads())),
            db,
            clock,
            limits: Arc::new(Limits::new(&config)),
            usage: Arc::new(UsageLog::counting(metrics.work.stories_served.clone())),
            stories: Arc::default(),
            hashing: Arc::new(Hashing::for_this_machine(&config.hashing)),
            metrics,
            media: Arc::new(Media::new(&config)),
            site: Arc::new(SiteCache::new(config.site_cache)),
            config,
        }
    }

    /// The same state reading the syndication and public APIs from `read_db`.
    pub fn with_read_pool(self, read_db: PgPool) -> AppState {
        AppState {
            read_pools: Arc::new(ReadPools::new(read_db.clone(), worker_threads())),
            read_db: ReadDb::plain(read_db),
            ..self
        }
    }

    /// The state a worker thread serves with: the same, reading through a pool of its own
    /// (see `db::read_pools` for why).
    pub fn for_worker(&self) -> AppState {
        AppState {
            read_db: self.read_pools.for_this_worker(),
            ..self.clone()
        }
    }
}
