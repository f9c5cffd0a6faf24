//! An import in two steps, as the desk offers it: `stage` keeps the uploaded file and answers
//! its dry run (what importing it would do, nothing changed); `run` imports that same file
//! for real, once. The file is kept only until it is imported (then emptied) or for a day.

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

/// An imported file's report.
pub struct Done {
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

/// Imports the staged file `id` for real, in one transaction with marking it imported: a
/// second run (a form sent twice) is a 409 and imports nothing again.
pub async fn run(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<Done> {
    require_manager(by)?;
    let mut tx = state.db.begin().await?;
    let staged = store::lock_import(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(body) = staged.body else {
        return Err(AppError::conflict(
            "This file was imported already; upload it again to import it again",
        ));
    };
    let report = csv_import::import_in(state, &mut tx, &by.email, &body).await?;
    store::mark_imported(&mut *tx, id, state.clock.now()).await?;
    tx.commit().await?;
    Ok(Done {
        file_name: staged.file_name,
        report,
    })
}
