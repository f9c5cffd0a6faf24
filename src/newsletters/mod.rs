//! Newsletters ("Eastern Briefings"): what readers subscribe to. Admins manage them; staff
//! read them.

pub mod http;
pub mod issue_drafts;
pub mod issue_list;
pub mod issue_model;
pub mod issues;
pub mod issues_http;
mod issues_store;
pub mod service;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use service::{NewNewsletter, NewsletterChanges};

#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Newsletter {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
