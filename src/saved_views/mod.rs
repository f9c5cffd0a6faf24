//! Saved views: a desk user's named filter sets for the story list ("Morning drafts" →
//! `status=draft&outlet=…`). Each user sees, saves and deletes only their own. The rules are
//! in `service.rs` (names, the per-user limit, what a saved query may hold), the SQL in
//! `store.rs`.

mod service;
mod store;

pub use service::{delete, list, save, SavedView, ViewName, ViewQuery, MAX_VIEWS, QUERY_KEYS};
