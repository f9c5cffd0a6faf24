//! Prometheus metrics, served as OpenMetrics (or Prometheus) text on a listener of their own
//! (`NEWSROOM_METRICS_ADDR`, never the public port). Each `AppState` has its own registry
//! (`prometheus-client`: no global recorder, so test apps running side by side never see each
//! other's series); only what is one per process anyway (the pools' checkout waits, `/proc`)
//! is shared. The families and their meaning: docs/operations.md#metrics.
//!
//! - `http.rs`: the request middleware (route pattern, method, status class, latency);
//! - `work.rs`: what the workers and handlers count (hooks called as `state.metrics.work.…`);
//! - `database.rs` (+ `store.rs`): pools and backlogs read at scrape time, bounded and cached;
//! - `pool_waits.rs`: checkout waits, from sqlx's own tracing events;
//! - `process.rs`: `process_*` and `newsroom_build_info`;
//! - `server.rs`: the listener.

mod database;
pub mod http;
pub mod labels;
pub mod pool_waits;
pub mod process;
pub mod server;
mod store;
mod work;

use prometheus_client::encoding::text;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

pub use labels::Pool;
pub use work::{Attempt, Email, Limit, Work};

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub http: http::HttpMetrics,
    pub work: Work,
    database: database::DatabaseGauges,
}

/// The content types a scrape can be answered in.
pub const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let http = http::HttpMetrics::new(&mut registry);
        let work = Work::new(&mut registry);
        let database = database::DatabaseGauges::new(&mut registry);
        registry.register_with_unit(
            "newsroom_db_pool_acquire_duration",
            "How long a connection checkout waited, per pool (whole process)",
            Unit::Seconds,
            pool_waits::ACQUIRE.clone(),
        );
        registry.register(
            "newsroom_build",
            "The running build: version and git commit",
            Info::new(process::build_labels()),
        );
        registry.register_collector(Box::new(process::ProcessCollector::default()));
        Metrics {
            registry,
            http,
            work,
            database,
        }
    }

    /// Every family as OpenMetrics text, or Prometheus text 0.0.4 when `openmetrics` is false
    /// (`server.rs` first brings the gauges read at scrape time up to date).
    fn encode(&self, openmetrics: bool) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let written = if openmetrics {
            text::encode(&mut out, &self.registry)
        } else {
            prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
        };
        // Writing into a String cannot fail; a label value that could not be written would
        // have cut the text short, which Prometheus reports as a failed scrape.
        if let Err(err) = written {
            tracing::error!(error = %err, "encoding the metrics failed");
        }
        out
    }

    /// The next scrape reads the database gauges again, however recent the last read (they
    /// are cached for a few seconds).
    pub async fn expire_database_gauges(&self) {
        self.database.expire().await;
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
