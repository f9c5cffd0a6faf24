//! A story's history, `/admin/stories/{id}/revisions`: every saved version with who made it,
//! when and why; what one changed against the version before it (`articles::revisions::diff`,
//! the API's); and restoring one as a new version (`articles::revisions::restore`, with the
//! API's edit rules and `If-Match`). Any two versions are compared on `compare.rs`'s page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::page::{redirect, render, when, DeskError, Form, Me};
use super::session::Desk;
use crate::articles::{self, revisions};
use crate::error::AppError;
use crate::state::AppState;

/// Versions a page lists.
const PAGE_ROWS: i64 = 100;

#[derive(Serialize)]
struct Row {
    number: i32,
    action: String,
    who: String,
    at: String,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Shown {
    /// The version whose changes are shown (against the one before it).
    show: Option<i32>,
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    query: web::Query<Shown>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let view = articles::get(&state, &desk.user, id).await?;
    let page = revisions::list(&state, &desk.user, id, None, PAGE_ROWS).await?;
    let numbers: Vec<i32> = page.items.iter().map(|r| r.number).collect();
    let rows: Vec<Row> = page
        .items
        .into_iter()
        .map(|r| Row {
            number: r.number,
            action: r.action,
            who: r.actor_label,
            at: when(r.created_at),
            note: r.note,
        })
        .collect();
    let shown = match query.show {
        Some(n) if n > 1 => {
            let diff = revisions::diff(&state, &desk.user, id, n, n - 1).await?;
            let fields: Vec<String> = diff
                .fields
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            Some(context! { number => n, fields, body_diff => diff.body_diff })
        }
        _ => None,
    };
    render(
        StatusCode::OK,
        "desk/revisions.html",
        context! {
            title => format!("History: {}", view.article.content.headline), me => Me::from(&desk),
            id, version => view.article.version, editable => view.editable, rows, shown, numbers,
        },
    )
}

/// Brings back version `number` as a new version.
async fn restore(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(Uuid, i32)>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let (id, number) = path.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let expected: i32 = form
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or(AppError::BadRequest("the form has no version".into()))?;
    let now = state.clock.now();
    crate::db::transaction(&state.db, async |tx| {
        revisions::restore(tx, &desk.user, id, number, expected, now).await
    })
    .await?;
    Ok(redirect(&format!("/admin/stories/{id}?saved")))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/stories/{id}/revisions").route(web::get().to(list)))
        .service(
            web::resource("/admin/stories/{id}/revisions/{number}/restore")
                .route(web::post().to(restore)),
        );
}
