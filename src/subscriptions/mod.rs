//! Readers' subscriptions to newsletters: double opt-in sign-up, confirmation, one-click
//! unsubscribe, the consent ledger and the suppression list. The rules are in `service.rs`.

pub mod http;
mod pages;
pub mod service;
pub mod store;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
