//! What every desk screen shares: rendering a template into an HTML response, the error page
//! (a refusal said as a sentence, with the right status), the sign-in redirect, reading a
//! urlencoded form (repeated fields included) and showing times.

use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use minijinja::context;
use serde::Serialize;

use crate::error::AppError;

/// Why a desk request did not succeed; every case answers with a page.
#[derive(Debug)]
pub enum DeskError {
    /// No current session: go to the sign-in page.
    SignIn,
    /// A state-changing request without this session's CSRF token.
    Csrf,
    /// A refusal or failure of the service layer.
    App(AppError),
}

impl From<AppError> for DeskError {
    fn from(err: AppError) -> Self {
        DeskError::App(err)
    }
}

impl From<anyhow::Error> for DeskError {
    fn from(err: anyhow::Error) -> Self {
        DeskError::App(AppError::Unexpected(err))
    }
}

impl fmt::Display for DeskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeskError::SignIn => f.write_str("sign-in required"),
            DeskError::Csrf => f.write_str("missing or wrong CSRF token"),
            DeskError::App(err) => write!(f, "{err}"),
        }
    }
}

/// What a failure on our side says.
pub const SOMETHING_WRONG: &str = "Something went wrong on our side. Please try again in a minute.";

/// The sentence a person reads for a refusal.
pub fn sentence(err: &AppError) -> String {
    match err {
        AppError::Forbidden => "You may not do this to this story.".into(),
        AppError::ForbiddenBecause(why) => (*why).into(),
        AppError::NotFound => "There is no such page, or it is not yours to see.".into(),
        AppError::Transition { detail, .. } => {
            format!(
                "{}. Reload the story to see what you can do now.",
                detail.replace('`', "")
            )
        }
        AppError::Conflict { detail, .. } => format!("{detail}."),
        AppError::PreconditionFailed => {
            "Someone changed the story since you opened it. Reload it and try again.".into()
        }
        AppError::Validation(fields) => fields
            .iter()
            .flat_map(|(field, messages)| {
                messages
                    .iter()
                    .map(move |m| format!("{}: {m}.", field.replace('_', " ")))
            })
            .collect::<Vec<_>>()
            .join(" "),
        AppError::TooManyRequests { retry_after_secs } | AppError::Busy { retry_after_secs } => {
            format!("Too many requests just now. Try again in {retry_after_secs} seconds.")
        }
        _ => SOMETHING_WRONG.into(),
    }
}

/// What a problem page says: its status, heading and sentence.
pub struct Problem {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
}

impl DeskError {
    /// The page this error is answered with; none for a sign-in, which is a redirect.
    pub fn problem(&self) -> Option<Problem> {
        let status = self.status_code();
        let (title, message) = match self {
            DeskError::SignIn => return None,
            DeskError::Csrf => (
                "Refused",
                "This form was not sent from a desk page of your current session. Go back, \
                 reload the page and send it again."
                    .to_owned(),
            ),
            DeskError::App(err) => {
                let title = match err {
                    AppError::NotFound => "Not found",
                    AppError::Forbidden | AppError::ForbiddenBecause(_) => "Not allowed",
                    AppError::Unexpected(_) => "Something went wrong",
                    _ => "Not done",
                };
                (title, sentence(err))
            }
        };
        Some(Problem {
            status,
            title,
            message,
        })
    }
}

/// The problem page, with the signed-in header when `me` is known (`problem::as_pages`
/// adds it to every desk answer that is not a success).
pub fn problem_page(problem: &Problem, me: Option<&Me>) -> HttpResponse {
    let ctx = context! { title => problem.title, message => &problem.message, me };
    match crate::templates::render("desk/problem.html", ctx) {
        Ok(body) => html(problem.status, body),
        Err(err) => {
            tracing::error!(error = ?err, "desk problem page failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}

impl ResponseError for DeskError {
    fn status_code(&self) -> StatusCode {
        match self {
            DeskError::SignIn => StatusCode::SEE_OTHER,
            DeskError::Csrf => StatusCode::FORBIDDEN,
            DeskError::App(err) => err.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let DeskError::App(AppError::Unexpected(cause)) = self {
            tracing::error!(error = ?cause, "desk request failed");
        }
        match self.problem() {
            Some(problem) => problem_page(&problem, None),
            None => redirect("/admin/login"),
        }
    }
}

/// An HTML response that no cache keeps.
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header(crate::http_cache::NO_STORE)
        .body(body)
}

/// Renders a desk template.
pub fn render(
    status: StatusCode,
    name: &str,
    ctx: impl Serialize,
) -> Result<HttpResponse, DeskError> {
    Ok(html(status, crate::templates::render(name, ctx)?))
}

/// 303 See Other to `to` (after a form post, the browser GETs it).
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .insert_header(crate::http_cache::NO_STORE)
        .finish()
}

/// Who is signed in, as every page's header shows them.
#[derive(Clone, Serialize)]
pub struct Me {
    pub email: String,
    pub role: String,
    pub csrf: String,
    /// Whether the services let them change some of the catalogue (the "Catalogue" link).
    pub catalogue: bool,
    /// Whether the header links the staff screen (`users::service::may_manage`).
    pub staff: bool,
    /// Whether the header links the audit log (`audit::may_read`).
    pub audit_log: bool,
    /// Whether the header links the partners (`partners::service::may_manage`).
    pub partners: bool,
    /// Whether the header links the subscribers (`subscribers::service::may_manage`).
    pub subscribers: bool,
    /// Whether the header links the newsletters (`newsletters::issues::may_compose`).
    pub newsletters: bool,
}

/// A urlencoded form body, repeated fields kept in order.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, as sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed; none when blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The fields but the CSRF token and the version, to send again (a conflict's "keep mine").
    pub fn pairs_without_tokens(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "csrf" && k != "version")
            .cloned()
            .collect()
    }
}

/// A time as the desk shows it.
pub fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Words in a Markdown text, and the minutes it takes to read (230 words a minute).
pub fn word_count(text: &str) -> (usize, usize) {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    (words, words.div_ceil(230).max(1))
}
