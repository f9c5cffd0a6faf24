//! `/api/v1/outlets`: list, create, read (by id or slug), update, delete.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use uuid::Uuid;

use super::look::Colour;
use super::service::{self, NewOutlet, OutletChanges};
use super::store::ListFilter;
use super::Outlet;
use crate::auth::CurrentUser;
use crate::domain::{
    limit, optional_text, patch_field, required_text, CountryCode, Cursor, Key, LanguageTag, Page,
    Role, Slug, WebUrl,
};
use crate::error::{AppError, Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOutlet {
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub name: String,
    /// ISO 3166-1 alpha-2, e.g. `SG`.
    pub country: String,
    /// BCP 47, e.g. `en`, `zh-Hans`.
    pub language: String,
    pub website: Option<String>,
    pub description: Option<String>,
    /// IANA time zone, e.g. `Asia/Singapore`; `UTC` when absent.
    pub timezone: Option<String>,
    /// The colour on the reader site, `#rrggbb`; the text on it is black or white, computed.
    pub colour: Option<String>,
    /// The logo: a picture of this outlet's library (so none yet for a new outlet).
    pub logo_id: Option<Uuid>,
}

/// A time zone name's shape (the service asks PostgreSQL whether it knows it).
fn timezone(raw: Option<&str>) -> Result<Option<String>> {
    raw.map(|tz| required_text("timezone", tz, 64)).transpose()
}

impl TryFrom<CreateOutlet> for NewOutlet {
    type Error = AppError;
    fn try_from(b: CreateOutlet) -> Result<Self> {
        let name = required_text("name", &b.name, 200)?;
        Ok(NewOutlet {
            slug: match &b.slug {
                Some(slug) => Slug::parse("slug", slug)?,
                None => Slug::from_name("slug", &name)?,
            },
            name,
            country: CountryCode::parse("country", &b.country)?,
            language: LanguageTag::parse("language", &b.language)?,
            website: b
                .website
                .as_deref()
                .map(|w| WebUrl::parse("website", w))
                .transpose()?,
            description: optional_text("description", b.description.as_deref(), 5000)?,
            timezone: timezone(b.timezone.as_deref())?,
            colour: b
                .colour
                .as_deref()
                .map(|c| Colour::parse("colour", c))
                .transpose()?,
            logo_id: b.logo_id,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOutlet {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// IANA time zone, e.g. `Asia/Singapore`.
    pub timezone: Option<String>,
    /// `#rrggbb`; `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub colour: Option<Option<String>>,
    /// A picture of this outlet's library; `null` clears it.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub logo_id: Option<Option<Uuid>>,
}

impl TryFrom<UpdateOutlet> for OutletChanges {
    type Error = AppError;
    fn try_from(b: UpdateOutlet) -> Result<Self> {
        Ok(OutletChanges {
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
            country: b
                .country
                .as_deref()
                .map(|c| CountryCode::parse("country", c))
                .transpose()?,
            language: b
                .language
                .as_deref()
                .map(|l| LanguageTag::parse("language", l))
                .transpose()?,
            website: b
                .website
                .map(|w| {
                    w.as_deref()
                        .map(|w| WebUrl::parse("website", w))
                        .transpose()
                })
                .transpose()?,
            description: b
                .description
                .map(|d| optional_text("description", d.as_deref(), 5000))
                .transpose()?,
            timezone: timezone(b.timezone.as_deref())?,
            colour: b
                .colour
                .map(|c| c.as_deref().map(|c| Colour::parse("colour", c)).transpose())
                .transpose()?,
            logo_id: b.logo_id,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutletQuery {
    /// Matches part of the name.
    pub q: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// Lists outlets by slug.
#[utoipa::path(get, operation_id = "outlets_list", path = "/api/v1/outlets", tag = "catalogue", params(OutletQuery),
    responses((status = 200, body = Page<Outlet>)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<OutletQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<String>(query.cursor.as_deref())?;
    let filter = ListFilter {
        q: query.q,
        country: query.country,
        language: query.language,
    };
    Ok(HttpResponse::Ok().json(service::list(&state, &filter, after, limit).await?))
}

/// Creates an outlet (admins).
#[utoipa::path(post, operation_id = "outlets_create", path = "/api/v1/outlets", tag = "catalogue", request_body = CreateOutlet,
    responses((status = 201, body = Outlet), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateOutlet>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let outlet = service::create(&state, &user, body.into_inner().try_into()?).await?;
    Ok(HttpResponse::Created().json(outlet))
}

/// Reads an outlet by id or slug.
#[utoipa::path(get, operation_id = "outlets_read", path = "/api/v1/outlets/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Outlet), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    _user: CurrentUser,
    key: web::Path<String>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &Key::parse(&key)).await?))
}

/// Changes an outlet (admins).
#[utoipa::path(patch, operation_id = "outlets_update", path = "/api/v1/outlets/{key}", tag = "catalogue", request_body = UpdateOutlet,
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Outlet), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
    body: Json<UpdateOutlet>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = body.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::update(&state, &user, &Key::parse(&key), changes).await?))
}

/// Deletes an unused outlet (admins); 409 while anything refers to it.
#[utoipa::path(delete, operation_id = "outlets_delete", path = "/api/v1/outlets/{key}", tag = "catalogue",
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
        web::resource("/outlets")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/outlets/{key}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    );
}
