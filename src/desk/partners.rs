//! The partners screen, `/admin/partners`: every syndication partner with what it sees, its
//! webhook and its state (`partners::service::list`, keyset by id), filtered by name and
//! state, and the form that creates one (`partners::service::create`, through the API's own
//! `CreatePartner`); the answer is the new partner's page with its webhook secret, shown that
//! once. The service says who may (admins); the desk only shows its answers.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::form_refusal::Refusal;
use super::names::Names;
use super::page::{render, when, DeskError, Form, Me};
use super::partner::{self, Once};
use super::partner_refusals::{ids, refused};
use super::session::Desk;
use crate::domain::Cursor;
use crate::error::{AppError, FieldErrors};
use crate::partners::http::CreatePartner;
use crate::partners::{service, Partner};
use crate::state::AppState;

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// The list's filters as the form sends them (blank means any).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    q: String,
    /// `yes`, `no` or blank.
    #[serde(default)]
    active: String,
    #[serde(default, skip_serializing)]
    cursor: String,
}

/// The filters as the service takes them.
struct Query {
    q: Option<String>,
    active: Option<bool>,
    after: Option<Uuid>,
}

impl Filters {
    fn parse(&self) -> Result<Query, AppError> {
        let active = match self.active.trim() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => return Err(AppError::field("active", "is not one of the choices")),
        };
        let q = Some(self.q.trim().to_owned()).filter(|q| !q.is_empty());
        let cursor = Some(self.cursor.as_str()).filter(|c| !c.is_empty());
        let after = Cursor::decode::<Uuid>(cursor)?;
        Ok(Query { q, active, after })
    }
}

#[derive(Serialize)]
struct Row {
    id: Uuid,
    name: String,
    outlets: String,
    sections: String,
    webhook_url: Option<String>,
    active: bool,
    paused: bool,
    created: String,
}

impl Row {
    fn of(names: &Names, p: Partner) -> Row {
        let all = |ids: &[Uuid], every: &str| {
            if ids.is_empty() {
                every.to_owned()
            } else {
                names.byline(ids)
            }
        };
        Row {
            id: p.id,
            outlets: all(&p.outlet_ids, "Every outlet"),
            sections: all(&p.section_ids, "Every section"),
            webhook_url: p.webhook_url,
            active: p.active,
            paused: p.webhooks_paused_at.is_some(),
            created: when(p.created_at),
            name: p.name,
        }
    }
}

async fn page(
    state: &AppState,
    desk: &Desk,
    filters: Filters,
    new_partner: partner::PartnerForm,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let names = Names::load(state).await?;
    let (rows, next, filter_errors, status) = match filters.parse() {
        Ok(query) => {
            let q = query.q.as_deref();
            let found = service::list(state, &desk.user, q, query.active, query.after, PAGE_ROWS)
                .await
                .map_err(refused)?;
            let rows: Vec<Row> = found
                .items
                .into_iter()
                .map(|p| Row::of(&names, p))
                .collect();
            (rows, found.next, FieldErrors::new(), status)
        }
        // Bad filters: told only to those the service lets see the list.
        Err(_) if !service::may_manage(&desk.user) => return Err(refused(AppError::Forbidden)),
        Err(AppError::Validation(errors)) => {
            (Vec::new(), None, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => return Err(err.into()),
    };
    let next_url = next.map(|cursor| {
        let query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        format!("/admin/partners?{query}&cursor={cursor}")
    });
    render(
        status,
        "desk/partners.html",
        context! {
            title => "Partners", me => Me::from(desk), rows, next_url, filter_errors, filters,
            outlets => names.outlets, sections => names.sections, new_partner,
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: web::Query<Filters>,
) -> Result<HttpResponse, DeskError> {
    let form = partner::PartnerForm {
        active: true,
        ..Default::default()
    };
    page(&state, &desk, query.into_inner(), form, StatusCode::OK).await
}

/// Creates a partner and answers with its page, which shows the webhook secret this once.
async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let sent = partner::PartnerForm::sent(&form);
    let input = ids("outlet_ids", &sent.outlets).and_then(|outlet_ids| {
        CreatePartner {
            name: sent.name.clone(),
            outlet_ids,
            section_ids: ids("section_ids", &sent.sections)?,
            webhook_url: sent.webhook_url(),
            webhook_secret: None,
            active: true,
        }
        .try_into()
    });
    let created = match input {
        Ok(input) => service::create(&state, &desk.user, input).await,
        // The form's faults are shown only to those the service lets create partners.
        Err(_) if !service::may_manage(&desk.user) => Err(AppError::Forbidden),
        Err(err) => Err(err),
    };
    match created {
        Ok(created) => {
            let once = Once::webhook_secret(created.webhook_secret);
            let shown = partner::Shown {
                once: Some(once),
                notice: Some("The partner was created."),
                ..Default::default()
            };
            partner::page(&state, &desk, &created.partner, shown, StatusCode::CREATED).await
        }
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let new_partner = partner::PartnerForm {
                errors: refusal.errors,
                problem: refusal.problem,
                ..sent
            };
            page(
                &state,
                &desk,
                Filters::default(),
                new_partner,
                refusal.status,
            )
            .await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/partners")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    );
}
