//! Publishes scheduled articles when they are due and announces stories whose embargo lifted
//! (`articles::publish_scheduled`, `articles::lift_embargoes`). A server that was down catches
//! up at start on everything overdue and logs how late it is.

use crate::articles;
use crate::state::AppState;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub published: usize,
    pub embargoes_lifted: usize,
    pub failed: usize,
}

/// One pass over everything due now.
pub async fn run_once(state: &AppState) -> anyhow::Result<Pass> {
    let scheduled = articles::publish_scheduled(state).await?;
    let embargoes_lifted = articles::lift_embargoes(state).await?;
    Ok(Pass {
        published: scheduled.published,
        embargoes_lifted,
        failed: scheduled.failed,
    })
}
