//! What a newsletter's issues look like from outside: the list with each issue's sending
//! tallies, and how many readers a send would reach now (editors and admins, as for issues).

use super::issue_model::IssueSummary;
use super::issues::{newsletter, require_editor};
use super::issues_store as store;
use crate::auth::CurrentUser;
use crate::domain::Page;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// A newsletter's issues, newest first, from number `before` down (keyset), with their tallies.
pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    key: &str,
    before: Option<i32>,
    limit: i64,
) -> Result<Page<IssueSummary>> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let rows = store::list(&state.db, newsletter.id, before, limit).await?;
    Ok(Page::from_rows(rows, limit, |r| r.issue.number))
}

/// How many readers sending the issue would mail now: its confirmed subscribers whose address
/// is not suppressed, less those it was already queued for (the rule `send` follows).
pub async fn recipient_count(
    state: &AppState,
    by: &CurrentUser,
    key: &str,
    number: i32,
) -> Result<i64> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let issue = store::get(&state.db, newsletter.id, number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(store::remaining(&state.db, issue.id, newsletter.id).await?)
}
