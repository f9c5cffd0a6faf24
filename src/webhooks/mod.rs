//! Webhooks: every outbox event (publication, correction, withdrawal, kill, embargo lift) is
//! posted, signed, to each entitled partner's URL, retried with backoff for 24 hours, with
//! every attempt recorded. `delivery.rs` is the worker, `address.rs` the SSRF guard,
//! `signature.rs` the signing scheme, `service.rs` and `http.rs` the admin API,
//! `pausing.rs` the SQL of a partner's pause (after failures, by hand) and resume, `watch.rs`
//! what the dashboard shows of failing and paused partners.

pub mod address;
pub mod delivery;
pub mod http;
mod pausing;
pub mod service;
pub mod signature;
mod store;
pub mod watch;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use delivery::Worker;

/// Where a delivery stands: `pending` (waiting for its next attempt), `delivered`, or
/// `failed` (gave up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 3] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
    ];

    /// The stored form (`webhook_deliveries.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}
pub use store::fail_pending;

/// One event to be delivered to one partner.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Delivery {
    pub id: Uuid,
    pub partner_id: Uuid,
    /// The event id: the `id` of the body, the same on every attempt and replay.
    pub event_id: Uuid,
    /// Written by `outbox::EventType`, so its values are that type's.
    #[schema(value_type = crate::outbox::EventType)]
    pub event_type: String,
    pub article_id: Uuid,
    /// Written from `DeliveryStatus`, so its values are that type's.
    #[schema(value_type = DeliveryStatus)]
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// When retries stop: 24 hours after it was queued, replayed or resumed.
    pub give_up_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The HTTP status of the last attempt, if an answer came.
    pub last_status: Option<i16>,
    pub last_error: Option<String>,
}

/// One attempt: the answer's status, or why none came.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Attempt {
    pub id: Uuid,
    pub attempted_at: DateTime<Utc>,
    pub duration_ms: i32,
    pub status_code: Option<i16>,
    pub error: Option<String>,
}

/// A delivery with all its attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDetail {
    #[serde(flatten)]
    pub delivery: Delivery,
    pub attempt_log: Vec<Attempt>,
}
