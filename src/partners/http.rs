//! `/api/v1/partners` and `/api/v1/partners/{id}/keys` (admins).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::{self, NewPartner, PartnerChanges};
use super::{ApiKeyInfo, CreatedPartner, NewApiKey, Partner, Usage};
use crate::auth::CurrentUser;
use crate::domain::{
    id_list, limit, patch_field, required_text, Cursor, Page, Role, WebUrl, MAX_ID_LIST,
};
use crate::error::{AppError, Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;
use crate::webhooks::signature::parse_secret;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartner {
    pub name: String,
    /// Outlets the partner may pull; empty or absent means all.
    #[serde(default)]
    pub outlet_ids: Vec<Uuid>,
    /// Sections the partner may pull; empty or absent means all.
    #[serde(default)]
    pub section_ids: Vec<Uuid>,
    pub webhook_url: Option<String>,
    /// 16-200 characters; generated when absent. Returned once.
    pub webhook_secret: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl TryFrom<CreatePartner> for NewPartner {
    type Error = AppError;
    fn try_from(b: CreatePartner) -> Result<Self> {
        let webhook_secret = b
            .webhook_secret
            .map(|s| parse_secret("webhook_secret", s))
            .transpose()?;
        Ok(NewPartner {
            name: required_text("name", &b.name, 200)?,
            outlet_ids: id_list("outlet_ids", b.outlet_ids, MAX_ID_LIST)?,
            section_ids: id_list("section_ids", b.section_ids, MAX_ID_LIST)?,
            webhook_url: b
                .webhook_url
                .as_deref()
                .map(|u| WebUrl::parse("webhook_url", u).map(|u| u.as_str().to_owned()))
                .transpose()?,
            webhook_secret,
            active: b.active,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePartner {
    pub name: Option<String>,
    pub outlet_ids: Option<Vec<Uuid>>,
    pub section_ids: Option<Vec<Uuid>>,
    /// `null` removes the webhook.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub webhook_url: Option<Option<String>>,
    /// `false` stops every key of the partner at once.
    pub active: Option<bool>,
}

impl TryFrom<UpdatePartner> for PartnerChanges {
    type Error = AppError;
    fn try_from(b: UpdatePartner) -> Result<Self> {
        Ok(PartnerChanges {
            name: b
                .name
                .as_deref()
                .map(|n| required_text("name", n, 200))
                .transpose()?,
            outlet_ids: b
                .outlet_ids
                .map(|ids| id_list("outlet_ids", ids, MAX_ID_LIST))
                .transpose()?,
            section_ids: b
                .section_ids
                .map(|ids| id_list("section_ids", ids, MAX_ID_LIST))
                .transpose()?,
            webhook_url: b
                .webhook_url
                .map(|u| {
                    u.as_deref()
                        .map(|u| WebUrl::parse("webhook_url", u).map(|u| u.as_str().to_owned()))
                        .transpose()
                })
                .transpose()?,
            active: b.active,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartnerQuery {
    /// Matches part of the name.
    pub q: Option<String>,
    pub active: Option<bool>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KeyQuery {
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    /// When the key stops working; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Lists partners (admins).
#[utoipa::path(get, operation_id = "partners_list", path = "/api/v1/partners", tag = "partners", params(PartnerQuery),
    responses((status = 200, body = Page<Partner>), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PartnerQuery>,
) -> Result<HttpResponse> {
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(
        service::list(
            &state,
            &user,
            query.q.as_deref(),
            query.active,
            after,
            limit,
        )
        .await?,
    ))
}

/// Creates a partner; the answer carries its webhook secret, shown this once.
#[utoipa::path(post, operation_id = "partners_create", path = "/api/v1/partners", tag = "partners", request_body = CreatePartner,
    responses((status = 201, body = CreatedPartner), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreatePartner>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    Ok(HttpResponse::Created()
        .insert_header(crate::http_cache::NO_STORE)
        .json(service::create(&state, &user, body.into_inner().try_into()?).await?))
}

/// Reads a partner.
#[utoipa::path(get, operation_id = "partners_read", path = "/api/v1/partners/{id}", tag = "partners",
    responses((status = 200, body = Partner), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &user, id.into_inner()).await?))
}

/// Changes a partner's name, entitlements, webhook URL or active flag.
#[utoipa::path(patch, operation_id = "partners_update", path = "/api/v1/partners/{id}", tag = "partners", request_body = UpdatePartner,
    responses((status = 200, body = Partner), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdatePartner>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = body.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::update(&state, &user, id.into_inner(), changes).await?))
}

/// Deactivates a partner: every key stops working at once. Partners are kept for the usage
/// history.
#[utoipa::path(delete, operation_id = "partners_deactivate", path = "/api/v1/partners/{id}", tag = "partners",
    responses((status = 200, body = Partner), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn deactivate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = PartnerChanges {
        active: Some(false),
        ..Default::default()
    };
    Ok(HttpResponse::Ok().json(service::update(&state, &user, id.into_inner(), changes).await?))
}

/// Lists a partner's keys (prefixes only), newest first.
#[utoipa::path(get, operation_id = "partners_keys", path = "/api/v1/partners/{id}/keys", tag = "partners", params(KeyQuery),
    responses((status = 200, body = Page<ApiKeyInfo>), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn keys(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    query: web::Query<KeyQuery>,
) -> Result<HttpResponse> {
    let limit = limit(query.limit)?;
    let before = Cursor::decode::<Uuid>(query.cursor.as_deref())?;
    let page = service::keys(&state, &user, id.into_inner(), before, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates an API key: `{id, key, prefix, expires_at}`; the key is shown this once.
#[utoipa::path(post, operation_id = "partners_create_key", path = "/api/v1/partners/{id}/keys", tag = "partners", request_body = CreateKey,
    responses((status = 201, body = NewApiKey), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_key(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateKey>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    Ok(HttpResponse::Created()
        .insert_header(crate::http_cache::NO_STORE)
        .json(service::create_key(&state, &user, id.into_inner(), body.expires_at).await?))
}

/// Revokes a key; it stops working on the next request.
#[utoipa::path(delete, operation_id = "partners_revoke_key", path = "/api/v1/partners/{id}/keys/{key_id}", tag = "partners",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn revoke_key(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse> {
    let (partner, key) = path.into_inner();
    service::revoke_key(&state, &user, partner, key).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// First day (UTC, `YYYY-MM-DD`); default 29 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day (UTC, inclusive); default today.
    pub to: Option<NaiveDate>,
}

/// Stories the partner's keys fetched, per outlet and day, and their requests per day
/// (every request with a valid key within its rate limit, whatever it answered).
#[utoipa::path(get, operation_id = "partners_usage", path = "/api/v1/partners/{id}/usage", tag = "partners", params(UsageQuery),
    responses((status = 200, body = Usage), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn usage(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse> {
    let report = service::usage(&state, &user, id.into_inner(), query.from, query.to).await?;
    Ok(HttpResponse::Ok().json(report))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/partners")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/partners/{id}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(deactivate)),
    )
    .service(
        web::resource("/partners/{id}/keys")
            .route(web::get().to(keys))
            .route(web::post().to(create_key)),
    )
    .service(web::resource("/partners/{id}/keys/{key_id}").route(web::delete().to(revoke_key)))
    .service(web::resource("/partners/{id}/usage").route(web::get().to(usage)));
}
