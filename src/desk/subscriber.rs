//! One subscriber, `/admin/subscribers/{id}`: the address and name, each subscription's state,
//! and the whole consent ledger as a timeline (every event with its time, newsletter, source,
//! policy version, IP and user agent: `subscribers::service::get`). From there: the GDPR
//! export (`/export.json`, the API's export as a download) and erasure, which asks for the
//! address typed out (`service::erase_confirmed` checks it) and answers with a page saying
//! what was done.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::page::{render, when, DeskError, Form, Me};
use super::session::Desk;
use super::subscribers::refused;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::subscribers::{service, ConsentEvent, SubscriberDetail};

#[derive(Serialize)]
struct Event {
    action: String,
    at: String,
    /// For `<time datetime>`.
    iso: String,
    newsletter: Option<String>,
    source: Option<String>,
    policy_version: Option<String>,
    ip: Option<String>,
    user_agent: Option<String>,
}

impl Event {
    fn of(e: ConsentEvent) -> Event {
        Event {
            at: when(e.at),
            iso: e.at.to_rfc3339(),
            action: e.action,
            newsletter: e.newsletter,
            source: e.source,
            policy_version: e.policy_version,
            ip: e.ip,
            user_agent: e.user_agent,
        }
    }
}

#[derive(Serialize)]
struct Subscription {
    newsletter: String,
    status: &'static str,
    policy_version: Option<String>,
    since: String,
    confirmed: Option<String>,
    unsubscribed: Option<String>,
}

async fn detail(state: &AppState, desk: &Desk, id: Uuid) -> Result<SubscriberDetail, DeskError> {
    service::get(state, &desk.user, id).await.map_err(refused)
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    let d = detail(&state, &desk, id.into_inner()).await?;
    let s = d.subscriber;
    let subscriptions: Vec<Subscription> = s
        .subscriptions
        .into_iter()
        .map(|x| Subscription {
            status: x.status.as_str(),
            policy_version: x.policy_version,
            since: when(x.created_at),
            confirmed: x.confirmed_at.map(when),
            unsubscribed: x.unsubscribed_at.map(when),
            newsletter: x.newsletter,
        })
        .collect();
    let ledger: Vec<Event> = d.ledger.into_iter().map(Event::of).collect();
    let title = s
        .email
        .clone()
        .unwrap_or_else(|| "Erased subscriber".into());
    render(
        StatusCode::OK,
        "desk/subscriber.html",
        context! {
            title, me => Me::from(&desk), id => s.id, email => s.email, name => s.name,
            created => when(s.created_at), erased => s.erased_at.map(when), subscriptions,
            ledger,
        },
    )
}

/// Everything newsroom holds about the subscriber, as the API's JSON download.
async fn export(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let d = detail(&state, &desk, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"subscriber-{id}.json\""),
        ))
        .insert_header(crate::http_cache::NO_STORE)
        .json(d))
}

/// The erasure form, with what was typed and what was wrong.
async fn erase_page(
    desk: &Desk,
    d: &SubscriberDetail,
    typed: &str,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let s = &d.subscriber;
    render(
        status,
        "desk/subscriber_erase.html",
        context! {
            title => "Erase a subscriber", me => Me::from(desk), id => s.id,
            email => s.email, erased => s.erased_at.map(when), typed, errors,
            subscriptions => s.subscriptions.len(), events => d.ledger.len(),
        },
    )
}

async fn confirm(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    let d = detail(&state, &desk, id.into_inner()).await?;
    erase_page(&desk, &d, "", FieldErrors::new(), StatusCode::OK).await
}

/// Erases when the address typed is the subscriber's; otherwise the form again, with the
/// service's message, and nothing erased.
async fn erase(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    // Read first: one who may not see subscribers gets the 403 page, not a form message.
    let d = detail(&state, &desk, id).await?;
    let typed = form.get("confirm").unwrap_or_default();
    match service::erase_confirmed(&state, &desk.user, id, typed).await {
        Ok(()) => {
            let was_erased = d.subscriber.erased_at.is_some();
            let after = detail(&state, &desk, id).await?;
            render(
                StatusCode::OK,
                "desk/subscriber_erased.html",
                context! {
                    title => "Subscriber erased", me => Me::from(&desk), id, was_erased,
                    erased => after.subscriber.erased_at.map(when),
                    events => after.ledger.len(),
                },
            )
        }
        Err(AppError::Validation(errors)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            erase_page(&desk, &d, typed, errors, status).await
        }
        Err(err) => Err(refused(err)),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/subscribers/{id}").route(web::get().to(show)))
        .service(web::resource("/admin/subscribers/{id}/export.json").route(web::get().to(export)))
        .service(
            web::resource("/admin/subscribers/{id}/erase")
                .route(web::get().to(confirm))
                .route(web::post().to(erase)),
        );
}
