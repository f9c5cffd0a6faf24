//! The story editor, `/admin/stories/{id}`: every editable field in one form that saves with
//! the version it was read at (`articles::update`, the API's `If-Match`), a server-rendered
//! preview (`POST …/preview`, htmx), the word count, and the workflow bar (`workflow.rs`).
//! Bad input comes back with each message next to its field and the text kept; a stale save
//! shows the conflict page (`conflict.rs`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::conflict;
use super::names::{Choice, Names};
use super::page::{redirect, render, sentence, when, word_count, DeskError, Form, Me};
use super::session::Desk;
use super::workflow;
use super::zone::Zone;
use crate::articles::{self, Article, ArticleChanges, ArticleView, Status, UpdateArticle};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;

/// The editable fields as the form shows and sends them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Fields {
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub slug: String,
    pub section_id: String,
    pub author_ids: Vec<String>,
    pub tags: String,
    pub language: String,
    pub embargo_until: String,
    pub correction_note: String,
}

impl Fields {
    /// The stored fields; `embargo_until` on the outlet's clock (`Zone::input`).
    pub fn of(a: &Article, embargo_until: String) -> Fields {
        let c = &a.content;
        Fields {
            headline: c.headline.to_string(),
            standfirst: c.standfirst.clone().unwrap_or_default(),
            body: c.body.clone(),
            slug: c.slug.to_string(),
            section_id: c.section_id.map(|s| s.to_string()).unwrap_or_default(),
            author_ids: c.author_ids.iter().map(Uuid::to_string).collect(),
            tags: c.tags.join(", "),
            language: c.language.to_string(),
            embargo_until,
            correction_note: String::new(),
        }
    }

    pub fn sent(form: &Form) -> Fields {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        Fields {
            headline: get("headline"),
            standfirst: get("standfirst"),
            body: get("body"),
            slug: get("slug"),
            section_id: get("section_id"),
            author_ids: form
                .all("author_ids")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            tags: get("tags"),
            language: get("language"),
            embargo_until: get("embargo_until"),
            correction_note: get("correction_note"),
        }
    }

