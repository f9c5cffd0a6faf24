//! A person's dashboard, the desk's landing page: which blocks each role gets, each read
//! through its own service (which checks the role again). Everyone: their own open stories.
//! Editors and admins: stories waiting for review and those scheduled in the next
//! [`SCHEDULE_HORIZON`]. Admins also: failing and paused webhooks, newsletter issues being
//! sent, and the newest audit entries. What a role does not get is `None`, never asked for.

use chrono::Duration;
use serde::Serialize;

use crate::articles::queues::{self, Own, Queue, Queued};
use crate::audit::{self, AuditEntry, AuditFilter};
use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::error::Result;
use crate::newsletters::issues::{self, Sending};
use crate::state::AppState;
use crate::webhooks::watch::{self, Trouble};

/// How far ahead the schedule block looks.
pub const SCHEDULE_HORIZON: Duration = Duration::hours(24);
/// Rows a block shows.
pub const BLOCK_ROWS: i64 = 10;

/// The editors' blocks.
#[derive(Debug, Serialize)]
pub struct EditorBlocks {
    pub in_review: Queue,
    pub scheduled: Vec<Queued>,
}

/// The admins' blocks.
#[derive(Debug, Serialize)]
pub struct AdminBlocks {
    pub failing: Vec<Trouble>,
    pub paused: Vec<Trouble>,
    pub sending: Vec<Sending>,
    pub audit: Vec<AuditEntry>,
}

#[derive(Debug, Serialize)]
pub struct Dashboard {
    pub own: Own,
    pub editor: Option<EditorBlocks>,
    pub admin: Option<AdminBlocks>,
}

/// The blocks `by`'s role gets.
pub async fn for_user(state: &AppState, by: &CurrentUser) -> Result<Dashboard> {
    let own = queues::own(state, by, BLOCK_ROWS).await?;
    let editor = if by.role.at_least(Role::Editor) {
        Some(EditorBlocks {
            in_review: queues::awaiting_review(state, by, BLOCK_ROWS).await?,
            scheduled: queues::scheduled_within(state, by, SCHEDULE_HORIZON, BLOCK_ROWS).await?,
        })
    } else {
        None
    };
    let admin = if by.role.at_least(Role::Admin) {
        let recent = AuditFilter {
            limit: Some(BLOCK_ROWS),
            ..AuditFilter::default()
        };
        Some(AdminBlocks {
            failing: watch::failing(state, by, BLOCK_ROWS).await?,
            paused: watch::paused(state, by, BLOCK_ROWS).await?,
            sending: issues::sending(state, by, BLOCK_ROWS).await?,
            audit: audit::list(state, by, &recent).await?.items,
        })
    } else {
        None
    };
    Ok(Dashboard { own, editor, admin })
}
