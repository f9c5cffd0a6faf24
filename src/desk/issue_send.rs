//! Sending an issue: `/admin/newsletters/{slug}/issues/{number}/send` asks first, saying how
//! many readers it will mail (`issue_list::recipient_count`), and sends on the confirming
//! post (`issues::send`, editors and admins; sending again never mails anyone twice);
//! `…/progress` then shows how far it has got (`issues::get`: queued, sent, failed,
//! interrupted) as a bar. htmx asks for the bar again every second (`HX-Request`: the
//! fragment alone) until the issue is sent, when the fragment comes without its trigger and
//! shows the final tally; without JavaScript it is a page to reload.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::newsletter_refusals::{newsletter, refused};
use super::page::{html, redirect, render, DeskError, Form, Me};
use super::session::Desk;
use crate::newsletters::issue_model::{IssueStatus, IssueView};
use crate::newsletters::{issue_list, issues};
use crate::state::AppState;

async fn confirm(
    state: web::Data<AppState>,
    desk: Desk,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, DeskError> {
    let (key, number) = path.into_inner();
    let newsletter = newsletter(&state, &key).await?;
    let view = issues::get(&state, &desk.user, &newsletter.slug, number)
        .await
        .map_err(refused)?;
    let recipients = issue_list::recipient_count(&state, &desk.user, &newsletter.slug, number)
        .await
        .map_err(refused)?;
    render(
        StatusCode::OK,
        "desk/issue_send.html",
        context! {
            title => format!("Send issue {number} of {}", newsletter.name), me => Me::from(&desk),
            newsletter_name => newsletter.name, slug => newsletter.slug, number,
            subject => view.issue.subject, stories => view.issue.article_ids.len(),
            draft => view.issue.status == IssueStatus::Draft, recipients,
        },
    )
}

async fn send(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(String, i32)>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let (key, number) = path.into_inner();
    let newsletter = newsletter(&state, &key).await?;
    issues::send(&state, &desk.user, &newsletter.slug, number)
        .await
        .map_err(refused)?;
    Ok(redirect(&format!(
        "/admin/newsletters/{}/issues/{number}/progress",
        newsletter.slug
    )))
}

/// The bar's numbers.
#[derive(Serialize)]
struct Tally {
    status: String,
    /// Whether the page asks again: only while the issue is sending.
    sending: bool,
    done: bool,
    recipients: i64,
    queued: i64,
    sent: i64,
    failed: i64,
    interrupted: i64,
    /// Emails out of the queue (sent, failed or interrupted).
    out: i64,
    percent: i64,
}

impl Tally {
    fn of(view: &IssueView) -> Tally {
        let p = &view.progress;
        let out = p.sent + p.failed + p.interrupted;
        let done = view.issue.status == IssueStatus::Sent;
        let percent = match (done, p.recipients) {
            (true, _) => 100,
            (false, 0) => 0,
            (false, all) => out * 100 / all,
        };
        Tally {
            status: format!("{:?}", view.issue.status).to_lowercase(),
            sending: view.issue.status == IssueStatus::Sending,
            done,
            recipients: p.recipients,
            queued: p.queued,
            sent: p.sent,
            failed: p.failed,
            interrupted: p.interrupted,
            out,
            percent,
        }
    }
}

async fn progress(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, DeskError> {
    let (key, number) = path.into_inner();
    let newsletter = newsletter(&state, &key).await?;
    let view = issues::get(&state, &desk.user, &newsletter.slug, number)
        .await
        .map_err(refused)?;
    let tally = Tally::of(&view);
    let url = format!(
        "/admin/newsletters/{}/issues/{number}/progress",
        newsletter.slug
    );
    let ctx = context! {
        title => format!("Sending issue {number} of {}", newsletter.name), me => Me::from(&desk),
        newsletter_name => newsletter.name, slug => newsletter.slug, number,
        subject => view.issue.subject, tally, url,
    };
    if req.headers().contains_key("hx-request") {
        let body = crate::templates::render("desk/issue_progress_bar.html", ctx)?;
        return Ok(html(StatusCode::OK, body));
    }
    render(StatusCode::OK, "desk/issue_progress.html", ctx)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/newsletters/{key}/issues/{number}/send")
            .route(web::get().to(confirm))
            .route(web::post().to(send)),
    )
    .service(
        web::resource("/admin/newsletters/{key}/issues/{number}/progress")
            .route(web::get().to(progress)),
    );
}
