//! The newsletters screen, `/admin/newsletters`: every newsletter (`newsletters::service::
//! list`, which all staff may read), each linking to its settings and issues, and the form
//! that creates one (`newsletters::service::create`, through the API's own
//! `CreateNewsletter`; admins). The service says who may; the desk only shows its answers.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::form_refusal::Refusal;
use super::newsletter_refusals::refused;
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::session::Desk;
use crate::error::{AppError, FieldErrors};
use crate::newsletters::http::CreateNewsletter;
use crate::newsletters::{issues, service, Newsletter};
use crate::state::AppState;

/// Newsletters a page lists (an alliance has a handful).
const PAGE_ROWS: i64 = 100;

/// The newsletter form as shown or sent, with what was wrong.
#[derive(Default, Serialize)]
pub(super) struct NewsletterForm {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub errors: FieldErrors,
    pub problem: Option<String>,
}

impl NewsletterForm {
    pub(super) fn of(n: &Newsletter) -> NewsletterForm {
        NewsletterForm {
            name: n.name.clone(),
            slug: n.slug.clone(),
            description: n.description.clone().unwrap_or_default(),
            ..NewsletterForm::default()
        }
    }

    pub(super) fn sent(form: &Form) -> NewsletterForm {
        let field = |name| form.get(name).unwrap_or_default().to_owned();
        NewsletterForm {
            name: field("name"),
            slug: field("slug"),
            description: field("description"),
            ..NewsletterForm::default()
        }
    }

    /// The description; none when blank.
    pub(super) fn description(&self) -> Option<String> {
        Some(self.description.trim().to_owned()).filter(|d| !d.is_empty())
    }
}

#[derive(Serialize)]
struct Row {
    slug: String,
    name: String,
    description: Option<String>,
    created: String,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    new_newsletter: NewsletterForm,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let found = service::list(state, None, None, PAGE_ROWS)
        .await
        .map_err(refused)?;
    let rows: Vec<Row> = found
        .items
        .into_iter()
        .map(|n| Row {
            created: when(n.created_at),
            slug: n.slug,
            name: n.name,
            description: n.description,
        })
        .collect();
    render(
        status,
        "desk/newsletters.html",
        context! {
            title => "Newsletters", me => Me::from(desk), rows, more => found.next.is_some(),
            may_manage => service::may_manage(&desk.user),
            may_compose => issues::may_compose(&desk.user), new_newsletter,
        },
    )
}

async fn list(state: web::Data<AppState>, desk: Desk) -> Result<HttpResponse, DeskError> {
    page(&state, &desk, NewsletterForm::default(), StatusCode::OK).await
}

/// Creates a newsletter and goes to its page.
async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let sent = NewsletterForm::sent(&form);
    let input = CreateNewsletter {
        slug: Some(sent.slug.trim().to_owned()).filter(|s| !s.is_empty()),
        name: sent.name.clone(),
        description: sent.description(),
    }
    .try_into();
    let created = match input {
        Ok(input) => service::create(&state, &desk.user, input).await,
        // The form's faults are shown only to those the service lets create newsletters.
        Err(_) if !service::may_manage(&desk.user) => Err(AppError::Forbidden),
        Err(err) => Err(err),
    };
    match created {
        Ok(created) => Ok(redirect(&format!(
            "/admin/newsletters/{}?created",
            created.slug
        ))),
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let new_newsletter = NewsletterForm {
                errors: refusal.errors,
                problem: refusal.problem,
                ..sent
            };
            page(&state, &desk, new_newsletter, refusal.status).await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/newsletters")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    );
}
