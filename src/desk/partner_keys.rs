//! A partner's credentials, from its page: a new API key (`partners::service::create_key`,
//! with an optional expiry day), revoking one after a confirm step
//! (`partners::service::revoke_key`), and a new webhook secret
//! (`webhooks::service::rotate_secret`, the previous one signing for an overlap). A key or
//! secret just made is shown on the answer to the form that made it, and on no other page:
//! newsroom keeps only a key's digest, and no page reads the secret back.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use uuid::Uuid;

use super::form_refusal::Refusal;
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::partner::{self, KeyForm, Once, RotationForm, Shown};
use super::partner_refusals::{self, refused};
use super::session::Desk;
use crate::error::AppError;
use crate::partners::service;
use crate::state::AppState;
use crate::webhooks::service as webhooks;

/// The expiry a form names: the start (00:00 UTC) of that day; none when blank.
fn expiry(raw: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .map(|at| Some(at.and_utc()))
            .ok_or_else(|| AppError::field("expires_at", "is not a date (YYYY-MM-DD)")),
    }
}

/// Makes a key and answers with the partner's page showing it, this once.
async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    // Read first: one who may not see partners gets a 403, not a form message.
    let partner = partner_refusals::partner(&state, &desk, id).await?;
    let sent = KeyForm {
        expires_on: form.get("expires_on").unwrap_or_default().to_owned(),
        ..KeyForm::default()
    };
    let made = match expiry(&sent.expires_on) {
        Ok(expires_at) => service::create_key(&state, &desk.user, id, expires_at).await,
        Err(err) => Err(err),
    };
    let shown = match made {
        Ok(key) => Shown {
            once: Some(Once::api_key(key.key, key.expires_at)),
            notice: Some("The key was created."),
            ..Shown::default()
        },
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let shown = Shown {
                key_form: KeyForm {
                    errors: refusal.errors,
                    ..sent
                },
                ..Shown::default()
            };
            return partner::page(&state, &desk, &partner, shown, refusal.status).await;
        }
    };
    partner::page(&state, &desk, &partner, shown, StatusCode::CREATED).await
}

/// The confirm step before revoking: which key, what happens, and the form that does it.
async fn confirm(
    state: web::Data<AppState>,
    desk: Desk,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, DeskError> {
    let (id, key_id) = path.into_inner();
    let partner = partner_refusals::partner(&state, &desk, id).await?;
    let key = service::key(&state, &desk.user, id, key_id)
        .await
        .map_err(refused)?;
    render(
        StatusCode::OK,
        "desk/partner_key_revoke.html",
        context! {
            title => format!("Revoke the key {}…", key.prefix), me => Me::from(&desk),
            id, name => partner.name, key_id, prefix => key.prefix,
            revoked => key.revoked_at.map(when),
            last_used => key.last_used_at.map(when),
        },
    )
}

async fn revoke(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let (id, key_id) = path.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    service::revoke_key(&state, &desk.user, id, key_id)
        .await
        .map_err(refused)?;
    Ok(redirect(&format!("/admin/partners/{id}?revoked")))
}

/// Gives the partner a new webhook secret and answers with its page showing it, this once.
async fn rotate(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let partner = partner_refusals::partner(&state, &desk, id).await?;
    let sent = RotationForm {
        overlap_hours: form.get("overlap_hours").unwrap_or_default().to_owned(),
        ..RotationForm::default()
    };
    let rotated = match sent.overlap_hours.trim().parse::<u32>() {
        Ok(hours) => webhooks::rotate_secret(&state, &desk.user, id, None, hours).await,
        Err(_) => Err(AppError::field(
            "overlap_hours",
            format!("must be 0 to {}", webhooks::MAX_OVERLAP_HOURS),
        )),
    };
    match rotated {
        Ok(rotated) => {
            let mut once = Once::webhook_secret(rotated.webhook_secret);
            once.note = match rotated.previous_secret_valid_until {
                Some(until) => format!(
                    "{} The previous secret signs too until {}.",
                    once.note,
                    when(until)
                ),
                None => format!("{} The previous secret no longer signs.", once.note),
            };
            let shown = Shown {
                once: Some(once),
                notice: Some("The webhook secret was rotated."),
                ..Shown::default()
            };
            partner::page(&state, &desk, &partner, shown, StatusCode::OK).await
        }
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let shown = Shown {
                rotation: RotationForm {
                    errors: refusal.errors,
                    ..sent
                },
                ..Shown::default()
            };
            partner::page(&state, &desk, &partner, shown, refusal.status).await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/partners/{id}/keys").route(web::post().to(create)))
        .service(
            web::resource("/admin/partners/{id}/keys/{key_id}/revoke")
                .route(web::get().to(confirm))
                .route(web::post().to(revoke)),
        )
        .service(
            web::resource("/admin/partners/{id}/webhook-secret").route(web::post().to(rotate)),
        );
}
