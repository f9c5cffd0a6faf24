//! One newsletter, `/admin/newsletters/{slug}`: its settings (name, slug, description),
//! changed through the API's own `UpdateNewsletter` and `newsletters::service::update`
//! (admins), and its issues, newest first, each with its state and sending tallies
//! (`newsletters::issue_list::list`; editors and admins), with the link that composes a new one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::form_refusal::Refusal;
use super::newsletter_refusals::{newsletter, refused};
use super::newsletters::NewsletterForm;
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::session::Desk;
use crate::domain::{Cursor, Key};
use crate::newsletters::http::UpdateNewsletter;
use crate::newsletters::issue_model::IssueSummary;
use crate::newsletters::{issue_list, service, Newsletter};
use crate::state::AppState;

/// Issues a page lists.
const ISSUE_ROWS: i64 = 50;

#[derive(Serialize)]
struct IssueRow {
    number: i32,
    subject: String,
    /// `draft`, `sending`, `sent`.
    status: String,
    stories: usize,
    when: String,
    recipients: i64,
    queued: i64,
    sent: i64,
    failed: i64,
    interrupted: i64,
}

impl IssueRow {
    fn of(s: IssueSummary) -> IssueRow {
        let i = s.issue;
        let p = s.progress;
        IssueRow {
            number: i.number,
            status: format!("{:?}", i.status).to_lowercase(),
            stories: i.article_ids.len(),
            when: when(i.sent_at.or(i.send_started_at).unwrap_or(i.created_at)),
            subject: i.subject,
            recipients: p.recipients,
            queued: p.queued,
            sent: p.sent,
            failed: p.failed,
            interrupted: p.interrupted,
        }
    }
}

/// The newsletter's page: its settings form (as stored, or as sent when refused) and issues.
async fn page(
    state: &AppState,
    desk: &Desk,
    newsletter: &Newsletter,
    form: Option<NewsletterForm>,
    done: &Done,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let before = Cursor::decode::<i32>(done.cursor.as_deref())?;
    let issues = issue_list::list(state, &desk.user, &newsletter.slug, before, ISSUE_ROWS)
        .await
        .map_err(refused)?;
    let older = issues
        .next
        .map(|c| format!("/admin/newsletters/{}?cursor={c}#issues", newsletter.slug));
    let issues: Vec<IssueRow> = issues.items.into_iter().map(IssueRow::of).collect();
    let form = form.unwrap_or_else(|| NewsletterForm::of(newsletter));
    render(
        status,
        "desk/newsletter.html",
        context! {
            title => newsletter.name.clone(), me => Me::from(desk), slug => newsletter.slug.clone(),
            description => newsletter.description.clone(), form, issues, older,
            notice => done.notice(), may_manage => service::may_manage(&desk.user),
            created => when(newsletter.created_at), updated => when(newsletter.updated_at),
        },
    )
}

/// What the page says after a change, and the issues' cursor.
#[derive(Default, Deserialize)]
struct Done {
    saved: Option<String>,
    created: Option<String>,
    cursor: Option<String>,
}

impl Done {
    fn notice(&self) -> Option<&'static str> {
        if self.created.is_some() {
            Some("The newsletter was created.")
        } else if self.saved.is_some() {
            Some("Saved.")
        } else {
            None
        }
    }
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    key: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, DeskError> {
    let newsletter = newsletter(&state, &key).await?;
    page(&state, &desk, &newsletter, None, &done, StatusCode::OK).await
}

/// Saves name, slug and description (a blank description clears it); a new slug moves the
/// page.
async fn save(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let newsletter = newsletter(&state, &key).await?;
    let sent = NewsletterForm::sent(&form);
    let changes = UpdateNewsletter {
        slug: Some(sent.slug.trim().to_owned()),
        name: Some(sent.name.clone()),
        description: Some(sent.description()),
    }
    .try_into();
    let saved = match changes {
        Ok(changes) => service::update(&state, &desk.user, &Key::Id(newsletter.id), changes).await,
        // The form's faults are shown only to those the service lets change newsletters.
        Err(_) if !service::may_manage(&desk.user) => Err(crate::error::AppError::Forbidden),
        Err(err) => Err(err),
    };
    match saved {
        Ok(saved) => Ok(redirect(&format!(
            "/admin/newsletters/{}?saved",
            saved.slug
        ))),
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let form = NewsletterForm {
                errors: refusal.errors,
                problem: refusal.problem,
                ..sent
            };
            let done = Done::default();
            page(
                &state,
                &desk,
                &newsletter,
                Some(form),
                &done,
                refusal.status,
            )
            .await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/newsletters/{key}")
            .route(web::get().to(show))
            .route(web::post().to(save)),
    );
}
