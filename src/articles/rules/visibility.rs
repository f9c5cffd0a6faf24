//! Whether partners and the public may see a story now: published, and out of embargo. The
//! one place this rule lives, in Rust and, side by side, in SQL; a test checks the two agree
//! for every status and embargo.

use chrono::{DateTime, Utc};

use super::workflow::Status;

/// Whether partners and the public may see the story now. Syndication, the public API, the
/// feeds and the newsletters all ask this (or its SQL twin below).
pub fn publicly_visible(
    status: Status,
    embargo_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    status == Status::Published && embargo_until.is_none_or(|until| until <= now)
}

/// The same rule as [`publicly_visible`], as SQL over the article alias `t`, with `now` bound:
/// every public and partner list query pushes this.
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
