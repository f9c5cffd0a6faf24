//! The staff screen, `/admin/staff`: every staff account with its role, outlets and whether it
//! is active (`users::service::list`, keyset by email), filtered by role, active and text, and
//! the form that creates an account (`users::service::create`, through the API's own
//! `CreateUser`). The service says who may (admins); the desk only shows its answers.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::names::Names;
use super::page::{redirect, render, sentence, DeskError, Form, Me};
use super::session::Desk;
use crate::domain::{Cursor, Role};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::users::http::CreateUser;
use crate::users::service;
use crate::users::store::ListFilter;

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// The list's filters as the form sends them (blank means any).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    /// `yes`, `no` or blank.
    #[serde(default)]
    active: String,
    #[serde(default, skip_serializing)]
    cursor: String,
}

impl Filters {
    fn parse(&self) -> Result<(ListFilter, Option<String>), AppError> {
        let role = match self.role.trim() {
            "" => None,
            raw => Some(role(raw)?),
        };
        let active = match self.active.trim() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => return Err(AppError::field("active", "is not one of the choices")),
        };
        let filter = ListFilter {
            q: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            role,
            outlet_id: None,
            active,
        };
        let cursor = Some(self.cursor.as_str()).filter(|c| !c.is_empty());
        Ok((filter, Cursor::decode::<String>(cursor)?))
    }
}

/// The role a form names.
pub(super) fn role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw.trim()).ok_or_else(|| AppError::field("role", "is not a role"))
}

/// The outlets a form's checkboxes name.
pub(super) fn outlet_ids(raw: &[String]) -> Result<Vec<Uuid>, AppError> {
    raw.iter()
        .map(|id| {
            Uuid::parse_str(id.trim())
                .map_err(|_| AppError::field("outlet_ids", "names an outlet that does not exist"))
        })
        .collect()
}

/// A 403 said as this screen's sentence (the desk's default speaks of stories).
pub(super) fn refused(err: AppError) -> AppError {
    match err {
        AppError::Forbidden => {
            AppError::ForbiddenBecause("You may not see or change staff accounts.")
        }
        err => err,
    }
}

/// A refusal of the service as the form shows it: field messages next to their fields (a
/// taken email is a conflict on `email`), anything else as a sentence above the form.
pub(super) struct Refusal {
    pub errors: FieldErrors,
    pub problem: Option<String>,
    pub status: StatusCode,
}

impl Refusal {
    /// `Err` for what is not the form's fault (a 403, a failure): the desk's problem page.
    pub(super) fn of(err: AppError) -> Result<Refusal, DeskError> {
        let status = actix_web::ResponseError::status_code(&err);
        match err {
            AppError::Validation(errors) => Ok(Refusal {
                errors,
                problem: None,
                status,
            }),
            AppError::Conflict {
                detail,
                field: Some(field),
            } => {
                let mut errors = FieldErrors::new();
                errors.insert(field.to_owned(), vec![detail]);
                Ok(Refusal {
                    errors,
                    problem: None,
                    status,
                })
            }
            err @ AppError::Conflict { .. } => Ok(Refusal {
                problem: Some(sentence(&err)),
                errors: FieldErrors::new(),
                status,
            }),
            err => Err(refused(err).into()),
        }
    }
}

#[derive(Serialize)]
struct Row {
    id: Uuid,
    name: String,
    email: String,
    role: &'static str,
    outlets: String,
    active: bool,
}

/// The new-account form as it was sent (never its password), with what was wrong.
#[derive(Default, Serialize)]
struct NewAccount {
    display_name: String,
    email: String,
    role: String,
    outlets: Vec<String>,
    errors: FieldErrors,
    problem: Option<String>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    filters: Filters,
    new_account: NewAccount,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let names = Names::load(state).await?;
    let (rows, next, filter_errors, status) = match filters.parse() {
        Ok((filter, after)) => {
            let found = service::list(state, &desk.user, &filter, after, PAGE_ROWS)
                .await
                .map_err(refused)?;
            let rows: Vec<Row> = found
                .items
                .into_iter()
                .map(|u| Row {
                    id: u.id,
                    role: u.role.as_str(),
                    outlets: names.byline(&u.outlet_ids),
                    active: u.active,
                    name: u.display_name,
                    email: u.email,
                })
                .collect();
            (rows, found.next, FieldErrors::new(), status)
        }
        // Bad filters: told only to those the service lets see the list.
        Err(_) if !service::may_manage(&desk.user) => {
            return Err(refused(AppError::Forbidden).into())
        }
        Err(AppError::Validation(errors)) => {
            (Vec::new(), None, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => return Err(err.into()),
    };
    let next_url = next.map(|cursor| {
        let query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        format!("/admin/staff?{query}&cursor={cursor}")
    });
    let outlets = names.outlets;
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    render(
        status,
        "desk/staff.html",
        context! {
            title => "Staff", me => Me::from(desk), rows, next_url, filter_errors, filters, roles,
            outlets, new_account,
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: web::Query<Filters>,
) -> Result<HttpResponse, DeskError> {
    let filters = query.into_inner();
    page(
        &state,
        &desk,
        filters,
        NewAccount::default(),
        StatusCode::OK,
    )
    .await
}

/// Creates an account and opens its page.
async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let sent = NewAccount {
        display_name: form.get("display_name").unwrap_or_default().to_owned(),
        email: form.get("email").unwrap_or_default().to_owned(),
        role: form.get("role").unwrap_or_default().to_owned(),
        outlets: form
            .all("outlet_ids")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ..NewAccount::default()
    };
    let password = form.get("password").unwrap_or_default().to_owned();
    let input = role(&sent.role).and_then(|role| {
        CreateUser {
            email: sent.email.clone(),
            display_name: sent.display_name.clone(),
            role,
            outlet_ids: outlet_ids(&sent.outlets)?,
            password,
        }
        .try_into()
    });
    let created = match input {
        Ok(input) => service::create(&state, &desk.user, input).await,
        Err(err) => {
            // The form's faults are shown only to those the service lets create accounts.
            if !service::may_manage(&desk.user) {
                return Err(refused(AppError::Forbidden).into());
            }
            Err(err)
        }
    };
    match created {
        Ok(user) => Ok(redirect(&format!("/admin/staff/{}?created", user.id))),
        Err(err) => {
            let refusal = Refusal::of(err)?;
            let new_account = NewAccount {
                errors: refusal.errors,
                problem: refusal.problem,
                ..sent
            };
            page(
                &state,
                &desk,
                Filters::default(),
                new_account,
                refusal.status,
            )
            .await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/staff")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    );
}
