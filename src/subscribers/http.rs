//! `/api/v1/subscribers` (admins): list, read with the ledger, GDPR export, erasure.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::csv_import::{ImportReport, Run};
use super::service::{self, Query};
use super::{Subscriber, SubscriberDetail};

use crate::auth::CurrentUser;
use crate::domain::{limit, Cursor, Page};
use crate::error::{Problem, Result};
use crate::state::AppState;
use crate::subscriptions::SubscriptionStatus;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubscriberQuery {
    /// Only subscribers of this newsletter (slug or id).
    pub newsletter: Option<String>,
    /// Only subscriptions in this state.
    pub status: Option<SubscriptionStatus>,
    /// Matches the start of the address or of the name.
    pub q: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Report what the import would do, and keep nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Lists subscribers, newest first (admins).
#[utoipa::path(get, operation_id = "subscribers_list", path = "/api/v1/subscribers", tag = "newsletters", params(SubscriberQuery),
    responses((status = 200, body = Page<Subscriber>), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<SubscriberQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let limit = limit(query.limit)?;
    let before = Cursor::decode::<Uuid>(query.cursor.as_deref())?;
    let filter = Query {
        newsletter: query.newsletter,
        status: query.status,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(service::list(&state, &user, filter, before, limit).await?))
}

/// Reads a subscriber with the consent ledger (admins).
#[utoipa::path(get, operation_id = "subscribers_read", path = "/api/v1/subscribers/{id}", tag = "newsletters",
    responses((status = 200, body = SubscriberDetail), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &user, id.into_inner()).await?))
}

/// Everything newsroom holds about a subscriber, as a JSON download (GDPR access request).
#[utoipa::path(get, operation_id = "subscribers_export", path = "/api/v1/subscribers/{id}/export", tag = "newsletters",
    responses((status = 200, body = SubscriberDetail), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let id = id.into_inner();
    let detail = service::get(&state, &user, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"subscriber-{id}.json\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(detail))
}

/// Erases a subscriber (GDPR): personal data removed, the address kept only as a
/// suppression hash, `erased` added to the ledger (admins).
#[utoipa::path(delete, operation_id = "subscribers_erase", path = "/api/v1/subscribers/{id}", tag = "newsletters",
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn erase(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    service::erase(&state, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every subscription as CSV, streamed (admins).
#[utoipa::path(get, operation_id = "subscribers_export_csv", path = "/api/v1/subscribers/export.csv", tag = "newsletters",
    responses((status = 200, description = "CSV, one row per subscription", content_type = "text/csv"), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn export_csv(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse> {
    let csv = service::export_csv(&state, &user)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"subscribers.csv\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(csv))
}

/// Imports subscribers from CSV (`email, name, newsletter, consent_time, consent_source`),
/// answering a report line per row (admins). At most 100,000 rows and 20 MiB. With
/// `?dry_run=true` the report says what the import would do, and nothing is kept.
#[utoipa::path(post, operation_id = "subscribers_import", path = "/api/v1/subscribers/import", tag = "newsletters",
    params(ImportQuery), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn import(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse> {
    let run = if query.dry_run { Run::Dry } else { Run::Real };
    let report = service::import(&state, &user, &body, run).await?;
    Ok(HttpResponse::Ok().json(report))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Before `/subscribers/{id}`, which would take `export.csv` for an id.
    cfg.service(web::resource("/subscribers/export.csv").route(web::get().to(export_csv)))
        .service(
            web::resource("/subscribers/import")
                .app_data(web::PayloadConfig::new(super::csv_import::MAX_BYTES))
                .route(web::post().to(import)),
        )
        .service(web::resource("/subscribers").route(web::get().to(list)))
        .service(
            web::resource("/subscribers/{id}")
                .route(web::get().to(read))
                .route(web::delete().to(erase)),
        )
        .service(web::resource("/subscribers/{id}/export").route(web::get().to(export)));
}
