//! The stories a person's dashboard lists: for editors and above, those waiting for review
//! and those scheduled soon in the outlets they work for; for everyone, their own open
//! stories (drafts, those sent back among them, and those in review). The same outlets
//! as the list's permission filter (`rules::listable_outlets`); writers may not read the
//! editors' queues (403), whatever they ask for.

use chrono::Duration;
use serde::Serialize;

use super::queues_store as store;
pub use super::queues_store::Queued;
use super::rules::listable_outlets;
use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// The first stories of a queue and how many there are in all.
#[derive(Debug, Serialize)]
pub struct Queue {
    pub items: Vec<Queued>,
    pub total: i64,
}

/// A person's own open stories.
#[derive(Debug, Serialize)]
pub struct Own {
    /// Drafts, sent back ones among them (a returned story is a draft again).
    pub drafts: Vec<Queued>,
    pub in_review: Vec<Queued>,
}

/// Only editors and admins review and schedule.
fn require_editor(by: &CurrentUser) -> Result<()> {
    if by.role.at_least(Role::Editor) {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause(
            "Only editors and admins see the review and schedule queues.",
        ))
    }
}

/// Stories waiting for review in the outlets `by` edits (every outlet for admins).
pub async fn awaiting_review(state: &AppState, by: &CurrentUser, limit: i64) -> Result<Queue> {
    require_editor(by)?;
    let outlets = listable_outlets(by);
    let items = store::in_review(&state.db, outlets.as_deref(), limit).await?;
    let total = store::count_in_review(&state.db, outlets.as_deref()).await?;
    Ok(Queue { items, total })
}

/// Stories scheduled to go out within `within` from now, soonest first, in the outlets `by`
/// edits (every outlet for admins).
pub async fn scheduled_within(
    state: &AppState,
    by: &CurrentUser,
    within: Duration,
    limit: i64,
) -> Result<Vec<Queued>> {
    require_editor(by)?;
    let outlets = listable_outlets(by);
    let now = state.clock.now();
    Ok(store::scheduled_between(&state.db, outlets.as_deref(), now, now + within, limit).await?)
}

/// `by`'s own drafts and stories in review, in the outlets they still belong to.
pub async fn own(state: &AppState, by: &CurrentUser, limit: i64) -> Result<Own> {
    let outlets = listable_outlets(by);
    let mine = |status| store::created_by(&state.db, by.id, status, outlets.as_deref(), limit);
    Ok(Own {
        drafts: mine("draft").await?,
        in_review: mine("in_review").await?,
    })
}
