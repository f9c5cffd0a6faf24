//! How long requests and jobs wait for a pooled database connection. sqlx times every checkout
//! itself and reports it as a tracing event (target `sqlx::pool::acquire`, field
//! `aquired_after_secs`, sic) at the level its pool was built with. `db::pool` gives the
//! primary pool DEBUG (and WARN for a checkout slower than 2 s, sqlx's own warning) and the read
//! pool TRACE: the event carries nothing else that tells the pools apart. This layer turns the
//! events into one histogram per pool, shared by the whole process like the pools' sizes.

use std::sync::LazyLock;

use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer};

use super::labels::{Pool, PoolLabels};

/// The target of sqlx's checkout events.
const TARGET: &str = "sqlx::pool::acquire";
/// From 100 µs (an idle connection) to the pool's 5 s timeout.
const BUCKETS: [f64; 11] = [
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0,
];

/// `newsroom_db_pool_acquire_duration_seconds`, registered in every `Metrics` registry.
pub static ACQUIRE: LazyLock<Family<PoolLabels, Histogram>> =
    LazyLock::new(|| Family::new_with_constructor(|| Histogram::new(BUCKETS)));

/// Counts one checkout of `pool` that waited `secs` (sqlx's events, and `db::read_db`'s
/// waits in line, which sqlx does not see).
pub fn observe(pool: Pool, secs: f64) {
    ACQUIRE.get_or_create(&pool.labels()).observe(secs);
}

/// The levels `db::pool` sets on each pool's checkout events: (every checkout, slow ones).
pub fn levels(pool: Pool) -> (log::LevelFilter, log::LevelFilter) {
    match pool {
        Pool::Primary => (log::LevelFilter::Debug, log::LevelFilter::Warn),
        // TRACE for every checkout; a slow one is not logged apart (it would come at a level
        // the primary uses), the histogram shows it.
        Pool::Read => (log::LevelFilter::Trace, log::LevelFilter::Off),
    }
}

/// The layer, with its filter: it sees sqlx's checkout events and nothing else.
pub fn layer<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    PoolWaits.with_filter(Targets::new().with_target(TARGET, Level::TRACE))
}

struct PoolWaits;

impl<S: Subscriber> Layer<S> for PoolWaits {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != TARGET {
            return;
        }
        let pool = if *event.metadata().level() == Level::TRACE {
            Pool::Read
        } else {
            Pool::Primary
        };
        let mut waited = Waited(None);
        event.record(&mut waited);
        if let Some(secs) = waited.0 {
            observe(pool, secs);
        }
    }
}

struct Waited(Option<f64>);

impl Visit for Waited {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "aquired_after_secs" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}
