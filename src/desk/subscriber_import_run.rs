//! The real run of an imported file, `/admin/subscribers/import/{id}`: the dry run's
//! "Import N rows" posts there (`import_run::start`: the run is recorded, queued, and a
//! worker is spawned) and is redirected (303) to the run's page, which shows a
//! `<progress value=done max=total>` with the tallies. htmx asks for that fragment again
//! every second (`HX-Request`) while the run is queued or running; once it has ended the
//! fragment comes without its trigger, and the page lists each row's report, paged
//! (`?page=`). Without JavaScript it is a page to reload. A second start is a 409.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

use super::page::{html, redirect, render, sentence, DeskError, Form, Me};
use super::session::Desk;
use super::subscriber_import::{form_again, Line};
use super::subscribers::refused;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::subscribers::import_run::{self, ROWS_PER_PAGE};

async fn start(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let id = id.into_inner();
    match import_run::start(&state, &desk.user, id).await {
        Ok(()) => {
            let worker = state.get_ref().clone();
            tokio::spawn(async move {
                if let Err(err) = import_run::work(&worker, id).await {
                    tracing::error!(import = %id, error = %err, "importing subscribers failed");
                }
            });
            Ok(redirect(&format!("/admin/subscribers/import/{id}")))
        }
        Err(err @ AppError::Conflict { .. }) => {
            let errors = FieldErrors::from([("file".to_owned(), vec![sentence(&err)])]);
            form_again(&desk, errors, StatusCode::CONFLICT)
        }
        Err(err) => Err(refused(err)),
    }
}

#[derive(Deserialize)]
struct Paged {
    page: Option<i64>,
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<Paged>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let run = import_run::get(&state, &desk.user, id)
        .await
        .map_err(refused)?;
    let ended = run.state == "done" || run.state == "failed";
    let percent = match (run.state.as_str(), run.total) {
        ("done", _) => 100,
        (_, 0) => 0,
        (_, total) => i64::from(run.done) * 100 / i64::from(total),
    };
    let url = format!("/admin/subscribers/import/{id}");
    let page = query.page.unwrap_or(1).max(1);
    let ctx = |rows: Vec<Line>, fragment: bool| {
        let pages = (i64::from(run.done) + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;
        context! {
            title => format!("Importing {}", run.file_name), me => Me::from(&desk),
            run => run.clone(), ended, percent, url, rows, page, pages,
            imported => run.confirmed + run.pending, fragment,
        }
    };
    if req.headers().contains_key("hx-request") {
        let body =
            crate::templates::render("desk/subscriber_import_run_bar.html", ctx(vec![], true))?;
        return Ok(html(StatusCode::OK, body));
    }
    let rows = if ended {
        import_run::rows(&state, &desk.user, id, page)
            .await
            .map_err(refused)?
            .into_iter()
            .map(Line::of)
            .collect()
    } else {
        Vec::new()
    };
    render(
        StatusCode::OK,
        "desk/subscriber_import_run.html",
        ctx(rows, false),
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/subscribers/import/{id}")
            .route(web::get().to(show))
            .route(web::post().to(start)),
    );
}
