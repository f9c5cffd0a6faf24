//! Composing an issue, `/admin/newsletters/{slug}/issues/new` and `…/issues/{number}`: one
//! form that works without JavaScript. Its buttons search the published stories
//! (`issue_drafts::find_stories`), add one, move one up or down, or take one out, each
//! answering with the form as changed and nothing saved; "Save" creates the issue
//! (`issues::create`) or changes the draft (`issue_drafts::update`) through the API's own
//! `CreateIssue`. Which stories may go in is the service's rule: the form only names them
//! (`issue_drafts::picked`). An issue no longer a draft is shown, not edited.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::form_refusal::Refusal;
use super::names::Names;
use super::newsletter_refusals::{newsletter, refused};
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::session::Desk;
use crate::error::{AppError, FieldErrors};
use crate::newsletters::issue_model::{Draft, IssueStatus, IssueView};
use crate::newsletters::issues_http::CreateIssue;
use crate::newsletters::{issue_drafts, issues, Newsletter};
use crate::state::AppState;

/// Stories the search offers at a time.
const FOUND_ROWS: i64 = 20;

/// The form as shown or sent: the stories as ids in order.
#[derive(Default, Serialize)]
struct ComposeForm {
    subject: String,
    intro: String,
    ids: Vec<Uuid>,
    q: String,
    errors: FieldErrors,
    problem: Option<String>,
}

impl ComposeForm {
    fn of(view: &IssueView) -> ComposeForm {
        ComposeForm {
            subject: view.issue.subject.clone(),
            intro: view.issue.intro.clone(),
            ids: view.issue.article_ids.clone(),
            ..ComposeForm::default()
        }
    }

    /// The form as sent; an id that is not one is said by the stories' field.
    fn sent(form: &Form) -> ComposeForm {
        let mut errors = FieldErrors::new();
        let mut ids = Vec::new();
        for raw in form.all("article_ids") {
            match Uuid::parse_str(raw.trim()) {
                Ok(id) => ids.push(id),
                Err(_) => {
                    errors.insert(
                        "article_ids".into(),
                        vec!["must list published, public stories, each once".into()],
                    );
                }
            }
        }
        ComposeForm {
            subject: form.get("subject").unwrap_or_default().to_owned(),
            intro: form.get("intro").unwrap_or_default().to_owned(),
            ids,
            q: form.get("q").unwrap_or_default().to_owned(),
            errors,
            problem: None,
        }
    }

    /// The button that keeps the focus on the story moved to `at`: the same direction's, or
    /// the other's at either end of the list (where that one is not shown).
    fn move_button(&self, at: usize, direction: &str) -> String {
        match direction {
            "up" if at == 0 && self.ids.len() > 1 => format!("down-{at}"),
            "down" if at + 1 == self.ids.len() && at > 0 => format!("up-{at}"),
            _ => format!("{direction}-{at}"),
        }
    }

    /// Applies a button other than "Save": the id of the button to focus on the answer.
    fn apply(&mut self, op: &str) -> Option<String> {
        let (verb, arg) = op.split_once(':').unwrap_or((op, ""));
        let at = arg.parse::<usize>().ok().filter(|i| *i < self.ids.len());
        match (verb, at) {
            ("add", _) => {
                let id = Uuid::parse_str(arg).ok()?;
                if !self.ids.contains(&id) {
                    self.ids.push(id);
                }
                Some(format!("down-{}", self.ids.len() - 1))
            }
            ("up", Some(i)) if i > 0 => {
                self.ids.swap(i, i - 1);
                Some(self.move_button(i - 1, "up"))
            }
            ("down", Some(i)) if i + 1 < self.ids.len() => {
                self.ids.swap(i, i + 1);
                Some(self.move_button(i + 1, "down"))
            }
            ("remove", Some(i)) => {
                self.ids.remove(i);
                Some("q".into())
            }
            _ => Some("q".into()),
        }
    }
}

#[derive(Serialize)]
struct Found {
    id: Uuid,
    headline: String,
    outlet: String,
    published: String,
}

/// What the compose page shows besides the issue: the form, the button to focus (after a
/// move), a notice, and the answer's status.
struct Shown {
    form: ComposeForm,
    focus: Option<String>,
    notice: Option<&'static str>,
    status: StatusCode,
}

impl Shown {
    fn form(form: ComposeForm, status: StatusCode) -> Shown {
        Shown {
            form,
            focus: None,
            notice: None,
            status,
        }
    }
}

