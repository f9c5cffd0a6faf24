//! The story editor, `/admin/stories/{id}`: every editable field in one form that saves with
//! the version it was read at (`articles::update`, the API's `If-Match`), a server-rendered
//! preview (`POST …/preview`, htmx), the word count, and the workflow bar (`workflow.rs`).
//! Bad input comes back with each message next to its field and the text kept; a stale save
//! shows the conflict page (`conflict.rs`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::conflict;
use super::fields::Fields;
use super::names::{Choice, Names};
use super::page::{redirect, render, sentence, when, word_count, DeskError, Form, Me};
use super::session::Desk;
use super::workflow;
use super::zone::Zone;
use crate::articles::{self, ArticleView, Status};
use crate::error::{AppError, FieldErrors};
use crate::media;
use crate::state::AppState;

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
    let byline_len = ordered.len();
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
    let translates = translated(state, desk, a.content.translation_of).await?;
    let featured = Uuid::parse_str(fields.featured_media_id.trim()).ok();
    let pictures = picture_choices(state, desk, a.outlet_id, featured).await?;
    let preview = if fields.body == a.content.body {
        a.body_html.clone()
    } else {
        articles::preview(state, &desk.user, a.id, &fields.body).await?
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
            authors => ordered, byline_len, outlets => names.outlets, translates, actions => workflow::bar(&desk.user, view), others,
            pictures, featured => pictures.iter().find(|p| Some(p.id) == featured),
        },
    )
}

/// A picture the featured-picture field offers.
#[derive(Serialize)]
struct PictureChoice {
    id: Uuid,
    /// "Caption · file.jpg", marked when it has no alt text (publishing would be refused).
    label: String,
    alt: String,
    /// The smallest JPEG of the whole picture.
    thumb: String,
    width: u32,
    height: u32,
}

/// The outlet's newest 50 pictures, and the featured one if it is older.
async fn picture_choices(
    state: &AppState,
    desk: &Desk,
    outlet: Uuid,
    featured: Option<Uuid>,
) -> Result<Vec<PictureChoice>, DeskError> {
    let views = media::service::choices(state, &desk.user, outlet, 50, featured).await?;
    Ok(views
        .into_iter()
        .map(|v| {
            let p = v.picture;
            let thumb = v
                .renditions
                .iter()
                .filter(|r| r.shape == "original" && r.mimetype == "image/jpeg")
                .min_by_key(|r| r.width);
            let alt = p.alt_text.clone().unwrap_or_default();
            let mut label = match &p.caption {
                Some(caption) => format!("{caption} · {}", p.filename),
                None => p.filename.clone(),
            };
            if alt.trim().is_empty() {
                label.push_str(" · no alt text");
            }
            PictureChoice {
                id: p.id,
                label,
                alt,
                thumb: thumb.map(|r| r.href.clone()).unwrap_or_default(),
                width: thumb.map_or(0, |r| r.width),
                height: thumb.map_or(0, |r| r.height),
            }
        })
        .collect())
}

/// The story `translation_of` names, as a link's id and headline: none when there is none or
/// the user may not see it (the field still shows the id).
async fn translated(
    state: &AppState,
    desk: &Desk,
    original: Option<Uuid>,
) -> Result<Option<(Uuid, String)>, DeskError> {
    let Some(original) = original else {
        return Ok(None);
    };
    match articles::get(state, &desk.user, original).await {
        Ok(view) => Ok(Some((original, view.article.content.headline.to_string()))),
        Err(AppError::NotFound | AppError::Forbidden) => Ok(None),
        Err(err) => Err(err.into()),
    }
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
    let moved = form
        .get("move_up")
        .or(form.get("move_down"))
        .and_then(|m| Uuid::parse_str(m).ok());
    let (errors, problem) = match saved {
        Ok(view) if autosave => {
            return Ok(HttpResponse::Ok()
                .insert_header(crate::http_cache::NO_STORE)
                .json(serde_json::json!({"version": view.article.version, "saved_at": when(view.article.updated_at)})))
        }
        Ok(_) => {
            // After a byline move, back to the author moved, where the keyboard was.
            let at = moved.map(|a| format!("#author-{a}")).unwrap_or_default();
            return Ok(redirect(&format!("/admin/stories/{id}?saved{at}")));
        }
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
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let text = form.get("body").unwrap_or_default();
    let (words, minutes) = word_count(text);
    let preview = articles::preview(&state, &desk.user, id.into_inner(), text).await?;
    render(
        StatusCode::OK,
        "desk/preview.html",
        context! { preview, words, minutes },
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
