//! Readers' subscriptions to newsletters: double opt-in sign-up, confirmation, one-click
//! unsubscribe, the consent ledger and the suppression list. The rules are in `service.rs`;
//! other features reach the ledger and the suppression list through `ledger.rs` and import
//! readers through `import.rs`, never through the store.

pub mod http;
mod import;
mod ledger;
mod pages;
pub mod service;
mod store;

pub use import::{import, known, ImportRow, Imported, Known};
pub use ledger::{record_consent, suppress, suppressed};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Where a subscription stands: `pending` until the double opt-in link is used, then
/// `confirmed`, or `unsubscribed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Pending,
    Confirmed,
    Unsubscribed,
}

impl SubscriptionStatus {
    /// The stored form (`subscriptions.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Confirmed => "confirmed",
            SubscriptionStatus::Unsubscribed => "unsubscribed",
        }
    }
}

/// What a row of the consent ledger records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    Subscribed,
    Confirmed,
    Unsubscribed,
    Imported,
    Erased,
}

impl ConsentAction {
    /// The stored form (`consent_events.action`).
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentAction::Subscribed => "subscribed",
            ConsentAction::Confirmed => "confirmed",
            ConsentAction::Unsubscribed => "unsubscribed",
            ConsentAction::Imported => "imported",
            ConsentAction::Erased => "erased",
        }
    }
}

/// One row of the consent ledger.
pub struct ConsentEvent<'a> {
    pub subscriber: Uuid,
    pub newsletter: Option<Uuid>,
    pub action: ConsentAction,
    pub at: DateTime<Utc>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub policy_version: Option<&'a str>,
    pub source: &'a str,
}
