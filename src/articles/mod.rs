//! Articles: drafting, the editorial workflow, revisions, corrections and search.
//! `service.rs` holds the editing rules, `actions.rs` the workflow transitions, `revisions.rs`
//! the history; `workflow.rs` is the pure state machine they all obey.

pub mod actions;
mod checks;
pub mod http;
mod model;
pub mod render;
mod requests;
pub mod revisions;
pub mod revisions_http;
pub mod search;
pub mod service;
pub mod store;
pub mod workflow;

pub use model::{Article, ArticleSummary, ArticleView, Correction, Snapshot};
pub use workflow::{Action, Status};

use chrono::{DateTime, Utc};

/// Whether partners and the public may see the story now: published and out of embargo.
/// The one place this rule lives; syndication and public reads use it too.
pub fn publicly_visible(
    status: Status,
    embargo_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    status == Status::Published && embargo_until.is_none_or(|until| until <= now)
}
