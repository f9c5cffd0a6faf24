//! `/api/v1/users` (admins) and `PUT /api/v1/me/password` (everyone, for themselves).

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::{self, NewUserInput, UserChanges};
use super::store::ListFilter;
use super::User;
use crate::auth::{CurrentUser, Password};
use crate::domain::{id_list, limit, required_text, Cursor, Email, Page, Role, MAX_ID_LIST};
use crate::error::{Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub outlet_ids: Vec<Uuid>,
    /// 12-128 characters.
    pub password: String,
}

impl TryFrom<CreateUser> for NewUserInput {
    type Error = crate::error::AppError;
    fn try_from(b: CreateUser) -> Result<Self> {
        Ok(NewUserInput {
            email: Email::parse("email", &b.email)?,
            display_name: required_text("display_name", &b.display_name, 200)?,
            role: b.role,
            outlet_ids: id_list("outlet_ids", b.outlet_ids, MAX_ID_LIST)?,
            password: Password::parse("password", b.password)?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// Replaces the user's outlets.
    pub outlet_ids: Option<Vec<Uuid>>,
    /// `false` deactivates the account and ends its sessions.
    pub active: Option<bool>,
}

impl TryFrom<UpdateUser> for UserChanges {
    type Error = crate::error::AppError;
    fn try_from(b: UpdateUser) -> Result<Self> {
        Ok(UserChanges {
            display_name: b
                .display_name
                .map(|n| required_text("display_name", &n, 200))
                .transpose()?,
            role: b.role,
            outlet_ids: b
                .outlet_ids
                .map(|ids| id_list("outlet_ids", ids, MAX_ID_LIST))
                .transpose()?,
            active: b.active,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Matches part of the email or display name.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub outlet_id: Option<Uuid>,
    pub active: Option<bool>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// 12-128 characters.
    pub new_password: String,
}

/// Lists staff accounts by email.
#[utoipa::path(get, operation_id = "users_list", path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = Page<User>), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<UserQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<String>(query.cursor.as_deref())?;
    let filter = ListFilter {
        q: query.q,
        role: query.role,
        outlet_id: query.outlet_id,
        active: query.active,
    };
    Ok(HttpResponse::Ok().json(service::list(&state, &user, &filter, after, limit).await?))
}

/// Creates a staff account (admins).
#[utoipa::path(post, operation_id = "users_create", path = "/api/v1/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = User), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateUser>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let created = service::create(&state, &user, body.into_inner().try_into()?).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Reads one account (admins, or the user themselves).
#[utoipa::path(get, operation_id = "users_read", path = "/api/v1/users/{id}", tag = "users",
    responses((status = 200, body = User), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &user, id.into_inner()).await?))
}

/// Changes name, role, outlets or the active flag (admins).
#[utoipa::path(patch, operation_id = "users_update", path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUser,
    responses((status = 200, body = User), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = body.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::update(&state, &user, id.into_inner(), changes).await?))
}

/// Deactivates an account (admins): it can no longer sign in and its sessions end. Accounts
/// are never deleted, so the audit log keeps naming who did what.
#[utoipa::path(delete, operation_id = "users_deactivate", path = "/api/v1/users/{id}", tag = "users",
    responses((status = 200, body = User), (status = 409, body = Problem)), security(("bearer" = [])))]
pub async fn deactivate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let changes = UserChanges {
        active: Some(false),
        ..Default::default()
    };
    Ok(HttpResponse::Ok().json(service::update(&state, &user, id.into_inner(), changes).await?))
}

/// Changes the caller's password; their other sessions end.
#[utoipa::path(put, operation_id = "users_change_password", path = "/api/v1/me/password", tag = "auth", request_body = ChangePassword,
    responses((status = 204), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<ChangePassword>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    let new = Password::parse("new_password", body.new_password)?;
    service::change_password(&state, &user, body.current_password, new).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/users")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/users/{id}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(deactivate)),
    )
    .service(web::resource("/me/password").route(web::put().to(change_password)));
}
