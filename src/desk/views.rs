//! Saved views of the story list: "Save this view" (`POST /admin/views`) names the list's
//! current filters, and each view's delete button (`POST /admin/views/{id}/delete`) removes
//! it. Picking a view is a plain link to the list with its query (`stories.rs` shows them).
//! The rules (names, the limit, what a query may hold, whose views) are `saved_views`'.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::page::{redirect, DeskError, Form};
use super::session::Desk;
use super::stories::{page, Filters, Forms, ViewForm};
use crate::error::AppError;
use crate::saved_views::{self, ViewName, ViewQuery};
use crate::state::AppState;

/// Saves the filters sent in `query` under `name` and shows the list under them; a refused
/// name is answered with the list and the message next to the name (422).
async fn save(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let name = form.get("name").unwrap_or_default().to_owned();
    let query = ViewQuery::normalise(form.get("query").unwrap_or_default());
    let saved = match ViewName::parse(&name) {
        Ok(parsed) => saved_views::save(&state, &desk.user, &parsed, &query).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(view) => Ok(redirect(&format!("/admin/stories?{}", view.query))),
        Err(AppError::Validation(errors)) => {
            let filters: Filters = serde_urlencoded::from_str(query.as_str()).unwrap_or_default();
            let forms = Forms::with_view(ViewForm { name, errors });
            page(
                &state,
                &desk,
                filters,
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

/// Deletes one of the user's views (another user's is 404, and stays).
async fn delete(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let id = Uuid::parse_str(&path.into_inner()).map_err(|_| AppError::NotFound)?;
    saved_views::delete(&state, &desk.user, id).await?;
    Ok(redirect("/admin/stories"))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/views").route(web::post().to(save)))
        .service(web::resource("/admin/views/{id}/delete").route(web::post().to(delete)));
}
