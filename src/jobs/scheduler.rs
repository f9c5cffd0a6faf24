//! Publishes scheduled articles when they are due and announces stories whose embargo lifted.
//! A server that was down catches up at start on everything overdue and logs how late it is.

use crate::articles::actions::{release_embargo, transition, ActionInput};
use crate::articles::{store, Action};
use crate::audit::Actor;
use crate::state::AppState;

const BATCH: i64 = 50;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub published: usize,
    pub embargoes_lifted: usize,
    pub failed: usize,
}

/// One pass over everything due now.
pub async fn run_once(state: &AppState) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    let actor = Actor {
        id: None,
        label: "scheduler".into(),
        request_id: None,
    };
    let mut failed_ids = Vec::new();
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
            // A savepoint per article: one that cannot be published does not hold up the rest.
            let mut one = sqlx::Connection::begin(&mut *tx).await?;
            match transition(
                &mut one,
                &actor,
                &article,
                Action::Publish,
                ActionInput::default(),
                now,
            )
            .await
            {
                Ok(_) => {
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
                    pass.published += 1;
                }
                Err(err) => {
                    one.rollback().await?;
                    tracing::error!(article = %id, error = %err, "a scheduled article could not be published");
                    failed_ids.push(*id);
                    pass.failed += 1;
                    state.metrics.work.scheduled_publish_failed();
                }
            }
        }
        tx.commit().await?;
    }
    loop {
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        let due = store::lock_due_embargoes(&mut *tx, now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        for id in &due {
            if let Some(article) = store::get(&mut *tx, *id).await? {
                release_embargo(&mut tx, &article, now).await?;
                tracing::info!(article = %id, "embargo lifted");
                pass.embargoes_lifted += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(pass)
}
