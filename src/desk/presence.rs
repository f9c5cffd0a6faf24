//! "Also open by …" on the editor: `POST /admin/stories/{id}/presence`, the heartbeat the
//! editor sends every 30 seconds (htmx), answered with the names of the others who have the
//! story open (`presence::heartbeat`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use uuid::Uuid;

use super::page::{render, DeskError};
use super::session::Desk;
use crate::presence;
use crate::state::AppState;

async fn beat(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&req, None)?;
    let others = presence::heartbeat(&state, &desk.user, id.into_inner()).await?;
    render(StatusCode::OK, "desk/presence.html", context! { others })
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/stories/{id}/presence").route(web::post().to(beat)));
}
