//! The story list, `/admin/stories`: the stories the user may see (`articles::list`, the
//! API's permission filter and keyset cursor), newest first, with filters, and the form that
//! starts a new story (`POST /admin/stories`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::names::Names;
use super::page::{redirect, render, sentence, when, DeskError, Form, Me};
use super::session::Desk;
use crate::articles::{self, ArticleQuery, CreateArticle, Status};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// The list's filters as the form sends them (blank means any).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    status: String,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    q: String,
    #[serde(default, skip_serializing)]
    cursor: String,
}

fn id(field: &str, raw: &str) -> Result<Option<Uuid>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => Uuid::parse_str(raw)
            .map(Some)
            .map_err(|_| AppError::field(field, "is not one of the choices")),
    }
}

impl Filters {
    fn query(&self) -> Result<ArticleQuery, AppError> {
        let status = match self.status.trim() {
            "" => None,
            raw => Some(
                Status::ALL
                    .into_iter()
                    .find(|s| s.as_str() == raw)
                    .ok_or_else(|| AppError::field("status", "is not a status"))?,
            ),
        };
        Ok(ArticleQuery {
            status,
            outlet_id: id("outlet", &self.outlet)?,
            section_id: id("section", &self.section)?,
            author_id: id("author", &self.author)?,
            tag: Some(self.tag.trim().to_owned()).filter(|t| !t.is_empty()),
            language: Some(self.language.trim().to_owned()).filter(|l| !l.is_empty()),
            updated_after: None,
            updated_before: None,
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            sort: None,
            cursor: Some(self.cursor.clone()).filter(|c| !c.is_empty()),
            limit: Some(PAGE_ROWS),
        })
    }
}

#[derive(Serialize)]
struct Row {
    id: Uuid,
    headline: String,
    status: &'static str,
    outlet: String,
    section: String,
    byline: String,
    updated: String,
    scheduled: Option<String>,
    published: Option<String>,
}

/// The new-story form as it was sent, with what was wrong.
#[derive(Default, Serialize)]
struct NewStory {
    outlet: String,
    headline: String,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    filters: Filters,
    new_story: NewStory,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let names = Names::load(state).await?;
    let (rows, next, problem) = match filters.query().and_then(|q| q.try_into()) {
        Ok(request) => {
            let found = articles::list(state, &desk.user, request).await?;
            let rows: Vec<Row> = found
                .items
                .into_iter()
                .map(|a| Row {
                    id: a.id,
                    status: a.status.as_str(),
                    outlet: names.of(Some(a.outlet_id)),
                    section: names.of(a.section_id),
                    byline: names.byline(&a.author_ids),
                    updated: when(a.updated_at),
                    scheduled: a.scheduled_at.map(when),
                    published: a.published_at.map(when),
                    headline: a.headline,
                })
                .collect();
            (rows, found.next, None)
        }
        Err(err) => (Vec::new(), None, Some(sentence(&err))),
    };
    let next_url = next.map(|cursor| {
        let mut query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        query.push_str("&cursor=");
        query.push_str(&cursor);
        format!("/admin/stories?{query}")
    });
    // A query the list refused (a filter or cursor it cannot read) is a 400, said on the page.
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let writable = names.outlets_where(|o| desk.user.belongs_to(o));
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    render(
        status,
        "desk/stories.html",
        context! {
            title => "Stories", me => Me::from(desk), rows, next_url, problem, filters,
            statuses, outlets => names.outlets, sections => names.sections,
            authors => names.authors, writable, new_story,
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: web::Query<Filters>,
) -> Result<HttpResponse, DeskError> {
    page(
        &state,
        &desk,
        query.into_inner(),
        NewStory::default(),
        StatusCode::OK,
    )
    .await
}

/// Starts a draft in one of the user's outlets and opens it in the editor.
async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let outlet = form.get("outlet").unwrap_or_default().to_owned();
    let headline = form.get("headline").unwrap_or_default().to_owned();
    let now = state.clock.now();
    let created = match id("outlet_id", &outlet) {
        Ok(Some(outlet_id)) => {
            let request = CreateArticle {
                outlet_id,
                slug: None,
                headline: headline.clone(),
                standfirst: None,
                body: String::new(),
                section_id: None,
                author_ids: Vec::new(),
                tags: Vec::new(),
                language: None,
                canonical_url: None,
                translation_of: None,
                origin_outlet_id: None,
                origin_url: None,
                embargo_until: None,
            };
            crate::db::transaction(&state.db, async |tx| {
                let new = request.try_into()?;
                articles::create(tx, &desk.user, new, now).await
            })
            .await
        }
        Ok(None) => Err(AppError::field("outlet_id", "choose an outlet")),
        Err(err) => Err(err),
    };
    match created {
        Ok(view) => Ok(redirect(&format!("/admin/stories/{}", view.article.id))),
        Err(AppError::Validation(errors)) => {
            let new_story = NewStory {
                outlet,
                headline,
                errors,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &desk, Filters::default(), new_story, status).await
        }
        Err(err) => Err(err.into()),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/stories")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    );
}
