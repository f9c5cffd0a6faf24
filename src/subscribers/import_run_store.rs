//! The rows of `subscriber_import_runs` and `subscriber_import_rows` (migration
//! `20261206001041`), for `import_run`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::csv_import::{ImportReport, RowReport};

/// A run as its page shows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RunRow {
    pub import_id: Uuid,
    pub file_name: String,
    /// The address of whoever started it.
    pub started_by: String,
    pub state: String,
    pub total: i32,
    pub done: i32,
    pub confirmed: i32,
    pub pending: i32,
    pub skipped: i32,
    pub rejected: i32,
    pub error: Option<String>,
    pub queued_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    by: Uuid,
    total: i32,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "insert into subscriber_import_runs (import_id, started_by, state, total, queued_at)
         values ($1, $2, 'queued', $3, $4) on conflict (import_id) do nothing",
    )
    .bind(id)
    .bind(by)
    .bind(total)
    .bind(now)
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Keeps the file past the day unimported files are kept: its run needs it.
pub async fn keep_file(db: impl PgExecutor<'_>, id: Uuid, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("update subscriber_imports set imported_at = $2 where id = $1")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<RunRow>> {
    sqlx::query_as(
        "select r.import_id, i.file_name, u.email as started_by, r.state, r.total, r.done,
                r.confirmed, r.pending, r.skipped, r.rejected, r.error, r.queued_at,
                r.started_at, r.finished_at
         from subscriber_import_runs r
         join subscriber_imports i on i.id = r.import_id
         join users u on u.id = r.started_by
         where r.import_id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Takes a run that is queued, or running under a lease that ran out (its worker is gone),
/// for `owner` until `lease_until`; `only` limits it to one run. None when there is none.
pub async fn claim(
    db: impl PgExecutor<'_>,
    only: Option<Uuid>,
    owner: Uuid,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "update subscriber_import_runs set state = 'running', owner = $2, lease_until = $4,
                started_at = coalesce(started_at, $3)
         where import_id = (
             select import_id from subscriber_import_runs
             where (state = 'queued' or (state = 'running' and lease_until < $3))
               and ($1::uuid is null or import_id = $1)
             order by queued_at limit 1 for update skip locked)
           -- Every condition again under the row's lock: the inner select's snapshot may
           -- predate another instance's claim.
           and (state = 'queued' or (state = 'running' and lease_until < $3))
         returning import_id",
    )
    .bind(only)
    .bind(owner)
    .bind(now)
    .bind(lease_until)
    .fetch_optional(db)
    .await
}

/// The run's file and when the run was queued (the time its plan is made as of).
pub async fn file(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<(Option<Vec<u8>>, DateTime<Utc>)>> {
    sqlx::query_as(
        "select i.body, r.queued_at from subscriber_import_runs r
         join subscriber_imports i on i.id = r.import_id where r.import_id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The run's progress, locked for a batch, if `owner` still holds it: `(done, total,
/// started_by's address)`.
pub async fn lock_held(
    db: impl PgExecutor<'_>,
    id: Uuid,
    owner: Uuid,
) -> sqlx::Result<Option<(i32, i32, String)>> {
    sqlx::query_as(
        "select r.done, r.total, u.email
         from subscriber_import_runs r
         join users u on u.id = r.started_by
         where r.import_id = $1 and r.state = 'running' and r.owner = $2
         for update of r",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(db)
    .await
}

/// Adds a batch: its rows' reports, tallies and count, and renews the lease.
pub async fn add_batch(
    tx: &mut sqlx::PgTransaction<'_>,
    id: Uuid,
    batch: &ImportReport,
    rows: i32,
    lease_until: DateTime<Utc>,
) -> sqlx::Result<()> {
    let lines: Vec<i64> = batch.rows.iter().map(|r| r.line as i64).collect();
    let emails: Vec<&str> = batch.rows.iter().map(|r| r.email.as_str()).collect();
    let outcomes: Vec<&str> = batch.rows.iter().map(|r| r.outcome.as_str()).collect();
    let reasons: Vec<Option<&str>> = batch.rows.iter().map(|r| r.reason.as_deref()).collect();
    sqlx::query(
        "insert into subscriber_import_rows (import_id, line, email, outcome, reason)
         select $1, * from unnest($2::bigint[], $3::text[], $4::text[], $5::text[])",
    )
    .bind(id)
    .bind(&lines)
    .bind(&emails)
    .bind(&outcomes)
    .bind(&reasons)
    .execute(&mut **tx)
    .await?;
    let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
    sqlx::query(
        "update subscriber_import_runs set done = done + $2, confirmed = confirmed + $3,
                pending = pending + $4, skipped = skipped + $5, rejected = rejected + $6,
                lease_until = $7
         where import_id = $1",
    )
    .bind(id)
    .bind(rows)
    .bind(n(batch.confirmed))
    .bind(n(batch.pending))
    .bind(n(batch.skipped))
    .bind(n(batch.rejected))
    .bind(lease_until)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends the run (`done` or `failed`, with why) and lets the file's personal data go.
pub async fn finish(
    db: impl PgExecutor<'_>,
    id: Uuid,
    state: &str,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "with run as (
             update subscriber_import_runs set state = $2, error = $3, finished_at = $4,
                    owner = null, lease_until = null
             where import_id = $1 returning import_id)
         update subscriber_imports set body = null, imported_at = coalesce(imported_at, $4)
         where id in (select import_id from run)",
    )
    .bind(id)
    .bind(state)
    .bind(error)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The rows' reports from line `after` on, `limit` of them, in file order.
pub async fn rows(
    db: impl PgExecutor<'_>,
    id: Uuid,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<RowReport>> {
    let found: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "select line, email, outcome, reason from subscriber_import_rows
         where import_id = $1 order by line offset $2 limit $3",
    )
    .bind(id)
    .bind(offset)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(found
        .into_iter()
        .filter_map(|(line, email, outcome, reason)| {
            Some(RowReport {
                line: u64::try_from(line).ok()?,
                email,
                outcome: super::csv_import::Outcome::parse(&outcome)?,
                reason,
            })
        })
        .collect())
}
