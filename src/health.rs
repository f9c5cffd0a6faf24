//! `GET /health/live` (the process answers) and `GET /health/ready` (the database answers).

use std::time::Duration;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use sqlx::{Connection, PgConnection, PgPool};
use utoipa::ToSchema;

use crate::error::{AppError, Problem, Result};
use crate::state::AppState;

/// A check that passed.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Ok,
}

/// `GET /health/live`: the process answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Live {
    pub status: Check,
}

/// `GET /health/ready`: the process and its database answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    pub status: Check,
    pub database: Check,
}

/// Always 200 while the process serves requests.
#[utoipa::path(get, operation_id = "health_live", path = "/health/live", tag = "operations",
    responses((status = 200, body = Live)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Live { status: Check::Ok })
}

/// 200 when the database (and the read replica, if there is one) answers within 2 s, 503
/// otherwise.
#[utoipa::path(get, operation_id = "health_ready", path = "/health/ready", tag = "operations",
    responses((status = 200, body = Ready), (status = 503, body = Problem)))]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse> {
    let check = async { answers(&state.db).await && answers(state.read_db.pool()).await };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(true) => Ok(HttpResponse::Ok().json(Ready {
            status: Check::Ok,
            database: Check::Ok,
        })),
        _ => Err(AppError::Unavailable),
    }
}

/// Whether `select 1` succeeds: on an idle pooled connection, or, when none is idle and the
/// pool has room, on a connection of its own. The pool retries a refused connection until its
/// acquire timeout; a probe must not, because a refused connection already means "not
/// ready". Only a pool that is full and busy is waited for.
async fn answers(db: &PgPool) -> bool {
    if let Some(mut conn) = db.try_acquire() {
        return sqlx::query("select 1").execute(&mut *conn).await.is_ok();
    }
    if db.size() < db.options().get_max_connections() {
        let Ok(mut conn) = PgConnection::connect_with(&db.connect_options()).await else {
            return false;
        };
        let answered = sqlx::query("select 1").execute(&mut conn).await.is_ok();
        let _ = conn.close().await;
        return answered;
    }
    sqlx::query("select 1").execute(db).await.is_ok()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health/live").route(web::get().to(live)))
        .service(web::resource("/health/ready").route(web::get().to(ready)));
}
