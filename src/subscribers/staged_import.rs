//! An import in two steps, as the desk offers it: `stage` keeps the uploaded file and answers
//! its dry run (what importing it would do, nothing changed); `import_run` imports that same
//! file for real, once, in the background. The file is kept until its run ends (then
//! emptied), or for a day if it is never imported.

use chrono::Duration;
use uuid::Uuid;

use super::csv_import::{self, ImportReport, Run};
use super::service::require_manager;
use super::store;
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// How long a file waits for its real run.
const KEPT_HOURS: i64 = 24;

/// A file checked by its dry run, waiting to be imported.
pub struct Staged {
    pub id: Uuid,
    pub file_name: String,
    pub report: ImportReport,
}

/// Keeps the file and answers its dry run. A file refused as a whole (not CSV, no header,
/// too many rows, too big) is not kept.
pub async fn stage(
    state: &AppState,
    by: &CurrentUser,
    file_name: &str,
    body: &[u8],
) -> Result<Staged> {
    require_manager(by)?;
    let report = csv_import::import(state, &by.email, body, Run::Dry).await?;
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let name: String = file_name.chars().take(200).collect();
    let rows = i32::try_from(report.rows.len()).map_err(|e| AppError::Unexpected(e.into()))?;
    let mut tx = state.db.begin().await?;
    store::forget_imports(&mut *tx, now - Duration::hours(KEPT_HOURS)).await?;
    store::insert_import(&mut *tx, id, by.id, &name, body, rows, now).await?;
    tx.commit().await?;
    Ok(Staged {
        id,
        file_name: name,
        report,
    })
}
