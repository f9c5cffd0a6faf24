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

pub use import::{import, ImportRow, Imported};
pub use ledger::{record_consent, suppress, suppressed};

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One row of the consent ledger.
pub struct ConsentEvent<'a> {
    pub subscriber: Uuid,
    pub newsletter: Option<Uuid>,
    pub action: &'a str,
    pub at: DateTime<Utc>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub policy_version: Option<&'a str>,
    pub source: &'a str,
}
