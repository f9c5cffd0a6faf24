//! Subscribers as admins see them: list, read with the consent ledger, GDPR export and
//! erasure. Editors and writers never see readers' addresses.

mod csv_export;
pub mod csv_import;
pub mod http;
pub mod import_run;
mod import_run_store;
pub mod service;
pub mod staged_import;
mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A reader; `email` and `name` are gone after erasure.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Subscriber {
    pub id: Uuid,
    pub email: Option<String>,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub erased_at: Option<DateTime<Utc>>,
    #[sqlx(json)]
    #[schema(value_type = Vec<Subscription>)]
    pub subscriptions: Vec<Subscription>,
}

/// One newsletter a subscriber signed up for.
#[derive(Clone, Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Subscription {
    pub newsletter: String,
    pub status: crate::subscriptions::SubscriptionStatus,
    pub policy_version: Option<String>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

/// One row of the consent ledger.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct ConsentEvent {
    pub id: Uuid,
    pub newsletter: Option<String>,
    /// Written from `subscriptions::ConsentAction`, so its values are that type's.
    #[schema(value_type = crate::subscriptions::ConsentAction)]
    pub action: String,
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub policy_version: Option<String>,
    pub source: Option<String>,
}

/// A subscriber with the whole ledger: the read view, and the GDPR export.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriberDetail {
    #[serde(flatten)]
    pub subscriber: Subscriber,
    pub ledger: Vec<ConsentEvent>,
}
