//! What every handler can reach: the pools, the clock and the settings.

use std::sync::Arc;

use sqlx::PgPool;

use crate::clock::Clock;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    /// The primary database: every write and every staff read.
    pub db: PgPool,
    pub clock: Clock,
    pub config: Arc<Config>,
}
