//! Staff accounts: admins manage users; everyone manages their own password.

pub mod http;
pub mod service;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::Role;

/// A staff account as the API shows it (never with its password hash).
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The outlets this user writes or edits for.
    pub outlet_ids: Vec<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
