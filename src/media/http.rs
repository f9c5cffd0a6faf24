//! `/api/v1/media`: the picture library. Upload (multipart), list and search, read, PATCH
//! with `If-Match`, DELETE. Every picture response carries its version as `ETag`.

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::ingest::{self, Uploaded};
use super::requests::{MediaQuery, UpdatePicture, UploadFields, UploadForm};
use super::service;
use super::store::ListFilter;
use super::{upload, PictureView};
use crate::auth::CurrentUser;
use crate::domain::{limit, Cursor, Page, Role};
use crate::error::{Problem, Result};
use crate::http_cache::{if_match, versioned};
use crate::json_body::Json;
use crate::state::AppState;

fn respond(status: StatusCode, view: &PictureView) -> HttpResponse {
    let mut res = versioned(status, view, view.picture.version);
    if status == StatusCode::CREATED {
        let location = format!("/api/v1/media/{}", view.picture.id);
        if let Ok(value) = header::HeaderValue::from_str(&location) {
            res.headers_mut().insert(header::LOCATION, value);
        }
    }
    res
}

/// Lists the pictures of the caller's outlets (admins: all), newest first.
#[utoipa::path(get, operation_id = "media_list", path = "/api/v1/media", tag = "media", params(MediaQuery),
    responses((status = 200, body = Page<PictureView>), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<MediaQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let limit = limit(query.limit)?;
    let after = Cursor::decode::<Uuid>(query.cursor.as_deref())?;
    let filter = ListFilter {
        outlets: None,
        outlet_id: query.outlet_id,
        q: query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
    };
    Ok(HttpResponse::Ok().json(service::list(&state, &user, filter, after, limit).await?))
}

/// Uploads a picture. The same bytes again in the same outlet answer the existing picture
/// with 200; anything that is not a JPEG, PNG, WebP or GIF picture is refused and nothing
/// is stored.
#[utoipa::path(post, operation_id = "media_upload", path = "/api/v1/media", tag = "media",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = PictureView), (status = 200, body = PictureView, description = "these bytes are already a picture of the outlet"),
        (status = 400, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    form: Multipart,
) -> Result<HttpResponse> {
    user.require(Role::Writer)?;
    let max = state.config.media.max_upload_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    upload::check_length(declared, max)?;
    let received = upload::receive(form, max, &[]).await?;
    let fields = UploadFields::try_from(&received.fields)?;
    Ok(
        match ingest::upload(&state, &user, fields, received).await? {
            Uploaded::Created(view) => respond(StatusCode::CREATED, &view),
            Uploaded::Existing(view) => respond(StatusCode::OK, &view),
        },
    )
}

/// Reads a picture of one of the caller's outlets.
#[utoipa::path(get, operation_id = "media_read", path = "/api/v1/media/{id}", tag = "media",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PictureView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let view = service::get(&state, &user, id.into_inner()).await?;
    Ok(respond(StatusCode::OK, &view))
}

/// Changes a picture's fields or focal point; needs `If-Match` with its ETag.
#[utoipa::path(patch, operation_id = "media_update", path = "/api/v1/media/{id}", tag = "media", request_body = UpdatePicture,
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "the ETag read")),
    responses((status = 200, body = PictureView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<UpdatePicture>,
) -> Result<HttpResponse> {
    let version = if_match(&req)?;
    let changes = body.into_inner().try_into()?;
    let view = service::update(&state, &user, id.into_inner(), version, changes).await?;
    Ok(respond(StatusCode::OK, &view))
}

/// Deletes a picture no story uses (409 names the stories that do).
#[utoipa::path(delete, operation_id = "media_delete", path = "/api/v1/media/{id}", tag = "media",
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    service::delete(&state, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/media")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/media/{id}")
            .route(web::get().to(read))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    );
}
