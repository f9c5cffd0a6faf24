//! `/api/v1/articles/{id}/revisions`: list, read one, diff two, restore one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::model::ArticleView;
use super::revisions::{self, Revision, RevisionDiff};
use crate::auth::CurrentUser;
use crate::domain::{limit, Cursor, Page};
use crate::error::{Problem, Result};
use crate::state::AppState;
use crate::{db, http_cache};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RevisionQuery {
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The revision to compare with.
    pub against: i32,
}

/// Lists an article's revisions, newest first.
#[utoipa::path(get, operation_id = "revisions_list", path = "/api/v1/articles/{id}/revisions", tag = "articles", params(RevisionQuery),
    responses((status = 200, body = Page<Revision>), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    query: web::Query<RevisionQuery>,
) -> Result<HttpResponse> {
    let limit = limit(query.limit)?;
    let before = Cursor::decode::<i32>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok()
        .json(revisions::list(&state, &user, id.into_inner(), before, limit).await?))
}

/// Reads one revision with its snapshot of the editable fields.
#[utoipa::path(get, operation_id = "revisions_read", path = "/api/v1/articles/{id}/revisions/{number}", tag = "articles",
    responses((status = 200, body = Revision), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, i32)>,
) -> Result<HttpResponse> {
    let (id, number) = path.into_inner();
    Ok(HttpResponse::Ok().json(revisions::get(&state, &user, id, number).await?))
}

/// Compares revision `number` with revision `against`: changed fields and a body line diff.
#[utoipa::path(get, operation_id = "revisions_diff", path = "/api/v1/articles/{id}/revisions/{number}/diff", tag = "articles", params(DiffQuery),
    responses((status = 200, body = RevisionDiff), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn diff(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, i32)>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse> {
    let (id, number) = path.into_inner();
    Ok(HttpResponse::Ok().json(revisions::diff(&state, &user, id, number, query.against).await?))
}

/// Restores a revision's fields as a new change; needs `If-Match`, obeys the edit rules.
#[utoipa::path(post, operation_id = "revisions_restore", path = "/api/v1/articles/{id}/revisions/{number}/restore", tag = "articles",
    params(("If-Match" = String, Header, description = "the ETag you read", pattern = r#"^(W/)?"?[0-9]+"?$"#)),
    responses((status = 200, body = ArticleView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 428, body = Problem)), security(("bearer" = [])))]
pub async fn restore(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<(Uuid, i32)>,
) -> Result<HttpResponse> {
    let (id, number) = path.into_inner();
    let expected = http_cache::if_match(&req)?;
    let now = state.clock.now();
    let view = db::transaction(&state.db, async |tx| {
        revisions::restore(tx, &user, id, number, expected, now).await
    })
    .await?;
    let version = view.article.version;
    Ok(http_cache::versioned(StatusCode::OK, &view, version))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/articles/{id}/revisions").route(web::get().to(list)))
        .service(web::resource("/articles/{id}/revisions/{number}").route(web::get().to(read)))
        .service(web::resource("/articles/{id}/revisions/{number}/diff").route(web::get().to(diff)))
        .service(
            web::resource("/articles/{id}/revisions/{number}/restore")
                .route(web::post().to(restore)),
        );
}
