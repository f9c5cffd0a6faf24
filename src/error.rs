//! The one error type of the crate and its `application/problem+json` (RFC 9457) rendering.
//!
//! Every handler returns `Result<T, AppError>`; client mistakes become 4xx problems that say
//! what to fix, and anything unexpected becomes a logged 500 with a generic message.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Per-field messages of a validation problem: `{"email": ["is not a valid address"]}`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("authentication required")]
    Unauthorized,
    /// A 401 of the partner API, which takes an API key rather than a staff session.
    #[error("a partner API key is required")]
    ApiKeyRequired,
    #[error("forbidden")]
    Forbidden,
    /// A 403 whose reason is not the caller's role: another outlet's story, a partner's
    /// entitlements. The text is the problem's `detail`.
    #[error("{0}")]
    ForbiddenBecause(&'static str),
    #[error("not found")]
    NotFound,
    #[error("{detail}")]
    Conflict {
        detail: String,
        field: Option<&'static str>,
    },
    /// A workflow action the article's state does not allow (409, with what is allowed).
    #[error("{detail}")]
    Transition {
        detail: String,
        allowed_actions: Vec<&'static str>,
    },
    #[error("the resource changed since it was read")]
    PreconditionFailed,
    #[error("this change needs an If-Match header")]
    PreconditionRequired,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("send the body as JSON with `Content-Type: application/json`")]
    UnsupportedMediaType,
    #[error(
        "compressed request bodies are not accepted: send the body without `Content-Encoding`"
    )]
    UnsupportedEncoding,
    /// A body the route cannot take, with what it does take (a picture that is not one).
    #[error("{0}")]
    UnsupportedContent(String),
    /// A body over a limit, with which limit (a picture's bytes or pixels).
    #[error("{0}")]
    TooLarge(String),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable,
    /// The server is at capacity for this kind of work (password hashing): retry shortly.
    #[error("the server is busy; retry in {retry_after_secs} seconds")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// A validation problem on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        AppError::Validation(errors)
    }

    /// A conflict that names the field a client should change.
    pub fn conflict_on(field: &'static str, detail: impl Into<String>) -> Self {
        AppError::Conflict {
            detail: detail.into(),
            field: Some(field),
        }
    }

    /// A conflict with the current state of the resource.
    pub fn conflict(detail: impl Into<String>) -> Self {
        AppError::Conflict {
            detail: detail.into(),
            field: None,
        }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            AppError::BadRequest(_) => ("bad-request", "Bad request"),
            AppError::Validation(_) => ("validation-failed", "Validation failed"),
            AppError::Unauthorized | AppError::ApiKeyRequired => {
                ("unauthorized", "Authentication required")
            }
            AppError::Forbidden | AppError::ForbiddenBecause(_) => ("forbidden", "Forbidden"),
            AppError::NotFound => ("not-found", "Not found"),
            AppError::Conflict { .. } => ("conflict", "Conflict"),
            AppError::Transition { .. } => ("invalid-transition", "Invalid transition"),
            AppError::PreconditionFailed => ("precondition-failed", "Precondition failed"),
            AppError::PreconditionRequired => ("precondition-required", "Precondition required"),
            AppError::PayloadTooLarge | AppError::TooLarge(_) => {
                ("payload-too-large", "Payload too large")
            }
            AppError::UnsupportedMediaType
            | AppError::UnsupportedEncoding
            | AppError::UnsupportedContent(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            AppError::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            AppError::Unavailable => ("unavailable", "Service unavailable"),
            AppError::Busy { .. } => ("busy", "Service busy"),
            AppError::Unexpected(_) => ("internal", "Internal server error"),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem (see docs/api.md).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Field name -> messages, for validation problems and field conflicts.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::HashMap<String, Vec<String>>>, nullable = false)]
    pub errors: Option<FieldErrors>,
    /// For an invalid workflow transition: the actions the caller may take now (the
    /// document names them with the articles' `Action`, see `openapi::contract`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub allowed_actions: Option<Vec<String>>,
}

