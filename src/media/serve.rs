//! `GET /media/{hash}/{file}`: renditions at content-addressed URLs, public and immutable.
//! No sign-in: the URL names the master by its SHA-256, which nobody guesses.

use actix_web::{web, HttpRequest, HttpResponse};

use super::delivery;
use crate::error::{Problem, Result};
use crate::http_cache::{with_etag, IMMUTABLE};
use crate::state::AppState;

/// A rendition: `w640.webp`, `w1024.jpg`, `16x9-w640-f5000-5000.webp` …; the picture's
/// `renditions` list every URL. Drawn on first request, then served from the store.
#[utoipa::path(get, operation_id = "media_rendition", path = "/media/{hash}/{file}", tag = "media",
    params(("hash" = String, Path, description = "the master's SHA-256"), ("file" = String, Path, description = "the rendition")),
    responses((status = 200, description = "the picture", content_type = "image/webp"), (status = 304),
        (status = 404, body = Problem), (status = 503, body = Problem)))]
pub async fn rendition(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let (hash, file) = path.into_inner();
    let (bytes, encoding) = delivery::rendition(&state, &hash, &file).await?;
    // The URL names these bytes for good (they are written once per master and name), so
    // the ETag can name the URL instead of hashing the bytes on every request.
    let etag = format!("\"{}-{file}\"", &hash[..16]);
    Ok(with_etag(
        &req,
        bytes,
        &etag,
        encoding.mime(),
        None,
        IMMUTABLE,
    ))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/media/{hash}/{file}").route(web::get().to(rendition)));
}
