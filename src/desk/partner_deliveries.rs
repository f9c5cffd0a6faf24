//! A partner's webhook deliveries, `/admin/partners/{id}/deliveries`: the log, newest first
//! (`webhooks::service::list`, 50 a page on its keyset), filtered by state; one delivery with
//! every attempt (`webhooks::service::get`); replaying one
//! (`webhooks::service::replay`: the same event id, a fresh 24-hour window), and resuming
//! webhooks the worker paused after failures in a row (`webhooks::service::resume`), which
//! the partner's pages show as a banner with the reason; and pausing them by hand, with a
//! reason or none (`webhooks::service::pause`: a 409 sentence when paused already).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::form_refusal::Refusal;
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::partner_refusals::{self, refused};
use super::session::Desk;
use crate::domain::Cursor;
use crate::error::{AppError, FieldErrors};
use crate::partners::{self, Partner};
use crate::state::AppState;
use crate::webhooks::service;
use crate::webhooks::{Delivery, DeliveryStatus};

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// Why a partner's webhooks are paused, as the banner says it.
#[derive(Serialize)]
pub(super) struct Paused {
    since: String,
    /// The reason of a pause by hand; none when the worker paused after failures.
    reason: Option<String>,
    failures: i32,
    /// What the newest delivery's last attempt got: an HTTP status or an error.
    last: Option<String>,
}

/// The banner of a paused partner; none when its webhooks are not paused.
pub(super) async fn paused(
    state: &AppState,
    desk: &Desk,
    partner: &Partner,
) -> Result<Option<Paused>, DeskError> {
    let Some(since) = partner.webhooks_paused_at else {
        return Ok(None);
    };
    let newest = service::list(state, &desk.user, partner.id, None, None, 1)
        .await
        .map_err(refused)?;
    Ok(Some(Paused {
        since: when(since),
        reason: partner.webhooks_pause_reason.clone(),
        failures: partner.webhook_failures,
        last: newest.items.first().and_then(last_answer),
    }))
}

/// What the last attempt of a delivery got, in words.
fn last_answer(d: &Delivery) -> Option<String> {
    match (d.last_status, &d.last_error) {
        (Some(status), _) => Some(format!("HTTP {status}")),
        (None, Some(error)) => Some(error.clone()),
        (None, None) => None,
    }
}

/// The filters as the form sends them (blank means any).
#[derive(Debug, Default, Deserialize, Serialize)]
struct Filters {
    #[serde(default)]
    status: String,
    #[serde(default, skip_serializing)]
    cursor: String,
}

#[derive(Serialize)]
struct Row {
    id: Uuid,
    event: String,
    article_id: Uuid,
    headline: Option<String>,
    status: String,
    attempts: i32,
    last: Option<String>,
    /// When the next attempt is due (pending), or when it was delivered.
    next: String,
}

impl Row {
    fn of(d: Delivery, headline: Option<String>, paused: bool) -> Row {
        let next = match d.status.as_str() {
            "pending" if paused => "After the resume".to_owned(),
            "pending" => when(d.next_attempt_at),
            "delivered" => d
                .delivered_at
                .map(|at| format!("Delivered {}", when(at)))
                .unwrap_or_else(|| "Delivered".into()),
            _ => "None: given up".to_owned(),
        };
        Row {
            last: last_answer(&d),
            id: d.id,
            event: d.event_type,
            article_id: d.article_id,
            headline,
            status: d.status,
            attempts: d.attempts,
            next,
        }
    }
}

/// What the page says after a change.
#[derive(Deserialize)]
struct Done {
    replayed: Option<String>,
    resumed: Option<String>,
    paused: Option<String>,
}

impl Done {
    fn notice(&self) -> Option<&'static str> {
        if self.replayed.is_some() {
            Some("Queued again: it is sent with its next batch.")
        } else if self.resumed.is_some() {
            Some("Resumed: the waiting deliveries are sent now.")
        } else if self.paused.is_some() {
            Some("Paused: nothing is sent to this partner until you resume.")
        } else {
            None
        }
    }
}

