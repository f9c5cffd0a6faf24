//! An issue as its readers get it, `/admin/newsletters/{slug}/issues/{number}/preview`
//! (`issues::preview`, editors and admins): the subject, the HTML email in a sandboxed frame
//! at a desktop's width or a phone's (375 px, `?width=375`: links, so it works without
//! JavaScript), and the plain-text part. The frame loads `…/preview.html`, which answers the
//! email's HTML alone under its own policy (`EMAIL_PREVIEW_CONTENT_SECURITY_POLICY`: the
//! email's inline styles, no script, framed by the desk only).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::newsletter_refusals::{newsletter, refused};
use super::page::{render, DeskError, Me};
use super::session::Desk;
use crate::newsletters::issues;
use crate::security_headers::EMAIL_PREVIEW_CONTENT_SECURITY_POLICY;
use crate::state::AppState;

#[derive(Deserialize)]
struct Width {
    /// `375` for a phone's width; anything else: a desktop's.
    width: Option<String>,
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    path: web::Path<(String, i32)>,
    width: web::Query<Width>,
) -> Result<HttpResponse, DeskError> {
    let (key, number) = path.into_inner();
    let preview = issues::preview(&state, &desk.user, &key, number)
        .await
        .map_err(refused)?;
    let newsletter = newsletter(&state, &key).await?;
    let phone = width.width.as_deref() == Some("375");
    render(
        StatusCode::OK,
        "desk/issue_preview.html",
        context! {
            title => format!("Preview of issue {number}"), me => Me::from(&desk),
            newsletter_name => newsletter.name, slug => newsletter.slug, number, phone,
            subject => preview.subject, text => preview.text,
        },
    )
}

/// The email's HTML alone, for the preview's frame.
async fn email_html(
    state: web::Data<AppState>,
    desk: Desk,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, DeskError> {
    let (key, number) = path.into_inner();
    let preview = issues::preview(&state, &desk.user, &key, number)
        .await
        .map_err(refused)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header(crate::http_cache::NO_STORE)
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            EMAIL_PREVIEW_CONTENT_SECURITY_POLICY,
        ))
        .body(preview.html))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/newsletters/{key}/issues/{number}/preview")
            .route(web::get().to(show)),
    )
    .service(
        web::resource("/admin/newsletters/{key}/issues/{number}/preview.html")
            .route(web::get().to(email_html)),
    );
}
