//! The subscribers screen, `/admin/subscribers`: readers found by the start of their address
//! or name, filtered by newsletter and by the state of a subscription
//! (`subscribers::service::list`, keyset by id, newest first), with links to the import and
//! to the CSV export of every subscription (`/admin/subscribers/export.csv`, the service's
//! own export). The service says who may (admins); the desk only shows its answers.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::page::{render, when, DeskError, Me};
use super::session::Desk;
use crate::domain::Cursor;
use crate::error::{AppError, FieldErrors};
use crate::newsletters;
use crate::state::AppState;
use crate::subscribers::service::{self, Query};
use crate::subscribers::Subscriber;
use crate::subscriptions::SubscriptionStatus;

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// Newsletters offered in the filter (the alliance has a handful).
const NEWSLETTERS: i64 = 100;

/// A 403 said as these screens' sentence (the desk's default speaks of stories).
pub(super) fn refused(err: AppError) -> DeskError {
    match err {
        AppError::Forbidden => {
            AppError::ForbiddenBecause("You may not see or change subscribers.").into()
        }
        err => err.into(),
    }
}

/// The list's filters as the form sends them (blank means any).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    q: String,
    /// A newsletter's slug, or blank.
    #[serde(default)]
    newsletter: String,
    /// `pending`, `confirmed`, `unsubscribed` or blank.
    #[serde(default)]
    status: String,
    #[serde(default, skip_serializing)]
    cursor: String,
}

impl Filters {
    fn parse(&self) -> Result<(Query, Option<Uuid>), AppError> {
        let status = match self.status.trim() {
            "" => None,
            "pending" => Some(SubscriptionStatus::Pending),
            "confirmed" => Some(SubscriptionStatus::Confirmed),
            "unsubscribed" => Some(SubscriptionStatus::Unsubscribed),
            _ => return Err(AppError::field("status", "is not one of the choices")),
        };
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let cursor = Some(self.cursor.as_str()).filter(|c| !c.is_empty());
        let before = Cursor::decode::<Uuid>(cursor)?;
        let query = Query {
            newsletter: text(&self.newsletter),
            status,
            q: text(&self.q),
        };
        Ok((query, before))
    }
}

#[derive(Serialize)]
struct Row {
    id: Uuid,
    email: Option<String>,
    name: Option<String>,
    /// "eastern-briefings: confirmed", one per subscription.
    subscriptions: Vec<String>,
    created: String,
    erased: bool,
}

impl Row {
    fn of(s: Subscriber) -> Row {
        Row {
            id: s.id,
            subscriptions: s
                .subscriptions
                .iter()
                .map(|x| format!("{}: {}", x.newsletter, x.status.as_str()))
                .collect(),
            created: when(s.created_at),
            erased: s.erased_at.is_some(),
            email: s.email,
            name: s.name,
        }
    }
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, DeskError> {
    let filters = filters.into_inner();
    let asked = match filters.parse() {
        Ok((query, before)) => service::list(&state, &desk.user, query, before, PAGE_ROWS).await,
        Err(err) => Err(err),
    };
    let (rows, next, filter_errors, status) = match asked {
        Ok(found) => {
            let rows: Vec<Row> = found.items.into_iter().map(Row::of).collect();
            (rows, found.next, FieldErrors::new(), StatusCode::OK)
        }
        // Bad filters: told only to those the service lets see the list.
        Err(AppError::Validation(_)) if !service::may_manage(&desk.user) => {
            return Err(refused(AppError::Forbidden))
        }
        Err(AppError::Validation(errors)) => {
            (Vec::new(), None, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => return Err(refused(err)),
    };
    let newsletters = newsletters::service::list(&state, None, None, NEWSLETTERS)
        .await?
        .items;
    let next_url = next.map(|cursor| {
        let query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        format!("/admin/subscribers?{query}&cursor={cursor}")
    });
    let older = !filters.cursor.is_empty();
    let first_url = format!(
        "/admin/subscribers?{}",
        serde_urlencoded::to_string(&filters).unwrap_or_default()
    );
    render(
        status,
        "desk/subscribers.html",
        context! {
            title => "Subscribers", me => Me::from(&desk), rows, next_url, first_url, older,
            filter_errors, filters, newsletters,
        },
    )
}

/// Every subscription as CSV: the API's export, through the service.
async fn export(state: web::Data<AppState>, desk: Desk) -> Result<HttpResponse, DeskError> {
    let csv = service::export_csv(&state, &desk.user).map_err(refused)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"subscribers.csv\"",
        ))
        .insert_header(crate::http_cache::NO_STORE)
        .streaming(csv))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Before `/admin/subscribers/{id}`, which would take `export.csv` for an id.
    cfg.service(web::resource("/admin/subscribers/export.csv").route(web::get().to(export)))
        .service(web::resource("/admin/subscribers").route(web::get().to(list)));
}
