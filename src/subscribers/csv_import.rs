//! `POST /api/v1/subscribers/import`: a CSV with the columns `email, name, newsletter,
//! consent_time, consent_source` (a header row is required; order is free). Every row gets
//! a line in the report:
//! - with consent evidence (both `consent_time` and `consent_source`): `confirmed`, and the
//!   ledger records `imported` with that evidence;
//! - without it: `pending`, and the reader gets the double opt-in email like any sign-up;
//! - `rejected` with the reason: a malformed address, an unknown newsletter, a bad consent
//!   time, the same address and newsletter twice in the file, a suppressed address, or one
//!   that is already confirmed (`skipped`).
//!
//! Through the API the whole file is one transaction: a database error leaves nothing
//! half-imported. The desk's real run (`import_run`) applies the same `plan` in batches, one
//! transaction each. The suppression and "already confirmed" checks are asked once per batch
//! of rows (`subscriptions::known`), not per row. A dry
//! run (`Run::Dry`) is that same transaction, every check and write made, then rolled back:
//! its report is the real run's, and nothing is kept (no subscriber, ledger row or email).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Email, Key};
use crate::error::{AppError, Result};
use crate::newsletters::{self, Newsletter};
use crate::state::AppState;
use crate::subscriptions::{self, ImportRow, Imported};

/// Rows accepted in one file.
pub const MAX_ROWS: usize = 100_000;

/// Largest file an import takes.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Whether the import is kept, or only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// Every check and write, rolled back: the report of what the real run would do.
    Dry,
    Real,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    pub confirmed: usize,
    pub pending: usize,
    pub rejected: usize,
    pub skipped: usize,
    pub rows: Vec<RowReport>,
}

/// What became of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Imported with consent evidence: subscribed.
    Confirmed,
    /// Imported without evidence: the reader gets the double opt-in email.
    Pending,
    /// Already confirmed: nothing changed.
    Skipped,
    /// Refused; `reason` says why.
    Rejected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Confirmed => "confirmed",
            Outcome::Pending => "pending",
            Outcome::Skipped => "skipped",
            Outcome::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Confirmed,
            Outcome::Pending,
            Outcome::Skipped,
            Outcome::Rejected,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

#[derive(Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowReport {
    /// The line of the file (the header is line 1).
    pub line: u64,
    pub email: String,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<String>,
}

struct Columns {
    email: usize,
    name: Option<usize>,
    newsletter: usize,
    consent_time: Option<usize>,
    consent_source: Option<usize>,
}

fn columns(header: &csv::StringRecord) -> Result<Columns> {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    Ok(Columns {
        email: find("email").ok_or_else(|| {
            AppError::field(
                "file",
                "needs a header row naming its columns, with an `email` column",
            )
        })?,
        name: find("name"),
        newsletter: find("newsletter")
            .ok_or_else(|| AppError::field("file", "needs a `newsletter` column"))?,
        consent_time: find("consent_time"),
        consent_source: find("consent_source"),
    })
}

