//! Gauges read at scrape time: the connection pools (from the pools themselves, free) and the
//! backlogs that live in the database (due scheduled articles and embargoes, events not yet
//! fanned out, pending and retrying webhooks, paused partners, queued emails, the change
//! feed's lag). The database part is bounded: a few index-only counts in one transaction with
//! a 1 s statement timeout, at most one read per [`FRESH_FOR`] however many scrapers ask, and
//! the scrape gives up waiting after [`WAIT`]. When the read fails, those gauges are left out
//! of the scrape (an absent series, not a stale one) and `newsroom_metrics_database_up` is 0.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Registry, Unit};
use sqlx::PgPool;
use std::sync::atomic::AtomicU64;

use super::labels::{self, EmailQueueLabels, KindLabels, NoLabels, Pool, PoolLabels, StateLabels};
use super::store::{self, Backlog};
use crate::db::read_pools::Counts;
use crate::state::AppState;

/// How long one read of the database gauges serves scrapes.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// How long a scrape waits for the database (the pool's checkout included).
const WAIT: Duration = Duration::from_secs(2);

type FloatGauge = Gauge<f64, AtomicU64>;

#[derive(Debug, Default)]
pub struct DatabaseGauges {
    pool_size: Family<PoolLabels, Gauge>,
    pool_max: Family<PoolLabels, Gauge>,
    pool_in_use: Family<PoolLabels, Gauge>,
    pool_idle: Family<PoolLabels, Gauge>,
    scheduler_due: Family<KindLabels, Gauge>,
    scheduler_oldest_due: Family<NoLabels, FloatGauge>,
    events_pending: Family<NoLabels, Gauge>,
    webhook_deliveries: Family<StateLabels, Gauge>,
    partners_paused: Family<NoLabels, Gauge>,
    email_outbox: Family<EmailQueueLabels, Gauge>,
    email_oldest_due: Family<NoLabels, FloatGauge>,
    feed_lag: Family<NoLabels, FloatGauge>,
    up: Gauge,
    read_seconds: FloatGauge,
    /// When the database was last read; the lock also makes concurrent scrapes share a read.
    last_read: tokio::sync::Mutex<Option<Instant>>,
}

impl DatabaseGauges {
    pub fn new(registry: &mut Registry) -> DatabaseGauges {
        let g = DatabaseGauges::default();
        let pools = [
            (
                "newsroom_db_pool_size",
                "Open connections of the pool",
                &g.pool_size,
            ),
            (
                "newsroom_db_pool_max",
                "Most connections the pool may open",
                &g.pool_max,
            ),
            (
                "newsroom_db_pool_in_use",
                "Connections checked out now",
                &g.pool_in_use,
            ),
            (
                "newsroom_db_pool_idle",
                "Open connections waiting in the pool",
                &g.pool_idle,
            ),
        ];
        for (name, help, family) in pools {
            registry.register(name, help, family.clone());
        }
        registry.register(
            "newsroom_scheduler_due",
            "Due work the scheduler has not done yet: kind=scheduled (articles past scheduled_at), kind=embargo (embargoes lifted but not announced)",
            g.scheduler_due.clone(),
        );
        registry.register_with_unit(
            "newsroom_scheduler_oldest_due",
            "Age of the oldest scheduled article that is due but not published (0 when none)",
            Unit::Seconds,
            g.scheduler_oldest_due.clone(),
        );
        registry.register(
            "newsroom_outbox_events_pending",
            "Article events not yet fanned out into webhook deliveries",
            g.events_pending.clone(),
        );
        registry.register(
            "newsroom_webhook_deliveries",
            "Webhook deliveries waiting: state=pending (never attempted), state=retrying (failed before)",
            g.webhook_deliveries.clone(),
        );
        registry.register(
            "newsroom_webhook_paused_partners",
            "Active partners whose webhooks are paused after consecutive failures",
            g.partners_paused.clone(),
        );
        registry.register(
            "newsroom_email_outbox",
            "Emails by kind and status: pending (queued or waiting to retry), sending",
            g.email_outbox.clone(),
        );
        registry.register_with_unit(
            "newsroom_email_outbox_oldest_due",
            "How long the oldest due email has waited past its send time (0 when none)",
            Unit::Seconds,
            g.email_oldest_due.clone(),
        );
        registry.register_with_unit(
            "newsroom_change_feed_lag",
            "Age of the oldest committed event the change feed cannot hand out yet (replica lag, long transactions); 0 when none",
            Unit::Seconds,
            g.feed_lag.clone(),
        );
        registry.register(
            "newsroom_metrics_database_up",
            "1 when the last read of the database gauges succeeded",
            g.up.clone(),
        );
        registry.register_with_unit(
            "newsroom_metrics_database_read",
            "How long the last read of the database gauges took",
            Unit::Seconds,
            g.read_seconds.clone(),
        );
        g
    }

