//! Workflow actions (`POST /api/v1/articles/{id}/actions/{action}`): the state machine's answer
//! applied in one transaction with the new version, a revision, an audit entry and the
//! outbox event partners will receive.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::check_publishable;
use super::model::{Article, ArticleView};
use super::service::{lock, record, view, workflow_actor};
use super::workflow::{self, Action, Refusal, Status};
use super::{publicly_visible, store};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::idempotency::{self, Claim};
use crate::outbox::{self, EventType};
use crate::state::AppState;

/// The body of an action: a note (required to return or kill) and the time to schedule at.
#[derive(Debug, Default)]
pub struct ActionInput {
    pub note: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

pub async fn act(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    expected: i32,
    action: Action,
    input: ActionInput,
    claim: Option<&Claim>,
) -> Result<ArticleView> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = lock(&mut tx, by, id, expected).await?;
    let actor = workflow_actor(by, &before);
    match workflow::next(before.status, action, actor) {
        Ok(_) => {}
        Err(Refusal::NotPermitted) => return Err(by.refusal(Some(before.outlet_id))),
        Err(Refusal::WrongState) => {
            return Err(AppError::Transition {
                detail: format!(
                    "`{}` is not possible from `{}`",
                    action.as_str(),
                    status_name(before.status)
                ),
                allowed_actions: workflow::allowed_actions(before.status, actor)
                    .iter()
                    .map(|a| a.as_str())
                    .collect(),
            })
        }
    }
    let after = transition(&mut tx, &by.into(), &before, action, input, now).await?;
    let view = view(&mut *tx, by, after).await?;
    if let Some(claim) = claim {
        idempotency::save(&mut *tx, claim, 200, &view, Some(view.article.version), now).await?;
    }
    tx.commit().await?;
    Ok(view)
}

fn status_name(status: Status) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Applies an allowed `action` to a locked article and writes everything it implies.
/// Also used by the scheduler (publishing due articles) with its own actor.
pub async fn transition(
    tx: &mut sqlx::PgTransaction<'_>,
    actor: &Actor,
    before: &Article,
    action: Action,
    input: ActionInput,
    now: DateTime<Utc>,
) -> Result<Article> {
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if action.needs_note() && note.is_none() {
        return Err(AppError::field("note", "is required for this action"));
    }
    let mut after = before.clone();
    after.version += 1;
    after.updated_at = now;
    let mut event = None;
    match action {
        Action::Submit | Action::Approve | Action::Return => {}
        Action::Publish => {
            check_publishable(&after)?;
            after.first_published_at.get_or_insert(now);
            after.published_at = Some(now);
            after.scheduled_at = None;
            if publicly_visible(Status::Published, after.embargo_until, now) {
                event = Some(EventType::Published);
                if after.embargo_until.is_some() {
                    after.embargo_released_at = Some(now);
                }
            }
        }
        Action::Schedule => {
            check_publishable(&after)?;
            match input.at {
                Some(at) if at > now => after.scheduled_at = Some(at),
                Some(_) => return Err(AppError::field("at", "must be in the future")),
                None => return Err(AppError::field("at", "is required to schedule")),
            }
        }
        Action::Unschedule => after.scheduled_at = None,
        // Partners are told to take a story down only if they were ever told about it.
        Action::Unpublish if store::was_announced(&mut **tx, after.id).await? => {
            event = Some(EventType::Withdrawn)
        }
        Action::Kill if store::was_announced(&mut **tx, after.id).await? => {
            event = Some(EventType::Killed)
        }
        Action::Unpublish | Action::Kill => {}
    }
    after.status = match action {
        Action::Submit => Status::InReview,
        Action::Return => Status::Draft,
        Action::Approve | Action::Unschedule => Status::Approved,
        Action::Publish => Status::Published,
        Action::Schedule => Status::Scheduled,
        Action::Unpublish => Status::Unpublished,
        Action::Kill => Status::Killed,
    };
    store::save(&mut **tx, &after).await?;
    if let Some(event) = event {
        outbox::enqueue(&mut **tx, event, after.id, after.version, now).await?;
    }
    record(tx, actor, Some(before), &after, action.as_str(), note, now).await?;
    Ok(after)
}

/// Announces a published story whose embargo has lifted: no new version, but the
/// `article.published` event that makes partners fetch it.
pub async fn release_embargo(
    tx: &mut sqlx::PgTransaction<'_>,
    article: &Article,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut after = article.clone();
    after.embargo_released_at = Some(now);
    store::save(&mut **tx, &after).await?;
    outbox::enqueue(
        &mut **tx,
        EventType::Published,
        after.id,
        after.version,
        now,
    )
    .await?;
    Ok(())
}
