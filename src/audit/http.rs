//! `GET /api/v1/audit`: the audit log, for admins.

use actix_web::{web, HttpResponse};

use super::{AuditEntry, AuditFilter};
use crate::auth::CurrentUser;
use crate::domain::Page;
use crate::error::Result;
use crate::state::AppState;

/// The audit log, newest first.
#[utoipa::path(get, operation_id = "audit_list", path = "/api/v1/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<AuditFilter>,
) -> Result<HttpResponse> {
    Ok(HttpResponse::Ok().json(super::list(&state, &user, &filter).await?))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/audit").route(web::get().to(list)));
}