/// Refuses what is not a CSV text file at all: empty, too big, binary, not UTF-8.
pub fn check_file(body: &[u8]) -> Result<()> {
    if body.len() > MAX_BYTES {
        return Err(AppError::field(
            "file",
            format!("is larger than {} MiB; split it", MAX_BYTES / 1024 / 1024),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::field("file", "is empty"));
    }
    if body.contains(&0) || std::str::from_utf8(body).is_err() {
        return Err(AppError::field(
            "file",
            "is not a CSV text file (UTF-8, one reader a line)",
        ));
    }
    Ok(())
}

/// Imports `body`, or with `Run::Dry` reports what importing it would do and keeps nothing.
pub async fn import(state: &AppState, actor: &str, body: &[u8], run: Run) -> Result<ImportReport> {
    let mut tx = state.db.begin().await?;
    let report = import_in(state, &mut tx, actor, body).await?;
    match run {
        Run::Dry => tx.rollback().await?,
        Run::Real => tx.commit().await?,
    }
    Ok(report)
}

/// The import in the caller's transaction, which decides whether it is kept.
pub(super) async fn import_in(
    state: &AppState,
    tx: &mut sqlx::PgTransaction<'_>,
    actor: &str,
    body: &[u8],
) -> Result<ImportReport> {
    let now = state.clock.now();
    let plan = plan(tx, body, now).await?;
    let mut report = ImportReport::default();
    apply(state, tx, actor, &plan, 0..plan.len(), now, &mut report).await?;
    Ok(report)
}

/// A row of the file after the checks that need no subscriber's data: refused with its
/// reason, or to be imported.
pub(super) enum Planned {
    Reject {
        line: u64,
        email: String,
        reason: String,
    },
    Import {
        line: u64,
        raw_email: String,
        email: Email,
        name: Option<String>,
        newsletter: Newsletter,
        evidence: Option<(DateTime<Utc>, String)>,
    },
}

/// Reads and checks the whole file (its newsletters looked up once each): the same plan
/// for the same file, so a run in batches treats each row as the whole run would (an
/// address repeated in a later batch is still "earlier in the file").
pub(super) async fn plan(
    tx: &mut sqlx::PgTransaction<'_>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<Planned>> {
    check_file(body)?;
    // Counted before any row is imported, so a file too long is refused at once.
    let rows = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body)
        .records()
        .count();
    if rows > MAX_ROWS {
        return Err(AppError::field(
            "file",
            format!("has more than {MAX_ROWS} rows; split it"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let header = reader
        .headers()
        .map_err(|e| AppError::field("file", format!("is not CSV: {e}")))?
        .clone();
    let cols = columns(&header)?;
    let mut planned = Vec::with_capacity(rows);
    let mut newsletters: HashMap<String, Option<Newsletter>> = HashMap::new();
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let reject = |email: String, reason: String| Planned::Reject {
            line,
            email,
            reason,
        };
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                planned.push(reject(String::new(), format!("unreadable row: {e}")));
                continue;
            }
        };
        let cell = |at: Option<usize>| {
            at.and_then(|a| record.get(a))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let raw_email = cell(Some(cols.email)).unwrap_or_default().to_owned();
        let Ok(email) = Email::parse("email", &raw_email) else {
            planned.push(reject(raw_email, "not a valid email address".into()));
            continue;
        };
        let name = cell(cols.name).map(|n| n.chars().take(200).collect::<String>());
        // A name reaches the plain-text body of emails: one line, as through the API.
        if name
            .as_deref()
            .is_some_and(|n| crate::domain::single_line("name", n).is_err())
        {
            planned.push(reject(
                raw_email,
                "the name must be one line without control characters".into(),
            ));
            continue;
        }
        let slug = cell(Some(cols.newsletter)).unwrap_or_default().to_owned();
        if !newsletters.contains_key(&slug) {
            let found = newsletters::store::get(&mut **tx, &Key::parse(&slug)).await?;
            newsletters.insert(slug.clone(), found);
        }
        let Some(Some(newsletter)) = newsletters.get(&slug) else {
            planned.push(reject(raw_email, format!("no newsletter `{slug}`")));
            continue;
        };
        if !seen.insert((email.as_str().to_owned(), newsletter.id)) {
            planned.push(reject(
                raw_email,
                "the same address and newsletter appear earlier in the file".into(),
            ));
            continue;
        }
        let evidence = match (cell(cols.consent_time), cell(cols.consent_source)) {
            (Some(time), Some(source)) => match DateTime::parse_from_rfc3339(time) {
                Ok(t) if t.with_timezone(&Utc) <= now => {
                    Some((t.with_timezone(&Utc), source.to_owned()))
                }
                Ok(_) => {
                    planned.push(reject(raw_email, "consent_time is in the future".into()));
                    continue;
                }
                Err(_) => {
                    planned.push(reject(
                        raw_email,
                        "consent_time is not an RFC 3339 time".into(),
                    ));
                    continue;
                }
            },
            _ => None,
        };
        planned.push(Planned::Import {
            line,
            raw_email,
            email,
            name,
            newsletter: newsletter.clone(),
            evidence,
        });
    }
    Ok(planned)
}

/// Imports the planned rows `range` in the caller's transaction, adding each to `report`.
pub(super) async fn apply(
    state: &AppState,
    tx: &mut sqlx::PgTransaction<'_>,
    actor: &str,
    plan: &[Planned],
    range: std::ops::Range<usize>,
    now: DateTime<Utc>,
    report: &mut ImportReport,
) -> Result<()> {
    let batch = plan.get(range).unwrap_or_default();
    let pairs: Vec<(&Email, uuid::Uuid)> = batch
        .iter()
        .filter_map(|p| match p {
            Planned::Import {
                email, newsletter, ..
            } => Some((email, newsletter.id)),
            Planned::Reject { .. } => None,
        })
        .collect();
    let known = subscriptions::known(tx, &pairs).await?;
    for planned in batch {
        let (line, raw_email, email, name, newsletter, evidence) = match planned {
            Planned::Reject {
                line,
                email,
                reason,
            } => {
                report.reject(*line, email.clone(), reason.clone());
                continue;
            }
            Planned::Import {
                line,
                raw_email,
                email,
                name,
                newsletter,
                evidence,
            } => (*line, raw_email, email, name, newsletter, evidence),
        };
        let row = ImportRow {
            email,
            name: name.as_deref(),
            newsletter,
            evidence: evidence.as_ref().map(|(at, source)| (*at, source.as_str())),
            actor,
        };
        let (outcome, reason) = match subscriptions::import(state, tx, row, &known, now).await? {
            Imported::Suppressed => {
                report.reject(
                    line,
                    raw_email.clone(),
                    "the address unsubscribed, bounced or was erased".into(),
                );
                continue;
            }
            Imported::AlreadyConfirmed => {
                report.skipped += 1;
                (Outcome::Skipped, Some("already confirmed".into()))
            }
            Imported::Confirmed => {
                report.confirmed += 1;
                (Outcome::Confirmed, None)
            }
            Imported::Pending => {
                report.pending += 1;
                (Outcome::Pending, None)
            }
        };
        report.rows.push(RowReport {
            line,
            email: raw_email.clone(),
            outcome,
            reason,
        });
    }
    Ok(())
}

impl ImportReport {
    pub(super) fn reject(&mut self, line: u64, email: String, reason: String) {
        self.rejected += 1;
        self.rows.push(RowReport {
            line,
            email,
            outcome: Outcome::Rejected,
            reason: Some(reason),
        });
    }
}
