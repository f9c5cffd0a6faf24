//! The workflow bar: the actions this user may take on this story now, as the rule book
//! answers them (`rules::allowed_actions`, `rules::next`: what needs a note, what a time),
//! and `POST /admin/stories/{id}/actions/{action}`, which takes one through `articles::act`.
//! A button the bar does not show is still refused by the service when forged.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use uuid::Uuid;

use super::page::{redirect, DeskError, Form};
use super::session::Desk;
use super::zone::Zone;
use crate::articles::rules::{self, Schedule};
use crate::articles::{self, Action, ActionInput, ArticleView};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

/// One button of the bar.
#[derive(Serialize)]
pub struct Button {
    pub action: &'static str,
    pub label: &'static str,
    /// The rule book wants a note saying why.
    pub note: bool,
    /// The rule book wants a time (scheduling).
    pub at: bool,
}

fn label(action: Action) -> &'static str {
    match action {
        Action::Submit => "Submit for review",
        Action::Return => "Return to writer",
        Action::Approve => "Approve",
        Action::Publish => "Publish now",
        Action::Schedule => "Schedule",
        Action::Unschedule => "Unschedule",
        Action::Unpublish => "Unpublish",
        Action::Kill => "Kill",
    }
}

/// The buttons `by` gets on `view`: exactly the rule book's allowed actions.
pub fn bar(by: &CurrentUser, view: &ArticleView) -> Vec<Button> {
    let a = &view.article;
    let actor = rules::actor_on(by, a);
    view.allowed_actions
        .iter()
        .filter_map(|&action| {
            let transition = rules::next(a.status, action, actor).ok()?;
            Some(Button {
                action: action.as_str(),
                label: label(action),
                note: transition.needs_note(),
                at: transition.schedule() == Schedule::Set,
            })
        })
        .collect()
}

/// Takes one workflow action on the version the page showed.
async fn act(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    path: web::Path<(Uuid, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let (id, action) = path.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    let expected: i32 = form
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or(AppError::BadRequest("the form has no version".into()))?;
    // The time is on the outlet's clock.
    let at = match form.text("at") {
        None => None,
        Some(raw) => {
            let story = articles::get(&state, &desk.user, id).await?;
            let zone = Zone::of_outlet(&state, story.article.outlet_id).await?;
            Some(zone.parse(&state, "at", &raw).await?)
        }
    };
    let input = ActionInput {
        note: form.text("note"),
        at,
    };
    let now = state.clock.now();
    crate::db::transaction(&state.db, async |tx| {
        articles::act(tx, &desk.user, id, expected, action, input, now).await
    })
    .await?;
    Ok(redirect(&format!(
        "/admin/stories/{id}?done={}",
        action.as_str()
    )))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/stories/{id}/actions/{action}").route(web::post().to(act)));
}
