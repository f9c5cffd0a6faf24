//! The webhook admin API under `/api/v1/partners/{id}`: deliveries with their attempts,
//! replay, pausing webhooks by hand and resuming paused ones, and rotating the webhook secret.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::RotatedSecret;
use super::signature::parse_secret;
use super::{service, Delivery, DeliveryDetail};
use crate::auth::CurrentUser;
use crate::domain::{limit, Cursor, Page, Role};
use crate::error::{Problem, Result};
use crate::partners::Partner;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `failed`.
    #[param(value_type = Option<super::DeliveryStatus>)]
    pub status: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// A partner's webhook deliveries, newest first.
#[utoipa::path(get, operation_id = "webhook_deliveries_list", path = "/api/v1/partners/{id}/deliveries", tag = "partners",
    params(DeliveryQuery),
    responses((status = 200, body = Page<Delivery>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse> {
    let limit = limit(query.limit)?;
    let before = Cursor::decode::<Uuid>(query.cursor.as_deref())?;
    let page = service::list(
        &state,
        &user,
        id.into_inner(),
        query.status.as_deref(),
        before,
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One delivery with every attempt.
#[utoipa::path(get, operation_id = "webhook_deliveries_read", path = "/api/v1/partners/{id}/deliveries/{delivery_id}", tag = "partners",
    responses((status = 200, body = DeliveryDetail), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse> {
    let (partner, id) = path.into_inner();
    Ok(HttpResponse::Ok().json(service::get(&state, &user, partner, id).await?))
}

/// Sends a delivery again (same event id), due now, with a fresh 24-hour retry window.
#[utoipa::path(post, operation_id = "webhook_deliveries_replay", path = "/api/v1/partners/{id}/deliveries/{delivery_id}/replay", tag = "partners",
    responses((status = 202, body = Delivery), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn replay(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse> {
    let (partner, id) = path.into_inner();
    Ok(HttpResponse::Accepted().json(service::replay(&state, &user, partner, id).await?))
}

/// A pause by hand of a partner's webhooks.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseWebhooks {
    /// Why, at most 200 characters, one line; `paused by <your email>` when absent or blank.
    pub reason: Option<String>,
}

/// Pauses a partner's webhooks by hand: nothing is sent to it until a resume; its deliveries
/// wait and new events queue up. A 409 when they are paused already (by hand or after
/// failures): nothing changes, the standing reason is kept.
#[utoipa::path(post, operation_id = "partners_pause_webhooks", path = "/api/v1/partners/{id}/webhooks/pause", tag = "partners",
    request_body = PauseWebhooks,
    responses((status = 200, body = Partner), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn pause(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<PauseWebhooks>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    let partner = service::pause(&state, &user, id.into_inner(), body.reason.as_deref()).await?;
    Ok(HttpResponse::Ok().json(partner))
}

/// Resumes a partner's paused webhooks; waiting deliveries are sent at once.
#[utoipa::path(post, operation_id = "partners_resume_webhooks", path = "/api/v1/partners/{id}/webhooks/resume", tag = "partners",
    responses((status = 200, body = Partner), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn resume(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::resume(&state, &user, id.into_inner()).await?))
}

/// A rotation of a partner's webhook secret.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateSecret {
    /// The new secret, 16-200 characters; generated when absent. Returned once.
    pub webhook_secret: Option<String>,
    /// How long the previous secret keeps signing too, 0 to 168 hours; 24 when absent.
    #[schema(minimum = 0, maximum = 168)]
    pub overlap_hours: Option<u32>,
}

/// Rotates the partner's webhook secret: the new one is shown this once, and the previous one
/// keeps signing (a second `v1=` in `X-Newsroom-Signature`) for the overlap.
#[utoipa::path(post, operation_id = "partners_rotate_webhook_secret", path = "/api/v1/partners/{id}/webhooks/rotate-secret", tag = "partners",
    request_body = RotateSecret,
    responses((status = 200, body = RotatedSecret, headers(("Cache-Control" = String, description = "`no-store`: the answer holds a secret"))),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: crate::json_body::Json<RotateSecret>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let body = body.into_inner();
    let secret = body
        .webhook_secret
        .map(|s| parse_secret("webhook_secret", s))
        .transpose()?;
    let overlap = body.overlap_hours.unwrap_or(24);
    let rotated = service::rotate_secret(&state, &user, id.into_inner(), secret, overlap).await?;
    Ok(HttpResponse::Ok()
        .insert_header(crate::http_cache::NO_STORE)
        .json(rotated))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/partners/{id}/deliveries").route(web::get().to(list)))
        .service(
            web::resource("/partners/{id}/deliveries/{delivery_id}").route(web::get().to(read)),
        )
        .service(
            web::resource("/partners/{id}/deliveries/{delivery_id}/replay")
                .route(web::post().to(replay)),
        )
        .service(web::resource("/partners/{id}/webhooks/pause").route(web::post().to(pause)))
        .service(web::resource("/partners/{id}/webhooks/resume").route(web::post().to(resume)))
        .service(
            web::resource("/partners/{id}/webhooks/rotate-secret")
                .route(web::post().to(rotate_secret)),
        );
}
