//! `GET /api/v1/audit`: the audit log, for admins.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::store;
use crate::auth::CurrentUser;
use crate::domain::{limit, Cursor, Page, Role};
use crate::error::Result;
use crate::state::AppState;

#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    /// The staff user who made the change; null for the command line or a deleted user.
    pub actor_id: Option<Uuid>,
    /// The actor's email at the time, or `cli`.
    pub actor_label: String,
    /// `<entity>.<verb>`: `outlet.create`, `user.deactivate`, `auth.login`…
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    /// Field -> `{from, to}`.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    pub action: Option<String>,
    /// Entries written at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries written before this time.
    pub to: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The audit log, newest first.
#[utoipa::path(get, operation_id = "audit_list", path = "/api/v1/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<AuditFilter>,
) -> Result<HttpResponse> {
    user.require(Role::Admin)?;
    let limit = limit(filter.limit)?;
    let after = Cursor::decode::<Uuid>(filter.cursor.as_deref())?;
    let rows = store::list(&state.db, &filter, after, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |e| e.id)))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/audit").route(web::get().to(list)));
}
