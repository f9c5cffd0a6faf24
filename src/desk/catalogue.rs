//! What the catalogue's screens (`outlets.rs`, `sections.rs`, `authors.rs`) share: a
//! service's refusal of a form told as messages next to the fields or as a page, ids read
//! from a form, and the page that asks before a delete. The rules are the services'.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::page::{redirect, render, sentence, DeskError, Me};
use super::session::Desk;
use crate::error::{AppError, FieldErrors};

/// How many outlets or sections a page reads: the whole of a catalogue that has tens.
pub const MOST: i64 = 500;

/// The service's answer to a form: the messages to show next to its fields (bad input, a
/// taken slug: the page again with the text kept, 422), or the page for any other refusal.
pub fn field_errors(err: AppError) -> Result<FieldErrors, DeskError> {
    match err {
        AppError::Validation(errors) => Ok(errors),
        AppError::Conflict {
            detail,
            field: Some(field),
        } => Ok(FieldErrors::from([(field.to_owned(), vec![detail])])),
        other => Err(refusal(other)),
    }
}

/// A refusal as the desk's page; a bare 403 says what it is about (the shared sentence
/// speaks of stories).
pub fn refusal(err: AppError) -> DeskError {
    match err {
        AppError::Forbidden => {
            AppError::ForbiddenBecause("Your role may not change this part of the catalogue.")
                .into()
        }
        other => other.into(),
    }
}

/// A select's id: none when blank, a field message when it is not an id.
pub fn optional_id(field: &str, raw: &str) -> Result<Option<Uuid>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => Uuid::parse_str(raw)
            .map(Some)
            .map_err(|_| AppError::field(field, "is not one of the choices")),
    }
}

/// The text of an optional field: none when blank.
pub fn optional(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Something a delete would remove, as the confirmation page names it.
#[derive(Serialize)]
pub struct Doomed {
    /// "outlet", "section", "author".
    pub kind: &'static str,
    pub name: String,
    /// Where the confirming form posts.
    pub action: String,
    /// Where "Keep it" goes.
    pub back: String,
}

impl Doomed {
    /// The `kind` thing called `name` whose page is `page`: the confirming form posts to
    /// `page/delete`, "Keep it" goes back to `page`.
    pub fn new(kind: &'static str, name: &str, page: String) -> Doomed {
        Doomed {
            kind,
            name: name.to_owned(),
            action: format!("{page}/delete"),
            back: page,
        }
    }
}

/// The page that asks before a delete; `problem` is the service's refusal of a try.
pub fn confirm(
    desk: &Desk,
    doomed: Doomed,
    problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    render(
        status,
        "desk/delete.html",
        context! {
            title => format!("Delete the {} {}", doomed.kind, doomed.name),
            me => Me::from(desk), here => format!("{}s", doomed.kind), doomed, problem,
        },
    )
}

/// After a delete: the list when it went, the confirmation page with the service's sentence
/// (409) when something still refers to it.
pub fn deleted(
    desk: &Desk,
    result: Result<(), AppError>,
    doomed: Doomed,
    list: &str,
) -> Result<HttpResponse, DeskError> {
    match result {
        Ok(()) => Ok(redirect(&format!("{list}?deleted"))),
        Err(err @ AppError::Conflict { .. }) => {
            let status = StatusCode::CONFLICT;
            confirm(desk, doomed, Some(sentence(&err)), status)
        }
        Err(err) => Err(refusal(err)),
    }
}
