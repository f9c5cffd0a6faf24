//! The story list, `/admin/stories`: the stories the user may see (`articles::list`, the
//! API's permission filter and keyset cursor), newest first, with filters (a date range on
//! the last update, in UTC days), how many stories there are in each status
//! (`articles::count_by_status`), the user's saved views (`saved_views`, posted to
//! `views.rs`), and the form that starts a new story (`POST /admin/stories`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveTime};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::names::Names;
use super::page::{redirect, render, sentence, when, DeskError, Form, Me};
use super::session::Desk;
use crate::articles::{self, ArticleQuery, CreateArticle, Status};
use crate::error::{AppError, FieldErrors};
use crate::saved_views::{self, ViewQuery};
use crate::state::AppState;

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// The list's filters as the form sends them (blank means any).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
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
    /// The first day (UTC) of the last update, `YYYY-MM-DD`.
    #[serde(default)]
    from: String,
    /// The last day (UTC) of the last update, `YYYY-MM-DD`.
    #[serde(default)]
    to: String,
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

/// A day of the date range, `YYYY-MM-DD` (what `<input type=date>` sends).
fn day(field: &str, raw: &str) -> Result<Option<NaiveDate>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
            .map(Some)
            .ok_or_else(|| AppError::field(field, "is not a date such as 2026-12-31")),
    }
}

/// Midnight UTC at the start of `day`.
fn midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

impl Filters {
    /// The filters as the list's query string: the saved views' normal form, no cursor.
    pub fn query_string(&self) -> String {
        let raw = serde_urlencoded::to_string(self).unwrap_or_default();
        ViewQuery::normalise(&raw).as_str().to_owned()
    }

    /// `from` and `to` as the half-open range of update times they mean: from the start of
    /// the first day to the start of the day after the last, both UTC.
    fn range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), AppError> {
        let mut errors = FieldErrors::new();
        let from = day("from", &self.from).unwrap_or_else(|e| collect(&mut errors, e));
        let to = day("to", &self.to).unwrap_or_else(|e| collect(&mut errors, e));
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                let message = "is before the first day".to_owned();
                errors.entry("to".into()).or_default().push(message);
            }
        }
        if errors.is_empty() {
            Ok((from, to))
        } else {
            Err(AppError::Validation(errors))
        }
    }

    fn query(&self) -> Result<ArticleQuery, AppError> {
        let (from, to) = self.range()?;
        let before = match to.map(|d| d.succ_opt()) {
            Some(None) => return Err(AppError::field("to", "is too far ahead")),
            Some(Some(next)) => Some(midnight(next)),
            None => None,
        };
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
            updated_after: from.map(midnight),
            updated_before: before,
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            sort: None,
            cursor: Some(self.cursor.clone()).filter(|c| !c.is_empty()),
            limit: Some(PAGE_ROWS),
        })
    }
}

/// Puts a validation error's messages into `errors`; any other error is impossible here.
fn collect<T>(errors: &mut FieldErrors, err: AppError) -> Option<T> {
    if let AppError::Validation(fields) = err {
        for (field, messages) in fields {
            errors.entry(field).or_default().extend(messages);
        }
    }
    None
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

/// The "save this view" form as it was sent, with what was wrong.
#[derive(Default, Serialize)]
pub(super) struct ViewForm {
    pub name: String,
    pub errors: FieldErrors,
}

/// The forms of the page, as sent when one of them was refused.
#[derive(Default)]
pub(super) struct Forms {
    new_story: NewStory,
    view: ViewForm,
}

impl Forms {
    /// The page with the "save this view" form as sent.
    pub(super) fn with_view(view: ViewForm) -> Forms {
        Forms {
            view,
            ..Forms::default()
        }
    }
}

/// A link to one status's stories, with how many there are (`more`: more than `count`).
#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    count: i64,
    more: bool,
    /// The list's query string for it.
    query: String,
}

/// The list under `filters`'s status, one link per status and one for any; none with a
/// search (the service does not count those).
async fn counts(
    state: &AppState,
    desk: &Desk,
    filters: &Filters,
) -> Result<Vec<StatusCount>, AppError> {
    let request = filters.query()?.try_into()?;
    let Some(found) = articles::count_by_status(state, &desk.user, request).await? else {
        return Ok(Vec::new());
    };
    let link = |status: &str| {
        let mut f = filters.clone();
        f.status = status.to_owned();
        f.query_string()
    };
    let cap = articles::search::COUNT_CAP;
    let more = |n: i64| n > cap;
    let mut out: Vec<StatusCount> = found
        .iter()
        .map(|(s, n)| StatusCount {
            status: s.as_str(),
            count: (*n).min(cap),
            more: more(*n),
            query: link(s.as_str()),
        })
        .collect();
    out.insert(
        0,
        StatusCount {
            status: "",
            count: out.iter().map(|c| c.count).sum(),
            more: out.iter().any(|c| c.more),
            query: link(""),
        },
    );
    Ok(out)
}

/// The list page under `filters`; a refused filter is answered 422 with its message next to
/// its field (`filter_errors`) and no rows, an unreadable cursor 400.
pub(super) async fn page(
    state: &AppState,
    desk: &Desk,
    filters: Filters,
    forms: Forms,
    mut status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let names = Names::load(state).await?;
    let mut filter_errors = FieldErrors::new();
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
        Err(err) => {
            // A filter it refused is a 422 beside its field; a query it cannot read (a broken
            // cursor, which no field of the form holds) a 400, said on the page.
            status = match &err {
                AppError::Validation(fields) if !fields.contains_key("cursor") => {
                    filter_errors = fields.clone();
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                _ => StatusCode::BAD_REQUEST,
            };
            (Vec::new(), None, Some(sentence(&err)))
        }
    };
    let counts = match problem {
        None => counts(state, desk, &filters).await?,
        Some(_) => Vec::new(),
    };
    let views = saved_views::list(state, &desk.user).await?;
    let current_query = filters.query_string();
    let next_url = next.map(|cursor| {
        let mut query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        query.push_str("&cursor=");
        query.push_str(&cursor);
        format!("/admin/stories?{query}")
    });
    let writable = names.outlets_where(|o| desk.user.belongs_to(o));
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    render(
        status,
        "desk/stories.html",
        context! {
            title => "Stories", me => Me::from(desk), rows, next_url, problem, filters,
            filter_errors, counts, views, current_query, view_form => forms.view,
            statuses, outlets => names.outlets, sections => names.sections,
            authors => names.authors, writable, new_story => forms.new_story,
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
        Forms::default(),
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
                featured_media_id: None,
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
            let forms = Forms {
                new_story,
                ..Forms::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &desk, Filters::default(), forms, status).await
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
