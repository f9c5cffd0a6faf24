//! Saved views: a desk user's named filter sets for the story list ("Morning drafts" →
//! `status=draft&outlet=…`). Each user sees, saves and deletes only their own. The rules are
//! in `service.rs` (names, the per-user limit, what a saved query may hold), the SQL in
//! `store.rs`.

mod service;
mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use service::{delete, list, save, ViewName, ViewQuery, MAX_VIEWS, QUERY_KEYS};

/// A saved view as its owner sees it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SavedView {
    pub id: Uuid,
    pub name: String,
    /// The list's query string, normalised ([`ViewQuery`]).
    pub query: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
