//! The clock's work on articles: publishing scheduled stories when they are due, and
//! announcing published stories whose embargo has lifted. Both ask the rule book like any
//! other change (the clock is a workflow actor), in batches claimed with `FOR UPDATE SKIP
//! LOCKED` so that any number of instances can run them against one database.

use uuid::Uuid;

use super::actions::{self, ActionInput};
use super::rules::{self, Action, Actor};
use super::service::announce;
use super::store;
use crate::audit;
use crate::error::Result;
use crate::state::AppState;

/// How many due articles one transaction claims.
const BATCH: i64 = 50;

/// What one pass over the scheduled stories did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Published {
    pub published: usize,
    pub failed: usize,
}

/// Publishes every scheduled story that is due now, each in a savepoint of its own: one that
/// cannot be published (say, no longer publishable) stays scheduled, is logged, and does not
/// hold up the rest.
pub async fn publish_scheduled(state: &AppState) -> Result<Published> {
    let mut done = Published::default();
    let actor = audit::Actor {
        id: None,
        label: "scheduler".into(),
        request_id: None,
    };
    let mut failed_ids: Vec<Uuid> = Vec::new();
    loop {
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        let due = store::lock_due_scheduled(&mut *tx, now, &failed_ids, BATCH).await?;
        if due.is_empty() {
            break;
        }
        for id in &due {
            let Some(article) = store::get(&mut *tx, *id).await? else {
                continue;
            };
            let mut one = sqlx::Connection::begin(&mut *tx).await?;
            let published = match rules::next(article.status, Action::Publish, Actor::Clock) {
                Ok(t) => actions::apply(&mut one, &actor, &article, t, ActionInput::default(), now)
                    .await
                    .map(|_| ()),
                Err(refusal) => Err(anyhow::anyhow!("the workflow refused: {refusal:?}").into()),
            };
            match published {
                Ok(()) => {
                    one.commit().await?;
                    let late = article
                        .scheduled_at
                        .map(|at| (now - at).num_milliseconds())
                        .unwrap_or(0);
                    tracing::info!(article = %id, late_ms = late, "published a scheduled article");
                    state
                        .metrics
                        .work
                        .published_scheduled(chrono::Duration::milliseconds(late));
                    done.published += 1;
                }
                Err(err) => {
                    one.rollback().await?;
                    tracing::error!(article = %id, error = %err, "a scheduled article could not be published");
                    failed_ids.push(*id);
                    done.failed += 1;
                    state.metrics.work.scheduled_publish_failed();
                }
            }
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// Announces every published story whose embargo has passed and was not announced yet:
/// `article.published` once, with the version current now, and no new version.
pub async fn lift_embargoes(state: &AppState) -> Result<usize> {
    let mut lifted = 0;
    loop {
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        let due = store::lock_due_embargoes(&mut *tx, now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        for id in &due {
            if let Some(article) = store::get(&mut *tx, *id).await? {
                let (after, notice) = rules::release_embargo(&article, now);
                store::save(&mut *tx, &after).await?;
                announce(&mut tx, &after, notice, now).await?;
                tracing::info!(article = %id, "embargo lifted");
                lifted += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(lifted)
}
