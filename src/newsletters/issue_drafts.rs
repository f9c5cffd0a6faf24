//! Composing an issue after it is created: changing a draft (subject, intro, stories; a
//! draft only, by the rules of `issues::create`), finding the published stories that may go
//! into one (the staff search, `articles::list`, kept to what is public now) and naming the
//! stories a draft being composed lists.

use uuid::Uuid;

use super::issue_model::{Draft, IssueStatus, IssueView, Picked, StoryChoice};
use super::issues::{self, check_stories, newsletter, require_editor};
use super::issues_store as store;
use crate::articles::search::{ListFilter, Sort};
use crate::articles::{self, publicly_visible, ListRequest, Status};
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// Changes a draft issue; one that is sending or sent is a 409 and stays as it is.
pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    key: &str,
    number: i32,
    draft: Draft,
) -> Result<IssueView> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let mut tx = state.db.begin().await?;
    let issue = store::get(&mut *tx, newsletter.id, number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if issue.status != IssueStatus::Draft {
        return Err(AppError::conflict(
            "This issue is no longer a draft: its sending has started",
        ));
    }
    check_stories(state, &draft.article_ids).await?;
    store::update_draft(&mut *tx, issue.id, &draft, state.clock.now()).await?;
    tx.commit().await?;
    issues::get(state, by, key, number).await
}

/// Published stories that may go into an issue now, matching `q` (by rank) or the newest
/// published first when `q` is empty: the staff search with its own permission filter.
pub async fn find_stories(
    state: &AppState,
    by: &CurrentUser,
    q: Option<&str>,
    limit: i64,
) -> Result<Vec<StoryChoice>> {
    require_editor(by)?;
    let q = q.map(str::trim).filter(|q| !q.is_empty());
    let filter = ListFilter {
        visible_outlets: None,
        status: Some(Status::Published),
        outlet_id: None,
        section_id: None,
        author_id: None,
        tag: None,
        language: None,
        updated_after: None,
        updated_before: None,
        q: q.map(str::to_owned),
        sort: if q.is_some() {
            Sort::Rank
        } else {
            Sort::PublishedAt
        },
    };
    let found = articles::list(
        state,
        by,
        ListRequest {
            filter,
            after: None,
            limit,
        },
    )
    .await?;
    let now = state.clock.now();
    Ok(found
        .items
        .into_iter()
        .filter(|s| publicly_visible(s.status, s.embargo_until, now))
        .map(|s| StoryChoice {
            id: s.id,
            headline: s.headline,
            outlet_id: s.outlet_id,
            published_at: s.published_at,
        })
        .collect())
}

/// The stories `ids` names, in its order, each with its headline when it may go into an
/// issue (published and public now); none for any other, which `create`/`update` refuse.
pub async fn picked(state: &AppState, by: &CurrentUser, ids: &[Uuid]) -> Result<Vec<Picked>> {
    require_editor(by)?;
    let now = state.clock.now();
    let stories = store::stories(&state.db, ids).await?;
    Ok(ids
        .iter()
        .map(|id| Picked {
            id: *id,
            headline: stories
                .iter()
                .find(|s| s.id == *id && publicly_visible(s.status, s.embargo_until, now))
                .map(|s| s.headline.clone()),
        })
        .collect())
}
