//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/me`.

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{self, LoginMeta};
use super::CurrentUser;
use crate::error::{AppError, Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;
use crate::telemetry::RequestId;
use crate::users::{self, User};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; shown only here.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// Signs in with email and password.
#[utoipa::path(post, operation_id = "auth_login", path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
        (status = 401, description = "Wrong email or password", body = Problem),
        (status = 429, description = "Too many attempts for this account, or from this address, or too many logins on this instance for its password-hashing budget; see Retry-After", body = Problem),
        (status = 503, description = "Every password-hashing slot is busy; see Retry-After", body = Problem)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    if body.password.len() > 4096 {
        return Err(AppError::Unauthorized);
    }
    let meta = LoginMeta {
        ip: crate::client::ip(&req, state.config.trust_forwarded).map(|ip| ip.to_string()),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(512).collect()),
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
    };
    let outcome = service::login(&state, &body.email, body.password, meta).await?;
    Ok(HttpResponse::Ok()
        .insert_header(crate::http_cache::NO_STORE)
        .json(LoginResponse {
            token: outcome.token,
            expires_at: outcome.expires_at,
            user: outcome.user,
        }))
}

/// Ends the current session; its token stops working at once.
#[utoipa::path(post, operation_id = "auth_logout", path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn logout(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse> {
    service::logout(&state, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(get, operation_id = "auth_me", path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = User), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse> {
    let me = users::store::get(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(HttpResponse::Ok().json(me))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/login").route(web::post().to(login)))
        .service(web::resource("/auth/logout").route(web::post().to(logout)))
        .service(web::resource("/me").route(web::get().to(me)));
}
