//! Presence: who else has a story open in the desk ("also open by …"), from a heartbeat each
//! open editor sends. No lock: two people may edit at once, and the version check of every
//! save (`articles::update`) keeps either from overwriting the other unseen.

mod store;

use chrono::Duration;
use uuid::Uuid;

use crate::articles;
use crate::auth::CurrentUser;
use crate::error::Result;
use crate::state::AppState;

/// How long a heartbeat counts: the desk sends one every 30 seconds.
pub const FRESH_FOR: Duration = Duration::seconds(75);

/// Records that `by` has article `id` open (404 unless they may see it) and answers who else
/// has had it open within [`FRESH_FOR`]: their display names, in the order they came.
pub async fn heartbeat(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<Vec<String>> {
    articles::get(state, by, id).await?;
    let now = state.clock.now();
    store::beat(&state.db, id, by.id, now).await?;
    Ok(store::others(&state.db, id, by.id, now - FRESH_FOR).await?)
}
