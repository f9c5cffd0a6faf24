//! `/api/v1/newsletters`: list, create, read (by id or slug), update, delete.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::service::{self, NewNewsletter, NewsletterChanges};
use super::Newsletter;
use crate::auth::CurrentUser;
use crate::domain::{
    limit, optional_text, patch_field, required_text, Cursor, Key, Page, Role, Slug,
};
use crate::error::{AppError, Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNewsletter {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
}

impl TryFrom<CreateNewsletter> for NewNewsletter {
    type Error = AppError;
    fn try_from(b: CreateNewsletter) -> Result<Self> {
        let name = required_text("name", &b.name, 200)?;
        Ok(NewNewsletter {
            slug: match &b.slug {
                Some(slug) => Slug::parse("slug", slug)?,
                None => Slug::from_name("slug", &name)?,
            },
            name,
            description: optional_text("description", b.description.as_deref(), 5000)?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateNewsletter {
    pub slug: Option<String>,
    pub name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

impl TryFrom<UpdateNewsletter> for NewsletterChanges {
    type Error = AppError;
    fn try_from(b: UpdateNewsletter) -> Result<Self> {
        Ok(NewsletterChanges {
            slug: b
                .slug
                .as_deref()
                .map(|s| Slug::parse("slug", s))
                .transpose()?,
            name: b
                .name
                .as_deref()
                .map(|n| required_text("name", n, 200))
                .transpose()?,
            description: b
                .description
                .map(|d| optional_text("description", d.as_deref(), 5000))
                .transpose()?,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewsletterQuery {
    /// Matches part of the name.
    pub q: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// Lists newsletters by slug.
#[utoipa::path(get, operation_id = "newsletters_list", path = "/api/v1/newsletters", tag = "newsletters", params(NewsletterQuery),
    responses((status = 200, body = Page<Newsletter>)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<NewsletterQuery>,
) -> Result<HttpResponse> {
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<String>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(service::list(&state, query.q.as_deref(), after, limit).await?))
}

/// Creates a newsletter (admins).
#[utoipa::path(post, operation_id = "newsletters_create", path = "/api/v1/newsletters", tag = "newsletters", request_body = CreateNewsletter,
    responses((status = 201, body = Newsletter), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateNewsletter>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let newsletter = service::create(&state, &user, body.into_inner().try_into()?).await?;
    Ok(HttpResponse::Created().json(newsletter))
}

/// Reads a newsletter by id or slug.
#[utoipa::path(get, operation_id = "newsletters_read", path = "/api/v1/newsletters/{key}", tag = "newsletters",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Newsletter), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    _user: CurrentUser,
    key: web::Path<String>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &Key::parse(&key)).await?))
}

/// Changes a newsletter (admins).
#[utoipa::path(patch, operation_id = "newsletters_update", path = "/api/v1/newsletters/{key}", tag = "newsletters", request_body = UpdateNewsletter,
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Newsletter), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
    body: Json<UpdateNewsletter>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = body.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::update(&state, &user, &Key::parse(&key), changes).await?))
}

/// Deletes a newsletter without subscriptions (admins); 409 while it has any.
#[utoipa::path(delete, operation_id = "newsletters_delete", path = "/api/v1/newsletters/{key}", tag = "newsletters",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)), security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    service::delete(&state, &user, &Key::parse(&key)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/newsletters")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/newsletters/{key}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    );
}