impl Problem {
    /// A problem for a status that has no richer AppError (unknown route, wrong method…).
    pub fn for_status(status: StatusCode, detail: impl Into<String>) -> Self {
        let slug = status
            .canonical_reason()
            .unwrap_or("error")
            .to_lowercase()
            .replace(' ', "-");
        Problem {
            kind: format!("/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: None,
            allowed_actions: None,
        }
    }

    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
            .json(self)
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized | AppError::ApiKeyRequired => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } | AppError::Transition { .. } => StatusCode::CONFLICT,
            AppError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::PayloadTooLarge | AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType
            | AppError::UnsupportedEncoding
            | AppError::UnsupportedContent(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (slug, title) = self.slug_and_title();
        let detail = match self {
            AppError::Unexpected(err) => {
                tracing::error!(error = format!("{err:#}"), "unexpected error");
                "Something went wrong on our side; it has been logged.".to_owned()
            }
            AppError::Unauthorized => "Sign in and send `Authorization: Bearer <token>`.".to_owned(),
            AppError::ApiKeyRequired => "Send your partner API key as `X-Api-Key: nr_live_…` \
                 (or `Authorization: Bearer nr_live_…`); an admin creates keys."
                .to_owned(),
            AppError::Forbidden => "Your role does not allow this action.".to_owned(),
            AppError::NotFound => "No such resource, or you may not see it.".to_owned(),
            AppError::PreconditionFailed => {
                "The resource changed since you read it: fetch it again and retry with the new ETag."
                    .to_owned()
            }
            AppError::PreconditionRequired => {
                "Send `If-Match` with the ETag you read, so changes are never lost.".to_owned()
            }
            AppError::Validation(_) => "Some fields are invalid; see `errors`.".to_owned(),
            AppError::TooManyRequests { retry_after_secs } => {
                format!("Too many requests; retry in {retry_after_secs} seconds.")
            }
            other => other.to_string(),
        };
        let errors = match self {
            AppError::Validation(errors) => Some(errors.clone()),
            AppError::Conflict {
                field: Some(field),
                detail,
            } => Some(BTreeMap::from([(
                (*field).to_owned(),
                vec![detail.clone()],
            )])),
            _ => None,
        };
        let problem = Problem {
            kind: format!("/problems/{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors,
            allowed_actions: match self {
                AppError::Transition {
                    allowed_actions, ..
                } => Some(allowed_actions.iter().map(|a| (*a).to_owned()).collect()),
                _ => None,
            },
        };
        let mut response = problem.response();
        if let AppError::TooManyRequests { retry_after_secs }
        | AppError::Busy { retry_after_secs } = self
        {
            if let Ok(value) = header::HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// Constraint name -> (field, message): how a violated unique or check constraint is told.
const CONSTRAINTS: &[(&str, &str, &str)] = &[
    (
        "newsletters_slug_key",
        "slug",
        "is already taken by another newsletter",
    ),
    (
        "outlets_slug_key",
        "slug",
        "is already taken by another outlet",
    ),
    (
        "sections_slug_key",
        "slug",
        "is already taken by another section",
    ),
    (
        "authors_slug_key",
        "slug",
        "is already taken by another author",
    ),
    (
        "authors_user_id_key",
        "user_id",
        "is already linked to another author",
    ),
    ("users_email_key", "email", "is already registered"),
    (
        "articles_outlet_slug_key",
        "slug",
        "is already used by another article of this outlet",
    ),
    (
        "idempotency_keys_pkey",
        "idempotency_key",
        "was used by a concurrent request",
    ),
];

/// SQLSTATEs of a server that is going away or cannot take the connection: class 08
/// (connection exception), 53300 (too many connections), 57P01 (terminated by an
/// administrator or a fast shutdown), 57P02 (crash of another backend), 57P03 (starting up or
/// shutting down). Retrying later is the cure, so they are 503s.
pub fn database_unavailable(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "53300" | "57P01" | "57P02" | "57P03")
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            if let Some(name) = db.constraint() {
                if let Some((_, field, message)) = CONSTRAINTS.iter().find(|(c, _, _)| *c == name) {
                    return AppError::conflict_on(field, *message);
                }
            }
            // 23503: a row still referenced elsewhere (delete of something in use).
            if db.code().as_deref() == Some("23503") {
                return AppError::conflict("it is still in use; remove what refers to it first");
            }
            // 40001 on a hot standby: the replica cancelled the read for replay of the
            // primary's changes (a recovery conflict). Retrying succeeds: a 503, not a bug.
            if db.code().as_deref() == Some("40001") {
                tracing::warn!(error = %db, "read cancelled by the replica; retryable");
                return AppError::Unavailable;
            }
            // 22003/22007/22008: a number or a date beyond what PostgreSQL stores (a year
            // -5000 in a cursor, say). Only values from the request get that far.
            if matches!(db.code().as_deref(), Some("22003" | "22007" | "22008")) {
                return AppError::BadRequest(
                    "a number or date in the request is out of the supported range".into(),
                );
            }
            if db.code().as_deref().is_some_and(database_unavailable) {
                tracing::warn!(error = %err, "database unavailable");
                return AppError::Unavailable;
            }
            // 22021/22P05: text PostgreSQL cannot hold (a NUL character from a query string,
            // a path or a cursor; body fields are refused before they get this far).
            if matches!(db.code().as_deref(), Some("22021" | "22P05")) {
                return AppError::BadRequest(
                    "text in the request contains a character that cannot be stored (NUL)".into(),
                );
            }
        }
        match err {
            sqlx::Error::RowNotFound => return AppError::NotFound,
            // The database is unreachable or saturated: a retryable 503, not a bug.
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(error = %err, "database unavailable");
                return AppError::Unavailable;
            }
            _ => {}
        }
        AppError::Unexpected(err.into())
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        for (field, errs) in errors.field_errors() {
            let messages = errs
                .iter()
                .map(|e| match &e.message {
                    Some(m) => m.to_string(),
                    None => format!("is invalid ({})", e.code),
                })
                .collect();
            out.insert(field.to_string(), messages);
        }
        AppError::Validation(out)
    }
}