/// The compose page (or, for an issue no longer a draft, the issue as it went out).
async fn page(
    state: &AppState,
    desk: &Desk,
    newsletter: &Newsletter,
    issue: Option<&IssueView>,
    shown: Shown,
) -> Result<HttpResponse, DeskError> {
    let Shown {
        form,
        focus,
        notice,
        status,
    } = shown;
    let picked = issue_drafts::picked(state, &desk.user, &form.ids)
        .await
        .map_err(refused)?;
    let q = Some(form.q.as_str());
    let found = issue_drafts::find_stories(state, &desk.user, q, FOUND_ROWS)
        .await
        .map_err(refused)?;
    let names = Names::load(state).await?;
    let found: Vec<Found> = found
        .into_iter()
        .filter(|s| !form.ids.contains(&s.id))
        .map(|s| Found {
            outlet: names.of(Some(s.outlet_id)),
            published: s.published_at.map(when).unwrap_or_default(),
            id: s.id,
            headline: s.headline,
        })
        .collect();
    let base = format!("/admin/newsletters/{}/issues", newsletter.slug);
    let action = match issue {
        Some(view) => format!("{base}/{}", view.issue.number),
        None => base,
    };
    let (number, state_name, editable, progress) = match issue {
        Some(v) => (
            Some(v.issue.number),
            format!("{:?}", v.issue.status).to_lowercase(),
            v.issue.status == IssueStatus::Draft,
            Some(&v.progress),
        ),
        None => (None, "new".to_owned(), true, None),
    };
    let title = match number {
        Some(n) => format!("Issue {n} of {}", newsletter.name),
        None => format!("A new issue of {}", newsletter.name),
    };
    render(
        status,
        "desk/issue_compose.html",
        context! {
            title, me => Me::from(desk), newsletter_name => newsletter.name.clone(),
            slug => newsletter.slug.clone(), number, state_name, editable, progress, action,
            form, picked, found, focus, notice,
        },
    )
}

async fn new_issue(
    state: web::Data<AppState>,
    desk: Desk,
    key: web::Path<String>,
) -> Result<HttpResponse, DeskError> {
    let newsletter = newsletter(&state, &key).await?;
    let shown = Shown::form(ComposeForm::default(), StatusCode::OK);
    page(&state, &desk, &newsletter, None, shown).await
}

#[derive(Deserialize)]
struct Done {
    saved: Option<String>,
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    path: web::Path<(String, i32)>,
    done: web::Query<Done>,
) -> Result<HttpResponse, DeskError> {
    let (key, number) = path.into_inner();
    let newsletter = newsletter(&state, &key).await?;
    let view = issues::get(&state, &desk.user, &newsletter.slug, number)
        .await
        .map_err(refused)?;
    let shown = Shown {
        notice: done.saved.as_ref().map(|_| "Saved."),
        ..Shown::form(ComposeForm::of(&view), StatusCode::OK)
    };
    page(&state, &desk, &newsletter, Some(&view), shown).await
}

/// A button of the form: "Save" creates or changes the issue; any other changes the form.
async fn compose(
    state: &AppState,
    desk: &Desk,
    req: &HttpRequest,
    key: &str,
    number: Option<i32>,
    body: &[u8],
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(body);
    desk.check_csrf(req, form.get("csrf"))?;
    let newsletter = newsletter(state, key).await?;
    let issue = match number {
        Some(n) => Some(
            issues::get(state, &desk.user, &newsletter.slug, n)
                .await
                .map_err(refused)?,
        ),
        None => None,
    };
    let mut sent = ComposeForm::sent(&form);
    let op = form.get("op").unwrap_or("save");
    if op != "save" || !sent.errors.is_empty() {
        let focus = if op == "save" { None } else { sent.apply(op) };
        let status = if sent.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let shown = Shown {
            focus,
            ..Shown::form(sent, status)
        };
        return page(state, desk, &newsletter, issue.as_ref(), shown).await;
    }
    let draft: Result<Draft, AppError> = CreateIssue {
        subject: sent.subject.clone(),
        intro: Some(sent.intro.clone()),
        article_ids: sent.ids.clone(),
    }
    .try_into();
    let saved = match (draft, number) {
        (Ok(draft), None) => issues::create(state, &desk.user, &newsletter.slug, draft).await,
        (Ok(draft), Some(n)) => {
            issue_drafts::update(state, &desk.user, &newsletter.slug, n, draft).await
        }
        // The form's faults are shown only to those the service lets compose issues.
        (Err(_), _) if !issues::may_compose(&desk.user) => Err(AppError::Forbidden),
        (Err(err), _) => Err(err),
    };
    match saved {
        Ok(view) => Ok(redirect(&format!(
            "/admin/newsletters/{}/issues/{}?saved",
            newsletter.slug, view.issue.number
        ))),
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            sent.errors = refusal.errors;
            sent.problem = refusal.problem;
            let shown = Shown::form(sent, refusal.status);
            page(state, desk, &newsletter, issue.as_ref(), shown).await
        }
    }
}

async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    compose(&state, &desk, &req, &key, None, &body).await
}

async fn save(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(String, i32)>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let (key, number) = path.into_inner();
    compose(&state, &desk, &req, &key, Some(number), &body).await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/newsletters/{key}/issues/new").route(web::get().to(new_issue)),
    )
    .service(web::resource("/admin/newsletters/{key}/issues").route(web::post().to(create)))
    .service(
        web::resource("/admin/newsletters/{key}/issues/{number}")
            .route(web::get().to(show))
            .route(web::post().to(save)),
    );
}
