//! Articles: drafting, the editorial workflow, revisions, corrections and search.
//! `service.rs` holds the editing rules, `actions.rs` the workflow transitions, `revisions.rs`
//! the history; `workflow.rs` is the pure state machine they all obey.

pub mod actions;
mod checks;
pub mod http;
mod model;
pub mod render;
#[cfg(test)]
mod render_fuzz;
mod requests;
pub mod revisions;
pub mod revisions_http;
pub mod search;
pub mod search_walk;
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

/// The same rule as [`publicly_visible`], as SQL over the article alias `t`, with `now` bound:
/// every public and partner list query pushes this, so the rule is written once in Rust and
/// once in SQL, side by side, and a test checks they agree for every status and embargo.
pub fn push_publicly_visible(
    q: &mut sqlx::QueryBuilder<'_, sqlx::Postgres>,
    t: &str,
    now: DateTime<Utc>,
) {
    q.push(format!(
        "({t}.status = 'published' and ({t}.embargo_until is null or {t}.embargo_until <= "
    ))
    .push_bind(now)
    .push("))");
}