    /// The change these fields ask for, parsed by the API's own request type, with the
    /// embargo already read on the outlet's clock.
    fn changes(
        &self,
        embargo_until: Result<Option<DateTime<Utc>>, AppError>,
    ) -> Result<ArticleChanges, AppError> {
        let blank = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut errors = FieldErrors::new();
        let mut id = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => Uuid::parse_str(raw).ok().or_else(|| {
                errors.insert(field.into(), vec!["is not one of the choices".into()]);
                None
            }),
        };
        let section_id = id("section_id", &self.section_id);
        let author_ids: Vec<Uuid> = self
            .author_ids
            .iter()
            .filter_map(|a| id("author_ids", a))
            .collect();
        let embargo_until = match embargo_until {
            Ok(at) => at,
            Err(AppError::Validation(e)) => {
                errors.extend(e);
                None
            }
            Err(err) => return Err(err),
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        UpdateArticle {
            slug: blank(&self.slug),
            headline: Some(self.headline.clone()),
            standfirst: Some(blank(&self.standfirst)),
            body: Some(self.body.replace("\r\n", "\n")),
            section_id: Some(section_id),
            author_ids: Some(author_ids),
            tags: Some(
                self.tags
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            language: blank(&self.language),
            canonical_url: None,
            translation_of: None,
            origin_outlet_id: None,
            origin_url: None,
            embargo_until: Some(embargo_until),
            correction_note: blank(&self.correction_note),
        }
        .try_into()
    }
}

/// What the page says above the form.
#[derive(Default, Serialize)]
pub struct Notice {
    pub saved: bool,
    pub done: Option<String>,
    pub problem: Option<String>,
}

/// Renders the editor for `view` with `fields` (the stored ones, or what the user sent).
pub async fn page(
    state: &AppState,
    desk: &Desk,
    view: &ArticleView,
    fields: Fields,
    errors: FieldErrors,
    notice: Notice,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let a = &view.article;
    let names = Names::load(state).await?;
    let authors: Vec<Choice> = names
        .authors
        .iter()
        .filter(|c| c.outlet_id.is_none_or(|o| o == a.outlet_id))
        .cloned()
        .collect();
    // The byline in its order first, then the other authors who may sign.
    let mut ordered: Vec<Choice> = fields
        .author_ids
        .iter()
        .filter_map(|id| {
            names
                .authors
                .iter()
                .find(|c| c.id.to_string() == *id)
                .cloned()
        })
        .collect();
    ordered.extend(
        authors
            .into_iter()
            .filter(|c| !fields.author_ids.contains(&c.id.to_string())),
    );
    let (words, minutes) = word_count(&fields.body);
    let others = crate::presence::heartbeat(state, &desk.user, a.id).await?;
    let zone = Zone::of_outlet(state, a.outlet_id).await?;
    let times = zone
        .show(
            state,
            &[a.published_at, a.scheduled_at, a.content.embargo_until],
        )
        .await?;
    let [published_at, scheduled_at, embargo] = <[Option<String>; 3]>::try_from(times)
        .map_err(|_| anyhow::anyhow!("three times in, three out"))?;
    let preview = if fields.body == a.content.body {
        a.body_html.clone()
    } else {
        articles::body_html(&fields.body)
    };
    let story = context! {
        id => a.id, version => a.version, status => a.status.as_str(),
        outlet => names.of(Some(a.outlet_id)), editable => view.editable,
        published => a.status == Status::Published,
        updated => when(a.updated_at), created => when(a.created_at),
        published_at, scheduled_at, embargo, zone => zone.name,
        corrections => view.corrections.iter().map(|c| (when(c.created_at), c.note.clone())).collect::<Vec<_>>(),
    };
    render(
        status,
        "desk/editor.html",
        context! {
            title => format!("Edit: {}", a.content.headline), me => Me::from(desk), story, fields,
            errors, notice, words, minutes, preview, sections => names.sections,
            authors => ordered, actions => workflow::bar(&desk.user, view), others,
        },
    )
}

async fn open(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, DeskError> {
    let view = articles::get(&state, &desk.user, id.into_inner()).await?;
    let notice = Notice {
        saved: query.contains_key("saved"),
        done: query.get("done").cloned(),
        problem: None,
    };
    let zone = Zone::of_outlet(&state, view.article.outlet_id).await?;
    let embargo = zone
        .input(&state, view.article.content.embargo_until)
        .await?;
    let fields = Fields::of(&view.article, embargo);
    page(
        &state,
        &desk,
        &view,
        fields,
        FieldErrors::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// Saves the form on the version it was read at. An autosave (`X-Desk-Autosave`) gets the
/// new version as JSON; a plain form post is sent back to the editor.
async fn save(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let fields = Fields::sent(&form);
    let expected: i32 = form
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or(AppError::BadRequest("the form has no version".into()))?;
    let now = state.clock.now();
    let embargo = match form.text("embargo_until") {
        None => Ok(None),
        Some(raw) => {
            let story = articles::get(&state, &desk.user, id).await?;
            let zone = Zone::of_outlet(&state, story.article.outlet_id).await?;
            zone.parse(&state, "embargo_until", &raw).await.map(Some)
        }
    };
    let saved = match fields.changes(embargo) {
        Ok(changes) => {
            crate::db::transaction(&state.db, async |tx| {
                articles::update(tx, &desk.user, id, expected, changes, now).await
            })
            .await
        }
        Err(err) => Err(err),
    };
    let autosave = req.headers().contains_key("x-desk-autosave");
    let (errors, problem) = match saved {
        Ok(view) if autosave => {
            return Ok(HttpResponse::Ok()
                .insert_header(crate::http_cache::NO_STORE)
                .json(serde_json::json!({"version": view.article.version, "saved_at": when(view.article.updated_at)})))
        }
        Ok(_) => return Ok(redirect(&format!("/admin/stories/{id}?saved"))),
        Err(AppError::PreconditionFailed) => {
            return conflict::page(&state, &desk, id, &form, &fields).await
        }
        Err(AppError::Validation(errors)) => (errors, None),
        Err(AppError::Conflict { detail, field: Some(field) }) => {
            (FieldErrors::from([(field.to_owned(), vec![detail])]), None)
        }
        Err(err @ AppError::Conflict { .. }) => (FieldErrors::new(), Some(sentence(&err))),
        Err(err) => return Err(err.into()),
    };
    let view = articles::get(&state, &desk.user, id).await?;
    let notice = Notice {
        problem,
        ..Notice::default()
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(&state, &desk, &view, fields, errors, notice, status).await
}

/// The body rendered by the API's renderer, with its word count (an htmx fragment).
async fn preview(
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let text = form.get("body").unwrap_or_default();
    let (words, minutes) = word_count(text);
    render(
        StatusCode::OK,
        "desk/preview.html",
        context! { preview => articles::body_html(text), words, minutes },
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/stories/{id}")
            .route(web::get().to(open))
            .route(web::post().to(save)),
    )
    .service(web::resource("/admin/stories/{id}/preview").route(web::post().to(preview)));
}
