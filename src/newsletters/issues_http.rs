//! Newsletter issues: `/api/v1/newsletters/{key}/issues…` (editors and admins) and the public
//! "View today's newsletter" page, `/public/v1/newsletters/{slug}/latest`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::issue_model::{Draft, IssueView, Preview};
use super::issues;
use crate::auth::CurrentUser;
use crate::domain::{optional_text, required_text};
use crate::error::{Problem, Result};
use crate::json_body::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIssue {
    pub subject: String,
    pub intro: Option<String>,
    /// Published stories, in the order the issue shows them.
    pub article_ids: Vec<uuid::Uuid>,
}

impl TryFrom<CreateIssue> for Draft {
    type Error = crate::error::AppError;
    fn try_from(body: CreateIssue) -> Result<Draft> {
        Ok(Draft {
            subject: required_text("subject", &body.subject, 200)?,
            intro: optional_text("intro", body.intro.as_deref(), 5000)?.unwrap_or_default(),
            article_ids: body.article_ids,
        })
    }
}

/// Composes an issue (editors and admins).
#[utoipa::path(post, operation_id = "newsletter_issues_create", path = "/api/v1/newsletters/{key}/issues", tag = "newsletters",
    request_body = CreateIssue,
    responses((status = 201, body = IssueView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    key: web::Path<String>,
    body: Json<CreateIssue>,
) -> Result<HttpResponse> {
    let draft = body.into_inner().try_into()?;
    Ok(HttpResponse::Created().json(issues::create(&state, &user, &key, draft).await?))
}

/// An issue with its sending progress.
#[utoipa::path(get, operation_id = "newsletter_issues_read", path = "/api/v1/newsletters/{key}/issues/{number}", tag = "newsletters",
    responses((status = 200, body = IssueView), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse> {
    let (key, number) = path.into_inner();
    Ok(HttpResponse::Ok().json(issues::get(&state, &user, &key, number).await?))
}

/// The issue rendered as readers will get it: subject, plain text and HTML.
#[utoipa::path(get, operation_id = "newsletter_issues_preview", path = "/api/v1/newsletters/{key}/issues/{number}/preview", tag = "newsletters",
    responses((status = 200, body = Preview), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn preview(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse> {
    let (key, number) = path.into_inner();
    Ok(HttpResponse::Ok().json(issues::preview(&state, &user, &key, number).await?))
}

/// Sends the issue: one email per confirmed, unsuppressed subscriber, exactly once however
/// often it is called.
#[utoipa::path(post, operation_id = "newsletter_issues_send", path = "/api/v1/newsletters/{key}/issues/{number}/send", tag = "newsletters",
    responses((status = 200, body = IssueView), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn send(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse> {
    let (key, number) = path.into_inner();
    Ok(HttpResponse::Ok().json(issues::send(&state, &user, &key, number).await?))
}

/// The newest sent issue as a web page ("View today's newsletter").
#[utoipa::path(get, operation_id = "public_newsletter_latest", path = "/public/v1/newsletters/{slug}/latest", tag = "public",
    responses((status = 200, description = "HTML page", content_type = "text/html"), (status = 404, body = Problem)))]
pub async fn latest(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse> {
    let html = issues::latest_html(&state, &slug).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(html))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/newsletters/{key}/issues").route(web::post().to(create)))
        .service(web::resource("/newsletters/{key}/issues/{number}").route(web::get().to(read)))
        .service(
            web::resource("/newsletters/{key}/issues/{number}/preview")
                .route(web::get().to(preview)),
        )
        .service(
            web::resource("/newsletters/{key}/issues/{number}/send").route(web::post().to(send)),
        );
}

pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/newsletters/{slug}/latest").route(web::get().to(latest)));
}
