//! What the partner screens (`partners.rs`, `partner.rs`, `partner_keys.rs`,
//! `partner_deliveries.rs`) share: the service's refusals as their forms and pages show them,
//! the partner a screen is about (read first, so one who may not see partners gets the 403
//! page before any form message), and the ids a form's checkboxes name.

use actix_web::http::StatusCode;
use uuid::Uuid;

use super::page::{sentence, DeskError};
use super::session::Desk;
use crate::error::{AppError, FieldErrors};
use crate::partners::{service, Partner};
use crate::state::AppState;

/// A 403 said as these screens' sentence (the desk's default speaks of stories).
pub(super) fn refused(err: AppError) -> DeskError {
    match err {
        AppError::Forbidden => {
            AppError::ForbiddenBecause("You may not see or change partners.").into()
        }
        err => err.into(),
    }
}

/// A refusal of the service as a form shows it: field messages next to their fields, a
/// conflict as a sentence above the form; `Err` (the desk's page) for anything else.
pub(super) struct Refusal {
    pub errors: FieldErrors,
    pub problem: Option<String>,
    pub status: StatusCode,
}

impl Refusal {
    pub(super) fn of(err: AppError) -> Result<Refusal, DeskError> {
        let status = actix_web::ResponseError::status_code(&err);
        match err {
            AppError::Validation(errors) => Ok(Refusal {
                errors,
                problem: None,
                status,
            }),
            err @ AppError::Conflict { .. } => Ok(Refusal {
                errors: FieldErrors::new(),
                problem: Some(sentence(&err)),
                status,
            }),
            err => Err(refused(err)),
        }
    }
}

/// The ids a form's checkboxes name.
pub(super) fn ids(field: &str, raw: &[String]) -> Result<Vec<Uuid>, AppError> {
    raw.iter()
        .map(|id| {
            Uuid::parse_str(id.trim())
                .map_err(|_| AppError::field(field, "must list existing entries, each once"))
        })
        .collect()
}

/// The partner `id` as `desk` may see it, or the desk's refusal.
pub(super) async fn partner(state: &AppState, desk: &Desk, id: Uuid) -> Result<Partner, DeskError> {
    service::get(state, &desk.user, id).await.map_err(refused)
}
