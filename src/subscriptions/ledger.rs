//! The suppression list and the consent ledger as other features use them: the email worker
//! checks an address before every send and suppresses one that bounced; an erasure suppresses
//! the address for good and writes `erased` to the ledger. Addresses are kept as hashes.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::service::email_hash;
use super::store;
use super::ConsentEvent;
use crate::error::Result;

/// Whether `email` may not be mailed about `newsletter` (or, with none, about anything).
pub async fn suppressed(
    db: impl PgExecutor<'_>,
    email: &str,
    newsletter: Option<Uuid>,
) -> Result<bool> {
    Ok(store::suppressed(db, &email_hash(email), newsletter).await?)
}

/// Suppresses `email` for every newsletter, for good (`bounced`, `erased`).
pub async fn suppress(
    db: impl PgExecutor<'_>,
    email: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    Ok(store::suppress(db, &email_hash(email), None, reason, at).await?)
}

/// Appends one event to the consent ledger.
pub async fn record_consent(db: impl PgExecutor<'_>, event: &ConsentEvent<'_>) -> Result<()> {
    Ok(store::record(db, event).await?)
}
