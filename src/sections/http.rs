//! `/api/v1/sections`: list, create, read (by id or slug), update, delete.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::{self, NewSection, SectionChanges};
use super::store::ListFilter;
use super::Section;
use crate::auth::CurrentUser;
use crate::domain::{
    limit, optional_text, patch_field, required_text, Cursor, Key, Page, Role, Slug,
};
use crate::error::{AppError, Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSection {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
}

impl TryFrom<CreateSection> for NewSection {
    type Error = AppError;
    fn try_from(b: CreateSection) -> Result<Self> {
        let name = required_text("name", &b.name, 200)?;
        Ok(NewSection {
            slug: match &b.slug {
                Some(slug) => Slug::parse("slug", slug)?,
                None => Slug::from_name("slug", &name)?,
            },
            name,
            description: optional_text("description", b.description.as_deref(), 5000)?,
            parent_id: b.parent_id,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSection {
    pub slug: Option<String>,
    pub name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `null` makes it a top-level section.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<Option<Uuid>>,
}

impl TryFrom<UpdateSection> for SectionChanges {
    type Error = AppError;
    fn try_from(b: UpdateSection) -> Result<Self> {
        Ok(SectionChanges {
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
            parent_id: b.parent_id,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SectionQuery {
    /// Matches part of the name.
    pub q: Option<String>,
    /// Only the direct children of this section.
    pub parent_id: Option<Uuid>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// Lists sections by slug.
#[utoipa::path(get, operation_id = "sections_list", path = "/api/v1/sections", tag = "catalogue", params(SectionQuery),
    responses((status = 200, body = Page<Section>)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<SectionQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<String>(query.cursor.as_deref())?;
    let filter = ListFilter {
        q: query.q,
        parent_id: query.parent_id,
    };
    Ok(HttpResponse::Ok().json(service::list(&state, &filter, after, limit).await?))
}

/// Creates a section (admins).
#[utoipa::path(post, operation_id = "sections_create", path = "/api/v1/sections", tag = "catalogue", request_body = CreateSection,
    responses((status = 201, body = Section), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateSection>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let section = service::create(&state, &user, body.into_inner().try_into()?).await?;
    Ok(HttpResponse::Created().json(section))
}

/// Reads a section by id or slug.
#[utoipa::path(get, operation_id = "sections_read", path = "/api/v1/sections/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Section), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    _user: CurrentUser,
    key: web::Path<String>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &Key::parse(&key)).await?))
}

/// Changes a section (admins).
#[utoipa::path(patch, operation_id = "sections_update", path = "/api/v1/sections/{key}", tag = "catalogue", request_body = UpdateSection,
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Section), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
    body: Json<UpdateSection>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = body.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::update(&state, &user, &Key::parse(&key), changes).await?))
}

/// Deletes an unused section (admins); 409 while sub-sections or articles refer to it.
#[utoipa::path(delete, operation_id = "sections_delete", path = "/api/v1/sections/{key}", tag = "catalogue",
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
        web::resource("/sections")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/sections/{key}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    );
}