    /// Brings every gauge up to date for a scrape.
    pub async fn refresh(&self, state: &AppState) {
        self.set_pool(Pool::Primary, Counts::of(&state.db));
        // The workers' read pools (`db::read_pools`), on the replica or on the primary.
        self.set_pool(Pool::Read, state.read_pools.counts());
        let mut last_read = self.last_read.lock().await;
        if last_read.is_some_and(|at| at.elapsed() < FRESH_FOR) {
            return;
        }
        let started = Instant::now();
        let now = state.clock.now();
        match tokio::time::timeout(WAIT, read(state, now)).await {
            Ok(Ok(read)) => {
                self.set(&read, now);
                self.up.set(1);
            }
            failed => {
                let error = match failed {
                    Ok(Err(err)) => format!("{err:#}"),
                    _ => format!("no answer within {} s", WAIT.as_secs()),
                };
                tracing::warn!(
                    error,
                    "reading the database gauges failed; left out of this scrape"
                );
                self.clear();
                self.up.set(0);
            }
        }
        self.read_seconds.set(started.elapsed().as_secs_f64());
        *last_read = Some(Instant::now());
    }

    /// The next scrape reads the database again, however recent the last read.
    pub async fn expire(&self) {
        *self.last_read.lock().await = None;
    }

    fn set_pool(&self, pool: Pool, counts: Counts) {
        let labels = pool.labels();
        let size = i64::from(counts.size);
        let idle = i64::try_from(counts.idle).unwrap_or(i64::MAX);
        self.pool_size.get_or_create(&labels).set(size);
        self.pool_idle.get_or_create(&labels).set(idle);
        self.pool_in_use
            .get_or_create(&labels)
            .set((size - idle).max(0));
        self.pool_max
            .get_or_create(&labels)
            .set(i64::from(counts.max));
    }

    fn set(&self, read: &Read, now: DateTime<Utc>) {
        let b = &read.backlog;
        let age = |at: Option<DateTime<Utc>>| {
            at.map_or(0.0, |at| {
                (now - at).num_milliseconds().max(0) as f64 / 1000.0
            })
        };
        let due = |kind| KindLabels { kind };
        self.scheduler_due
            .get_or_create(&due("scheduled"))
            .set(b.scheduled_due);
        self.scheduler_due
            .get_or_create(&due("embargo"))
            .set(b.embargoes_due);
        self.scheduler_oldest_due
            .get_or_create(&NoLabels {})
            .set(age(b.oldest_scheduled));
        self.events_pending
            .get_or_create(&NoLabels {})
            .set(b.events_pending);
        let state = |state| StateLabels { state };
        self.webhook_deliveries
            .get_or_create(&state("pending"))
            .set(b.webhooks_pending);
        self.webhook_deliveries
            .get_or_create(&state("retrying"))
            .set(b.webhooks_retrying);
        self.partners_paused
            .get_or_create(&NoLabels {})
            .set(b.partners_paused);
        self.email_oldest_due
            .get_or_create(&NoLabels {})
            .set(age(b.email_oldest_due));
        self.feed_lag
            .get_or_create(&NoLabels {})
            .set(age(read.feed_waiting_since));
        // Every kind newsroom sends shows, at 0 when nothing is queued.
        self.email_outbox.clear();
        for kind in ["confirm", "newsletter"] {
            for status in ["pending", "sending"] {
                self.email_outbox
                    .get_or_create(&EmailQueueLabels { kind, status })
                    .set(0);
            }
        }
        for (kind, status, count) in &read.emails {
            let status = if status == "sending" {
                "sending"
            } else {
                "pending"
            };
            let kind = labels::email_kind(kind);
            self.email_outbox
                .get_or_create(&EmailQueueLabels { kind, status })
                .inc_by(*count);
        }
    }

    fn clear(&self) {
        self.scheduler_due.clear();
        self.scheduler_oldest_due.clear();
        self.events_pending.clear();
        self.webhook_deliveries.clear();
        self.partners_paused.clear();
        self.email_outbox.clear();
        self.email_oldest_due.clear();
        self.feed_lag.clear();
    }
}

/// One read of everything the database gauges show.
struct Read {
    backlog: Backlog,
    emails: Vec<(String, String, i64)>,
    /// When the oldest event partners are waiting for happened.
    feed_waiting_since: Option<DateTime<Utc>>,
}

async fn read(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<Read> {
    // The feed's horizon first, where the feed reads; then everything else on the primary,
    // where an event past the horizon is already visible.
    let mut feed = bounded(state.read_db.pool()).await?;
    let horizon = store::feed_horizon(&mut *feed).await?;
    feed.commit().await?;
    let mut tx = bounded(&state.db).await?;
    let backlog = store::backlog(&mut *tx, now).await?;
    let emails = store::email_queue(&mut *tx).await?;
    let feed_waiting_since =
        store::first_event_after(&mut *tx, horizon.unwrap_or((0, uuid::Uuid::nil()))).await?;
    tx.commit().await?;
    Ok(Read {
        backlog,
        emails,
        feed_waiting_since,
    })
}

/// A transaction whose statements give up after a second, so a scrape never leaves a slow
/// query running on the server.
async fn bounded(db: &PgPool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = db.begin().await?;
    sqlx::query("set local statement_timeout = 1000")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}
