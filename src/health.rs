//! `GET /health/live` (the process answers) and `GET /health/ready` (the database answers).

use std::time::Duration;

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::error::{AppError, Problem, Result};
use crate::state::AppState;

/// Always 200 while the process serves requests.
#[utoipa::path(get, operation_id = "health_live", path = "/health/live", tag = "operations", responses((status = 200)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 when the database (and the read replica, if there is one) answers within 2 s, 503
/// otherwise.
#[utoipa::path(get, operation_id = "health_ready", path = "/health/ready", tag = "operations",
    responses((status = 200), (status = 503, body = Problem)))]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse> {
    let check = async {
        sqlx::query("select 1").execute(&state.db).await?;
        sqlx::query("select 1").execute(&state.read_db).await
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(_)) => Ok(HttpResponse::Ok().json(json!({"status": "ok", "database": "ok"}))),
        _ => Err(AppError::Unavailable),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health/live").route(web::get().to(live)))
        .service(web::resource("/health/ready").route(web::get().to(ready)));
}
