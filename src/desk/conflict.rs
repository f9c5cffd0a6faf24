//! The stale save: the story changed since the user opened it, so nothing was written. The
//! page says who changed it and when (its latest revision), shows both texts side by side
//! with a line diff of the body (`diff.rs`), and lets the user choose: take theirs (open the story as it
//! is now) or keep mine (the same fields, sent again on the current version).

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use minijinja::context;
use uuid::Uuid;

use super::diff;
use super::fields::Fields;
use super::page::{render, when, DeskError, Form, Me};
use super::session::Desk;
use super::zone::Zone;
use crate::articles;
use crate::state::AppState;

pub async fn page(
    state: &AppState,
    desk: &Desk,
    id: Uuid,
    form: &Form,
    mine: &Fields,
) -> Result<HttpResponse, DeskError> {
    let current = articles::get(state, &desk.user, id).await?;
    let latest = articles::revisions::list(state, &desk.user, id, None, 1).await?;
    let (who, at) = latest
        .items
        .first()
        .map(|r| (r.actor_label.clone(), when(r.created_at)))
        .unwrap_or_else(|| ("someone".into(), when(current.article.updated_at)));
    let zone = Zone::of_outlet(state, current.article.outlet_id).await?;
    let embargo = zone
        .input(state, current.article.content.embargo_until)
        .await?;
    let theirs = Fields::of(&current.article, embargo);
    let body_diff = diff::lines(&theirs.body, &mine.body);
    render(
        StatusCode::CONFLICT,
        "desk/conflict.html",
        context! {
            title => "This story changed while you were editing", me => Me::from(desk),
            id, who, at, version => current.article.version, theirs, mine, body_diff,
            resend => form.pairs_without_tokens(),
        },
    )
}
