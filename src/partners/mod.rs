//! Syndication partners (admins manage them): entitlements, webhook settings, and API keys.

pub mod http;
pub mod service;
mod store;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use service::{get, NewPartner, PartnerChanges};

/// Whether entitlements (outlets, sections; empty = all) cover a story in `outlet` and
/// `section`. The one entitlement rule: the change feed, stories, feeds and webhooks use it.
pub fn entitled(outlets: &[Uuid], sections: &[Uuid], outlet: Uuid, section: Option<Uuid>) -> bool {
    let outlet_ok = outlets.is_empty() || outlets.contains(&outlet);
    let section_ok = sections.is_empty() || section.is_some_and(|s| sections.contains(&s));
    outlet_ok && section_ok
}

/// The partner, locked for the rest of the transaction.
pub async fn lock(tx: &mut sqlx::PgConnection, id: Uuid) -> sqlx::Result<Option<Partner>> {
    store::get_for_update(tx, id).await
}

/// A partner as the admin API shows it; the webhook secret is shown only when it is made.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Partner {
    pub id: Uuid,
    pub name: String,
    /// Outlets the partner may pull; empty means all.
    pub outlet_ids: Vec<Uuid>,
    /// Sections the partner may pull; empty means all.
    pub section_ids: Vec<Uuid>,
    pub webhook_url: Option<String>,
    pub active: bool,
    /// Webhook attempts that failed in a row; reset by a success or a resume.
    pub webhook_failures: i32,
    /// Set when too many attempts failed in a row, or when an admin paused them by hand:
    /// nothing is sent until an admin resumes.
    pub webhooks_paused_at: Option<DateTime<Utc>>,
    /// Why an admin paused them by hand (`paused by <email>`, or the reason they gave);
    /// `null` when not paused, or paused by the worker after failures.
    pub webhooks_pause_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A partner just created, with its webhook secret (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedPartner {
    #[serde(flatten)]
    pub partner: Partner,
    /// Signs webhook bodies (HMAC-SHA256); store it now, it is not shown again.
    pub webhook_secret: String,
}

/// An API key as listed (never the key itself).
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct ApiKeyInfo {
    pub id: Uuid,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new API key: `{id, key, prefix, expires_at}`; the key is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewApiKey {
    pub id: Uuid,
    pub key: String,
    pub prefix: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A partner's usage: stories fetched per outlet and day (UTC), and requests per day,
/// `from` to `to` inclusive.
#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    pub partner_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<crate::syndication::usage_report::UsageRow>,
    pub total_fetches: i64,
    /// Requests per day (a request is of no one outlet: a feed page spans them); days
    /// without requests are left out.
    pub requests: Vec<crate::syndication::usage_report::RequestDay>,
    pub total_requests: i64,
}
