//! The real run of a staged import file, in the background (`staged_import` keeps the file
//! and answers its dry run). `start` records the run, `queued`, and answers at once; a
//! worker (`work`, spawned by the desk, or `resume`, from the jobs loop) claims it
//! (`running`, with a lease) and imports the file in batches of [`BATCH_ROWS`] rows. Each
//! batch is one transaction with the run's `done`, tallies and rows' reports, so the page's
//! progress is real, a batch is kept whole or not at all, and running a batch again after a
//! crash starts where the last kept batch ended: nothing is imported twice.
//!
//! A run whose worker died (its instance stopped or crashed) keeps `running` until its lease
//! ([`LEASE_SECS`], renewed by every batch) runs out; the jobs loop of any instance then
//! takes it over and **resumes** it from `done`. A worker that lost its lease stops at its
//! next batch (the batch checks the owner under the run's row lock). A batch that fails
//! (a database error) ends the run `failed`, with the error, and the rows kept so far.

use chrono::Duration;
use uuid::Uuid;

use super::csv_import::{self, ImportReport, Planned, RowReport};
use super::import_run_store as store;
pub use super::import_run_store::RunRow;
use super::service::require_manager;
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// Rows per batch (one transaction each).
pub const BATCH_ROWS: usize = 500;

/// How long a worker holds a run without finishing a batch before another may take it.
pub const LEASE_SECS: i64 = 60;

/// Rows' reports per page of a finished run.
pub const ROWS_PER_PAGE: i64 = 500;

/// Records the real run of the staged file `id`, queued, once: a second start is a 409.
pub async fn start(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<()> {
    require_manager(by)?;
    let mut tx = state.db.begin().await?;
    let staged = super::store::lock_import(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let total = csv_rows(staged.body.as_deref())?;
    let now = state.clock.now();
    if staged.body.is_none() || !store::insert(&mut *tx, id, by.id, total, now).await? {
        return Err(AppError::conflict(
            "This file was imported already; upload it again to import it again",
        ));
    }
    store::keep_file(&mut *tx, id, now).await?;
    tx.commit().await?;
    Ok(())
}

fn csv_rows(body: Option<&[u8]>) -> Result<i32> {
    let rows = body.map_or(0, |body| {
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(body)
            .records()
            .count()
    });
    i32::try_from(rows).map_err(|e| AppError::Unexpected(e.into()))
}

/// The run of the file `id`, for its page.
pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<RunRow> {
    require_manager(by)?;
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The rows' reports of page `page` (from 1) of the run `id`.
pub async fn rows(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    page: i64,
) -> Result<Vec<RowReport>> {
    require_manager(by)?;
    let offset = (page.max(1) - 1).saturating_mul(ROWS_PER_PAGE);
    Ok(store::rows(&state.db, id, offset, ROWS_PER_PAGE).await?)
}

/// Takes a run to work on: `only` that one, or any queued or abandoned run.
pub async fn claim(state: &AppState, only: Option<Uuid>) -> Result<Option<(Uuid, Uuid)>> {
    let owner = Uuid::now_v7();
    let now = state.clock.now();
    let claimed = store::claim(
        &state.db,
        only,
        owner,
        now,
        now + Duration::seconds(LEASE_SECS),
    )
    .await?;
    Ok(claimed.map(|id| (id, owner)))
}

/// What one batch left.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Rows remain.
    More,
    /// The run is done.
    Done,
    /// Another worker holds the run now (or it ended): this one stops.
    Lost,
}

/// Imports the next `size` rows of the run `id` held by `owner`, in one transaction with
/// the run's progress.
pub async fn batch(state: &AppState, id: Uuid, owner: Uuid, size: usize) -> Result<Step> {
    let Some(plan) = plan(state, id).await? else {
        return Ok(Step::Lost);
    };
    batch_of(state, id, owner, size, &plan).await
}

/// The file's plan (`csv_import::plan`, as of the run's start): read once per worker, not
/// per batch. None when the run is gone.
async fn plan(state: &AppState, id: Uuid) -> Result<Option<Vec<Planned>>> {
    let mut tx = state.db.begin().await?;
    let Some((body, queued_at)) = store::file(&mut *tx, id).await? else {
        return Ok(None);
    };
    let plan = match body {
        Some(body) => csv_import::plan(&mut tx, &body, queued_at).await?,
        None => Vec::new(),
    };
    tx.commit().await?;
    Ok(Some(plan))
}

async fn batch_of(
    state: &AppState,
    id: Uuid,
    owner: Uuid,
    size: usize,
    plan: &[Planned],
) -> Result<Step> {
    let mut tx = state.db.begin().await?;
    let Some((done, total, actor)) = store::lock_held(&mut *tx, id, owner).await? else {
        return Ok(Step::Lost);
    };
    let now = state.clock.now();
    let from = usize::try_from(done).unwrap_or(0);
    let to = (from + size.max(1)).min(plan.len());
    let mut report = ImportReport::default();
    csv_import::apply(state, &mut tx, &actor, plan, from..to, now, &mut report).await?;
    let rows =
        i32::try_from(to.saturating_sub(from)).map_err(|e| AppError::Unexpected(e.into()))?;
    store::add_batch(
        &mut tx,
        id,
        &report,
        rows,
        now + Duration::seconds(LEASE_SECS),
    )
    .await?;
    let finished = to >= plan.len() || done + rows >= total;
    if finished {
        store::finish(&mut *tx, id, "done", None, now).await?;
    }
    tx.commit().await?;
    Ok(if finished { Step::Done } else { Step::More })
}

/// Works the run `owner` holds to its end, batch by batch; a failed batch fails the run.
pub async fn work_held(state: &AppState, id: Uuid, owner: Uuid, size: usize) -> Result<Step> {
    let planned = match plan(state, id).await {
        Ok(Some(plan)) => plan,
        Ok(None) => return Ok(Step::Lost),
        Err(err) => return fail(state, id, err).await,
    };
    loop {
        match batch_of(state, id, owner, size, &planned).await {
            Ok(Step::More) => continue,
            Ok(step) => return Ok(step),
            Err(err) => return fail(state, id, err).await,
        }
    }
}

async fn fail(state: &AppState, id: Uuid, err: AppError) -> Result<Step> {
    let why = format!("{err}");
    tracing::error!(import = %id, error = %why, "a subscriber import failed");
    store::finish(&state.db, id, "failed", Some(&why), state.clock.now()).await?;
    Err(err)
}

/// Claims the queued run `id` and works it to its end (what the desk spawns on start).
pub async fn work(state: &AppState, id: Uuid) -> Result<()> {
    if let Some((id, owner)) = claim(state, Some(id)).await? {
        work_held(state, id, owner, BATCH_ROWS).await?;
    }
    Ok(())
}

/// Takes over every run that is queued or whose worker died (its lease ran out) and works
/// each on a task of its own; returns how many it took. Called by the jobs loop.
pub async fn resume(state: &AppState) -> Result<usize> {
    let mut taken = 0;
    while let Some((id, owner)) = claim(state, None).await? {
        taken += 1;
        tracing::warn!(import = %id, "resuming a subscriber import");
        let state = state.clone();
        tokio::spawn(async move {
            let _ = work_held(&state, id, owner, BATCH_ROWS).await;
        });
    }
    Ok(taken)
}
