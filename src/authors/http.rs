//! `/api/v1/authors`: list, create, read (by id or slug), update, delete.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::{self, AuthorChanges, NewAuthor};
use super::store::ListFilter;
use super::Author;
use crate::auth::CurrentUser;
use crate::domain::{
    limit, optional_text, patch_field, required_text, Cursor, Key, Page, Role, Slug,
};
use crate::error::{AppError, Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;

const BIO_MAX: usize = 5000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAuthor {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub name: String,
    /// The "About the Author" note.
    pub bio: Option<String>,
    /// Required for editors (one of their outlets).
    pub outlet_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
}

impl TryFrom<CreateAuthor> for NewAuthor {
    type Error = AppError;
    fn try_from(b: CreateAuthor) -> Result<Self> {
        let name = required_text("name", &b.name, 200)?;
        Ok(NewAuthor {
            slug: match &b.slug {
                Some(slug) => Slug::parse("slug", slug)?,
                None => Slug::from_name("slug", &name)?,
            },
            name,
            bio: optional_text("bio", b.bio.as_deref(), BIO_MAX)?,
            outlet_id: b.outlet_id,
            user_id: b.user_id,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAuthor {
    pub slug: Option<String>,
    pub name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    /// `null` makes the author alliance-wide (admins only).
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub outlet_id: Option<Option<Uuid>>,
    /// `null` unlinks the staff account.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub user_id: Option<Option<Uuid>>,
}

impl TryFrom<UpdateAuthor> for AuthorChanges {
    type Error = AppError;
    fn try_from(b: UpdateAuthor) -> Result<Self> {
        Ok(AuthorChanges {
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
            bio: b
                .bio
                .map(|d| optional_text("bio", d.as_deref(), BIO_MAX))
                .transpose()?,
            outlet_id: b.outlet_id,
            user_id: b.user_id,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuthorQuery {
    /// Matches part of the name.
    pub q: Option<String>,
    pub outlet_id: Option<Uuid>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// Lists authors by slug.
#[utoipa::path(get, operation_id = "authors_list", path = "/api/v1/authors", tag = "catalogue", params(AuthorQuery),
    responses((status = 200, body = Page<Author>)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<AuthorQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<String>(query.cursor.as_deref())?;
    let filter = ListFilter {
        q: query.q,
        outlet_id: query.outlet_id,
    };
    Ok(HttpResponse::Ok().json(service::list(&state, &filter, after, limit).await?))
}

/// Creates an author (editors for their outlets, admins for any).
#[utoipa::path(post, operation_id = "authors_create", path = "/api/v1/authors", tag = "catalogue", request_body = CreateAuthor,
    responses((status = 201, body = Author), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateAuthor>,
) -> Result<HttpResponse> {
    user.require(Role::Editor)?;
    let author = service::create(&state, &user, body.into_inner().try_into()?).await?;
    Ok(HttpResponse::Created().json(author))
}

/// Reads an author by id or slug.
#[utoipa::path(get, operation_id = "authors_read", path = "/api/v1/authors/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Author), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    _user: CurrentUser,
    key: web::Path<String>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &Key::parse(&key)).await?))
}

/// Changes an author (editors of the author's outlet, admins).
#[utoipa::path(patch, operation_id = "authors_update", path = "/api/v1/authors/{key}", tag = "catalogue", request_body = UpdateAuthor,
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Author), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
    body: Json<UpdateAuthor>,
) -> Result<HttpResponse> {
    user.require(Role::Editor)?;
    let changes = body.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::update(&state, &user, &Key::parse(&key), changes).await?))
}

/// Deletes an author no article names (editors of the author's outlet, admins).
#[utoipa::path(delete, operation_id = "authors_delete", path = "/api/v1/authors/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)), security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
) -> Result<HttpResponse> {
    user.require(Role::Editor)?;
    service::delete(&state, &user, &Key::parse(&key)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/authors")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/authors/{key}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    );
}
