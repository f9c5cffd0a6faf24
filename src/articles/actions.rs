//! Workflow actions (`POST /api/v1/articles/{id}/actions/{action}`): the rule book's answer
//! applied in one transaction with the new version, a revision, an audit entry and the
//! outbox event partners will receive.

use chrono::{DateTime, Utc};
use sqlx::PgTransaction;
use uuid::Uuid;

use super::model::{Article, ArticleView};
use super::pictures;
use super::render;
use super::rules::{self, Action, Refusal, Transition};
use super::service::{announce, lock, record, view};
use super::store;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};

/// The body of an action: a note (required to return or kill) and the time to schedule at.
#[derive(Debug, Default)]
pub struct ActionInput {
    pub note: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// Takes a workflow action on version `expected` of an article: 409 (with what is allowed)
/// when the state does not allow it, 403 when the caller may not, 422 when what must come
/// with it is missing.
pub async fn act(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    id: Uuid,
    expected: i32,
    action: Action,
    input: ActionInput,
    now: DateTime<Utc>,
) -> Result<ArticleView> {
    let before = lock(tx, by, id, expected).await?;
    let actor = rules::actor_on(by, &before);
    let transition =
        rules::next(before.status, action, actor).map_err(|refusal| match refusal {
            Refusal::NotPermitted => by.refusal(Some(before.outlet_id)),
            Refusal::WrongState => AppError::Transition {
                detail: format!(
                    "`{}` is not possible from `{}`",
                    action.as_str(),
                    before.status.as_str()
                ),
                allowed_actions: rules::allowed_actions(before.status, actor)
                    .iter()
                    .map(|a| a.as_str())
                    .collect(),
            },
        })?;
    let after = apply(tx, &by.into(), &before, transition, input, now).await?;
    view(&mut **tx, by, after).await
}

/// Applies a transition the rule book allowed to a locked article and writes everything it
/// implies. The scheduler applies the clock's transitions through here too.
pub(super) async fn apply(
    tx: &mut PgTransaction<'_>,
    actor: &Actor,
    before: &Article,
    transition: Transition,
    input: ActionInput,
    now: DateTime<Utc>,
) -> Result<Article> {
    let shown = pictures::resolve(tx, before).await?;
    let mut moved = rules::apply(
        transition,
        before,
        &shown.for_rules(),
        input.note.as_deref(),
        input.at,
        now,
    )?;
    // Drawn again with the pictures as they are now: an alt text added to a picture since
    // the last save reaches the published body.
    moved.after.body_html = render::body_html(&moved.after.content.body, &shown.pictures);
    store::save(&mut **tx, &moved.after).await?;
    announce(tx, &moved.after, moved.notice, now).await?;
    let action = transition.action().as_str();
    record(
        tx,
        actor,
        Some(before),
        &moved.after,
        action,
        moved.note,
        now,
    )
    .await?;
    Ok(moved.after)
}
