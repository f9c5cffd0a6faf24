//! `/api/v1/articles`: list and search, create, read, PATCH (with `If-Match`), DELETE, and the
//! workflow actions. Every article response carries its version as `ETag`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::actions::{self, ActionInput};
use super::model::{ArticleSummary, ArticleView};
use super::requests::{ActionBody, ArticleQuery, CreateArticle, UpdateArticle};
use super::revisions_http;
use super::rules::Action;
use super::service::{self, NewArticle};
use crate::auth::CurrentUser;
use crate::domain::Page;
use crate::error::{AppError, Problem, Result};
use crate::idempotency::{self, Claim};
use crate::json_body::Json;
use crate::state::AppState;
use crate::{db, http_cache};

/// An article response with its version as `ETag`.
fn respond(status: StatusCode, view: &ArticleView) -> HttpResponse {
    http_cache::versioned(status, view, view.article.version)
}

impl idempotency::Answer for ArticleView {
    fn version(&self) -> i32 {
        self.article.version
    }
}

/// Lists and searches articles: the caller's outlets' articles and every published one.
#[utoipa::path(get, operation_id = "articles_list", path = "/api/v1/articles", tag = "articles", params(ArticleQuery),
    responses((status = 200, body = Page<ArticleSummary>), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse> {
    let request = query.into_inner().try_into()?;
    Ok(HttpResponse::Ok().json(service::list(&state, &user, request).await?))
}

/// Creates a draft. Accepts `Idempotency-Key`.
#[utoipa::path(post, operation_id = "articles_create", path = "/api/v1/articles", tag = "articles", request_body = CreateArticle,
    params(("Idempotency-Key" = Option<String>, Header, description = "retries with the same key return the first result")),
    responses((status = 201, body = ArticleView), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    body: Json<CreateArticle>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    let claim = Claim::from_request(&req, &user, &body)?;
    let now = state.clock.now();
    // Parsed after a replay was looked for: a retry gets the first answer, as it was.
    idempotency::once(
        &state.db,
        claim.as_ref(),
        now,
        StatusCode::CREATED,
        async |tx| {
            let new: NewArticle = body.try_into()?;
            service::create(tx, &user, new, now).await
        },
    )
    .await
}

/// Reads an article (404 for other outlets' unpublished ones).
#[utoipa::path(get, operation_id = "articles_read", path = "/api/v1/articles/{id}", tag = "articles",
    responses((status = 200, body = ArticleView, headers(("ETag" = String, description = "the version"))), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let view = service::get(&state, &user, id.into_inner()).await?;
    Ok(respond(StatusCode::OK, &view))
}

/// Changes an article; needs `If-Match` with its ETag. On a published story this is a
/// correction and may carry `correction_note`.
#[utoipa::path(patch, operation_id = "articles_update", path = "/api/v1/articles/{id}", tag = "articles", request_body = UpdateArticle,
    params(("If-Match" = String, Header, description = "the ETag you read", pattern = r#"^(W/)?"?[0-9]+"?$"#)),
    responses((status = 200, body = ArticleView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<UpdateArticle>,
) -> Result<HttpResponse> {
    let expected = http_cache::if_match(&req)?;
    let changes = body.into_inner().try_into()?;
    let now = state.clock.now();
    let view = db::transaction(&state.db, async |tx| {
        service::update(tx, &user, id.into_inner(), expected, changes, now).await
    })
    .await?;
    Ok(respond(StatusCode::OK, &view))
}

/// Deletes a draft that was never published; needs `If-Match`.
#[utoipa::path(delete, operation_id = "articles_delete", path = "/api/v1/articles/{id}", tag = "articles",
    params(("If-Match" = String, Header, description = "the ETag you read", pattern = r#"^(W/)?"?[0-9]+"?$"#)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let expected = http_cache::if_match(&req)?;
    let now = state.clock.now();
    db::transaction(&state.db, async |tx| {
        service::delete(tx, &user, id.into_inner(), expected, now).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Takes a workflow action: submit, return, approve, publish, schedule, unschedule,
/// unpublish, kill. Needs `If-Match`; accepts `Idempotency-Key`; an action the state does not
/// allow is a 409 listing `allowed_actions`.
#[utoipa::path(post, operation_id = "articles_act", path = "/api/v1/articles/{id}/actions/{action}", tag = "articles",
    request_body(content = Option<ActionBody>, description = "optional: `note`, `at`"),
    params(("action" = Action, Path), ("If-Match" = String, Header, description = "the ETag you read", pattern = r#"^(W/)?"?[0-9]+"?$"#),
        ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = ArticleView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn act(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    path: web::Path<(Uuid, String)>,
    body: web::Bytes,
) -> Result<HttpResponse> {
    let (id, action) = path.into_inner();
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    // `null` and an empty body are the documented "no body".
    let body: ActionBody = crate::json_body::optional(&req, &body)?;
    let expected = http_cache::if_match(&req)?;
    let claim = Claim::from_request(&req, &user, &(action.as_str(), &body))?;
    let input = ActionInput {
        note: body.note,
        at: body.at,
    };
    let now = state.clock.now();
    idempotency::once(&state.db, claim.as_ref(), now, StatusCode::OK, async |tx| {
        actions::act(tx, &user, id, expected, action, input, now).await
    })
    .await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/articles")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/articles/{id}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    )
    .service(web::resource("/articles/{id}/actions/{action}").route(web::post().to(act)))
    .configure(revisions_http::routes);
}
