//! Sections: the network-wide taxonomy ("Diplomacy", "Economics"), optionally nested.
//! Admins manage them; everyone signed in reads them.

pub mod http;
pub mod service;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use service::{NewSection, SectionChanges};

#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Section {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    /// The parent section, for nested taxonomies ("Asia" under "World").
    pub parent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
