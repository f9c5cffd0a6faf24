//! A refusal of the service as a form shows it, shared by the partner and newsletter screens:
//! field messages next to their fields, a conflict as a sentence above the form, and anything
//! else (a 403, a failure) the screen's own problem page.

use actix_web::http::StatusCode;

use super::page::{sentence, DeskError};
use crate::error::{AppError, FieldErrors};

pub(super) struct Refusal {
    pub errors: FieldErrors,
    pub problem: Option<String>,
    pub status: StatusCode,
}

impl Refusal {
    /// `refused` says what is not the form's fault as the screen's page.
    pub(super) fn of(
        err: AppError,
        refused: fn(AppError) -> DeskError,
    ) -> Result<Refusal, DeskError> {
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