async fn page(
    state: &AppState,
    desk: &Desk,
    id: Uuid,
    filters: Filters,
    said: (Option<&str>, Option<String>),
    pause: PauseForm,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let partner = partners::get(state, &desk.user, id)
        .await
        .map_err(refused)?;
    let cursor = Some(filters.cursor.as_str()).filter(|c| !c.is_empty());
    let wanted = Some(filters.status.trim()).filter(|s| !s.is_empty());
    let found = match Cursor::decode::<Uuid>(cursor) {
        Ok(before) => service::list(state, &desk.user, id, wanted, before, PAGE_ROWS).await,
        Err(err) => Err(err),
    };
    let (deliveries, next, filter_errors, status) = match found {
        Ok(found) => (found.items, found.next, FieldErrors::new(), status),
        Err(AppError::Validation(errors)) => {
            (Vec::new(), None, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => return Err(refused(err)),
    };
    let mut ids: Vec<Uuid> = deliveries.iter().map(|d| d.article_id).collect();
    ids.sort();
    ids.dedup();
    let headlines: HashMap<Uuid, String> = crate::stories::by_ids(&state.db, &ids)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|s| (s.id, s.headline))
        .collect();
    let is_paused = partner.webhooks_paused_at.is_some();
    let rows: Vec<Row> = deliveries
        .into_iter()
        .map(|d| {
            let headline = headlines.get(&d.article_id).cloned();
            Row::of(d, headline, is_paused)
        })
        .collect();
    let next_url = next.map(|cursor| {
        let query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        format!("/admin/partners/{id}/deliveries?{query}&cursor={cursor}")
    });
    let states: Vec<&str> = DeliveryStatus::ALL.iter().map(|s| s.as_str()).collect();
    let (notice, problem) = said;
    render(
        status,
        "desk/partner_deliveries.html",
        context! {
            title => format!("Webhook deliveries to {}", partner.name), me => Me::from(desk),
            id, name => partner.name.clone(), active => partner.active,
            webhook_url => partner.webhook_url.clone(),
            paused => paused(state, desk, &partner).await?, rows, next_url, filters,
            filter_errors, states, notice, problem, pause,
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    query: web::Query<Filters>,
    done: web::Query<Done>,
) -> Result<HttpResponse, DeskError> {
    let said = (done.notice(), None);
    page(
        &state,
        &desk,
        id.into_inner(),
        query.into_inner(),
        said,
        PauseForm::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Serialize)]
struct AttemptRow {
    at: String,
    duration_ms: i32,
    answer: String,
}

/// One delivery with every attempt, and its replay button.
async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, DeskError> {
    let (id, delivery) = path.into_inner();
    let partner = partner_refusals::partner(&state, &desk, id).await?;
    let detail = service::get(&state, &desk.user, id, delivery)
        .await
        .map_err(refused)?;
    let d = detail.delivery;
    let headline = crate::stories::by_id(&state.db, d.article_id)
        .await
        .map_err(AppError::from)?
        .map(|s| s.headline);
    let attempts: Vec<AttemptRow> = detail
        .attempt_log
        .into_iter()
        .map(|a| AttemptRow {
            at: when(a.attempted_at),
            duration_ms: a.duration_ms,
            answer: match (a.status_code, a.error) {
                (Some(status), _) => format!("HTTP {status}"),
                (None, Some(error)) => error,
                (None, None) => "—".into(),
            },
        })
        .collect();
    let facts = context! {
        event_id => d.event_id, created => when(d.created_at), give_up => when(d.give_up_at),
    };
    let row = Row::of(d, headline, partner.webhooks_paused_at.is_some());
    render(
        StatusCode::OK,
        "desk/partner_delivery.html",
        context! {
            title => format!("{} of {}", row.event, row.headline.clone().unwrap_or_else(|| "a story".into())),
            me => Me::from(&desk), id, name => partner.name, row, facts, attempts,
        },
    )
}

/// Queues a delivery again; a refusal (an inactive partner, no URL) is said above the log.
async fn replay(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let (id, delivery) = path.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    match service::replay(&state, &desk.user, id, delivery).await {
        Ok(_) => Ok(redirect(&format!(
            "/admin/partners/{id}/deliveries?replayed"
        ))),
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let said = (None, refusal.problem);
            let pause = PauseForm::default();
            page(
                &state,
                &desk,
                id,
                Filters::default(),
                said,
                pause,
                refusal.status,
            )
            .await
        }
    }
}

async fn resume(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    service::resume(&state, &desk.user, id)
        .await
        .map_err(refused)?;
    Ok(redirect(&format!(
        "/admin/partners/{id}/deliveries?resumed"
    )))
}

/// The pause form as sent back: what was typed, and its field's message.
#[derive(Default, Serialize)]
struct PauseForm {
    reason: String,
    errors: FieldErrors,
}

/// Pauses the partner's webhooks by hand; a reason too long, or a pause already standing,
/// is said on the page, and nothing changes.
async fn pause(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let reason = form.get("reason").unwrap_or_default().to_owned();
    match service::pause(&state, &desk.user, id, Some(&reason)).await {
        Ok(_) => Ok(redirect(&format!("/admin/partners/{id}/deliveries?paused"))),
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let said = (None, refusal.problem);
            let pause = PauseForm {
                reason,
                errors: refusal.errors,
            };
            page(
                &state,
                &desk,
                id,
                Filters::default(),
                said,
                pause,
                refusal.status,
            )
            .await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/partners/{id}/deliveries").route(web::get().to(list)))
        .service(
            web::resource("/admin/partners/{id}/deliveries/{delivery_id}")
                .route(web::get().to(show)),
        )
        .service(
            web::resource("/admin/partners/{id}/deliveries/{delivery_id}/replay")
                .route(web::post().to(replay)),
        )
        .service(
            web::resource("/admin/partners/{id}/webhooks/resume").route(web::post().to(resume)),
        )
        .service(web::resource("/admin/partners/{id}/webhooks/pause").route(web::post().to(pause)));
}
