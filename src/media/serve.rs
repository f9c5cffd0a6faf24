//! `GET /media/{hash}/{file}`: renditions at content-addressed URLs. Who may fetch them is
//! `access.rs`: the public only a picture a visible story uses, staff their outlets' pictures,
//! partners what their entitled visible stories use; everyone else 404.

use actix_web::http::header::{HeaderValue, VARY};
use actix_web::{web, HttpRequest, HttpResponse};

use super::access::{self, Viewer};
use super::delivery;
use crate::auth::{CurrentUser, PartnerKey};
use crate::desk::Desk;
use crate::error::Problem;
use crate::http_cache::with_etag;
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
    staff: Option<CurrentUser>,
    desk: Option<Desk>,
    partner: Option<PartnerKey>,
) -> HttpResponse {
    let (hash, file) = path.into_inner();
    let viewer = Viewer::of(staff, desk.map(|d| d.user), partner);
    let found = match access::ensure_servable(&state, &viewer, &hash).await {
        Ok(()) => delivery::rendition(&state, &hash, &file).await,
        Err(err) => Err(err),
    };
    let (bytes, encoding) = match found {
        Ok(found) => found,
        Err(err) => return access::refusal(&err),
    };
    // The URL names these bytes for good (they are written once per master and name), so
    // the ETag can name the URL instead of hashing the bytes on every request.
    let etag = format!("\"{}-{file}\"", &hash[..16]);
    let mut res = with_etag(
        &req,
        bytes,
        &etag,
        encoding.mime(),
        None,
        viewer.cache_control(),
    );
    res.headers_mut()
        .insert(VARY, HeaderValue::from_static(access::VARY));
    res
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/media/{hash}/{file}").route(web::get().to(rendition)));
}
