//! Importing subscribers, `/admin/subscribers/import`: a `multipart/form-data` upload of a CSV
//! file (works without JavaScript) answered by its dry run — the per-row report of what the
//! import would do, nothing changed (`subscribers::staged_import::stage`) — with a button
//! that imports that same file for real (`/import/{id}`, `import_run::start`), answered by
//! the run's page (`subscriber_import_run`) while the import proceeds in the background. A
//! file refused as a whole (not CSV, no header, too many rows, too big) comes back as the
//! form with the message next to the file field, nothing kept. While the upload's request
//! runs, `assets/desk.js` shows a `<progress>`: the upload's bytes, then "checking".
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt;
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::page::{render, DeskError, Me};
use super::session::Desk;
use super::subscribers::refused;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::subscribers::csv_import::{ImportReport, RowReport, MAX_BYTES, MAX_ROWS};
use crate::subscribers::service::may_manage;
use crate::subscribers::staged_import;

/// Bytes of a too big file read (and dropped) before the connection is cut.
const DRAINED: usize = 2 * MAX_BYTES;

/// A report as the page shows it.
#[derive(Serialize)]
struct Report {
    confirmed: usize,
    pending: usize,
    skipped: usize,
    rejected: usize,
    /// Rows that will be (or were) imported: confirmed and pending.
    imported: usize,
    rows: Vec<Line>,
}

#[derive(Serialize)]
pub(super) struct Line {
    line: u64,
    email: String,
    outcome: &'static str,
    reason: Option<String>,
}

impl Report {
    fn of(r: ImportReport) -> Report {
        Report {
            imported: r.confirmed + r.pending,
            confirmed: r.confirmed,
            pending: r.pending,
            skipped: r.skipped,
            rejected: r.rejected,
            rows: r.rows.into_iter().map(Line::of).collect(),
        }
    }
}

impl Line {
    pub(super) fn of(row: RowReport) -> Line {
        Line {
            line: row.line,
            email: row.email,
            outcome: row.outcome.as_str(),
            reason: row.reason,
        }
    }
}

/// The page in one of its states: the form (with a refusal), a dry run, or a real run.
#[derive(Default)]
struct Shown {
    errors: FieldErrors,
    /// The staged file's id and name, after a dry run.
    staged: Option<(Uuid, String)>,
    report: Option<ImportReport>,
}

fn page(desk: &Desk, shown: Shown, status: StatusCode) -> Result<HttpResponse, DeskError> {
    let title = match &shown.staged {
        Some(_) => "Import subscribers: dry run",
        None => "Import subscribers",
    };
    let (staged_id, file_name) = match shown.staged {
        Some((id, name)) => (Some(id), Some(name)),
        None => (None, None),
    };
    render(
        status,
        "desk/subscriber_import.html",
        context! {
            title, me => Me::from(desk), errors => shown.errors, staged_id, file_name,
            report => shown.report.map(Report::of), max_rows => MAX_ROWS,
            max_mib => MAX_BYTES / 1024 / 1024,
        },
    )
}

async fn form(desk: Desk) -> Result<HttpResponse, DeskError> {
    if !may_manage(&desk.user) {
        return Err(refused(AppError::Forbidden));
    }
    page(&desk, Shown::default(), StatusCode::OK)
}

/// The form's parts: its CSRF token, the file's name and bytes.
struct Sent {
    csrf: Option<String>,
    file_name: String,
    body: Vec<u8>,
}

/// Reads the form, refusing a file past `MAX_BYTES`. The rest of a file a little too big is
/// read and dropped, so the browser gets the page instead of a broken connection; past
/// `DRAINED` the connection is cut.
async fn receive(mut form: Multipart) -> Result<Sent, AppError> {
    let too_big = || {
        AppError::TooLarge(format!(
            "is larger than {} MiB; split it",
            MAX_BYTES / 1024 / 1024
        ))
    };
    let mut sent = Sent {
        csrf: None,
        file_name: String::new(),
        body: Vec::new(),
    };
    while let Some(part) = form.next().await {
        let mut part = part.map_err(|e| AppError::BadRequest(format!("is not readable: {e}")))?;
        let name = part.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        let cap = if name == "file" { MAX_BYTES } else { 1024 };
        let (mut read, mut over) = (0usize, false);
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("is not readable: {e}")))?;
            read += chunk.len();
            if read > DRAINED {
                return Err(too_big());
            }
            over |= read > cap;
            if !over {
                bytes.extend_from_slice(&chunk);
            }
        }
        if over {
            return Err(too_big());
        }
        match name.as_str() {
            "csrf" => sent.csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "file" => {
                sent.file_name = part
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .unwrap_or("import.csv")
                    .to_owned();
                sent.body = bytes;
            }
            _ => {}
        }
    }
    Ok(sent)
}

/// The form again with `errors` next to the file field, at `status`.
pub(super) fn form_again(
    desk: &Desk,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    page(
        desk,
        Shown {
            errors,
            ..Shown::default()
        },
        status,
    )
}

/// A refusal of the file as the form shows it (next to the file field), at its status.
fn file_refusal(desk: &Desk, err: AppError) -> Result<HttpResponse, DeskError> {
    let status = err.status_code();
    let errors = match err {
        AppError::Validation(errors) => errors,
        AppError::TooLarge(why) | AppError::BadRequest(why) => {
            FieldErrors::from([("file".to_owned(), vec![why])])
        }
        err => return Err(refused(err)),
    };
    page(
        desk,
        Shown {
            errors,
            ..Shown::default()
        },
        status,
    )
}

/// Keeps the file and answers its dry run.
async fn upload(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    form: Multipart,
) -> Result<HttpResponse, DeskError> {
    if !may_manage(&desk.user) {
        return Err(refused(AppError::Forbidden));
    }
    let sent = match receive(form).await {
        Ok(sent) => sent,
        Err(err) => return file_refusal(&desk, err),
    };
    desk.check_csrf(&req, sent.csrf.as_deref())?;
    if sent.body.is_empty() && sent.file_name.is_empty() {
        return file_refusal(&desk, AppError::field("file", "choose a CSV file"));
    }
    match staged_import::stage(&state, &desk.user, &sent.file_name, &sent.body).await {
        Ok(staged) => {
            let shown = Shown {
                staged: Some((staged.id, staged.file_name)),
                report: Some(staged.report),
                ..Shown::default()
            };
            page(&desk, shown, StatusCode::OK)
        }
        Err(err) => file_refusal(&desk, err),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/subscribers/import")
            .route(web::get().to(form))
            .route(web::post().to(upload)),
    );
}
