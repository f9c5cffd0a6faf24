//! What an admin watches of the webhooks (the dashboard): partners whose deliveries are
//! failing (attempts failing in a row, deliveries retrying, or given up on in the last
//! [`FAILED_WINDOW`]) and partners the worker paused, with why. Admins only, like the rest of
//! the webhook admin API (`partners::service::require_manager`).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::Result;
use crate::partners;
use crate::state::AppState;

/// How far back a given-up delivery still counts as failing.
pub const FAILED_WINDOW: Duration = Duration::days(7);

/// A partner whose webhooks are in trouble.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Trouble {
    pub partner_id: Uuid,
    pub name: String,
    /// Attempts that failed in a row (reset by a success or a resume).
    pub failures: i32,
    /// Deliveries waiting for another attempt after failing.
    pub retrying: i64,
    /// Deliveries given up on within [`FAILED_WINDOW`].
    pub failed: i64,
    pub paused_at: Option<DateTime<Utc>>,
    /// Why an admin paused them by hand; none when the worker paused them (or not paused).
    pub pause_reason: Option<String>,
    /// What the newest attempted delivery last got: `HTTP 503` or the error.
    pub last: Option<String>,
}

/// Active partners whose webhooks fail but are not paused, the most failures first.
pub async fn failing(state: &AppState, by: &CurrentUser, limit: i64) -> Result<Vec<Trouble>> {
    partners::service::require_manager(by)?;
    let since = state.clock.now() - FAILED_WINDOW;
    Ok(troubled(&state.db, false, since, limit).await?)
}

/// Partners whose webhooks are paused, by the worker or by hand, the longest paused first.
pub async fn paused(state: &AppState, by: &CurrentUser, limit: i64) -> Result<Vec<Trouble>> {
    partners::service::require_manager(by)?;
    let since = state.clock.now() - FAILED_WINDOW;
    Ok(troubled(&state.db, true, since, limit).await?)
}

/// Partners are few (hundreds): they are read whole; each one's deliveries through the
/// partial indexes `webhook_deliveries_failed_idx` and `webhook_deliveries_retrying_idx`.
async fn troubled(
    db: impl PgExecutor<'_>,
    paused: bool,
    since: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Trouble>> {
    sqlx::query_as(
        "select * from (
           select p.id as partner_id, p.name, p.webhook_failures as failures,
                  p.webhooks_paused_at as paused_at, p.webhooks_pause_reason as pause_reason,
                  (select count(*) from webhook_deliveries d
                   where d.partner_id = p.id and d.status = 'pending' and d.attempts > 0) as retrying,
                  (select count(*) from webhook_deliveries d
                   where d.partner_id = p.id and d.status = 'failed' and d.created_at >= $2) as failed,
                  (select coalesce('HTTP ' || d.last_status::text, d.last_error)
                   from webhook_deliveries d
                   where d.partner_id = p.id and d.attempts > 0
                   order by d.id desc limit 1) as last
           from partners p
           where p.active and (p.webhooks_paused_at is not null) = $1
         ) t
         where $1 or t.failures > 0 or t.retrying > 0 or t.failed > 0
         order by t.paused_at nulls last, t.failures desc, t.failed desc, t.name
         limit $3",
    )
    .bind(paused)
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await
}
