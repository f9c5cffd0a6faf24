//! `GET /syndication/v1/articles` (the change feed) and `GET /syndication/v1/articles/{id}`,
//! for partners with an API key. Responses carry a strong ETag and answer `If-None-Match`
//! with 304.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ninjs::{self, Ninjs};
use super::store::{self, Position};
use super::story_cache::Rendered;
use super::usage::Fetch;
use crate::articles::publicly_visible;
use crate::auth::{PartnerKey, PresentedKey};
use crate::domain::{limit, Cursor, Key};
use crate::error::{AppError, Problem, Result};
use crate::http_cache;
use crate::site::page_cache::{Page, Served};
use crate::state::AppState;
use crate::stories::{self, StoryRow};
use crate::{outlets, sections};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `next` of the previous page; absent: from the beginning.
    pub since: Option<String>,
    /// Only this outlet (slug or id); must be one the key is entitled to.
    pub outlet: Option<String>,
    /// Only this section (slug or id); must be one the key is entitled to.
    pub section: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// One change: what happened, and the story as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedItem {
    pub event_id: Uuid,
    /// Written by `outbox::EventType`, so its values are that type's.
    #[schema(value_type = crate::outbox::EventType)]
    pub event: String,
    pub occurred_at: DateTime<Utc>,
    /// The story now: whole when visible, else a tombstone (`withheld` / `canceled`, no body).
    pub story: Ninjs,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Pass back as `?since=`; on an empty page it is the cursor you sent, so keep polling it.
    pub next: String,
    /// Whether more changes are waiting now (fetch again at once).
    pub has_more: bool,
}

/// What a feed filter names.
#[derive(Clone, Copy, Debug)]
pub(super) enum Catalogue {
    Outlets,
    Sections,
}

/// The outlets or sections a feed covers: the one named (slug or id) if the key is entitled
/// to it (403 otherwise), or every one it is entitled to.
pub(super) async fn filter(
    state: &AppState,
    kind: Catalogue,
    raw: Option<&str>,
    entitled: &[Uuid],
) -> Result<Vec<Uuid>> {
    let Some(raw) = raw else {
        return Ok(entitled.to_vec());
    };
    let key = Key::parse(raw);
    let db = &state.read_db;
    let (field, found) = match kind {
        Catalogue::Outlets => ("outlet", outlets::store::get(db, &key).await?.map(|o| o.id)),
        Catalogue::Sections => (
            "section",
            sections::store::get(db, &key).await?.map(|s| s.id),
        ),
    };
    narrow(field, found, entitled)
}

/// The one id a filter names: 422 when it names nothing, 403 when the key is not entitled to
/// it (an empty entitlement means all).
fn narrow(field: &str, found: Option<Uuid>, entitled: &[Uuid]) -> Result<Vec<Uuid>> {
    let id = found.ok_or_else(|| AppError::field(field, "names nothing that exists"))?;
    if !entitled.is_empty() && !entitled.contains(&id) {
        return Err(AppError::ForbiddenBecause(
            "Your API key is not entitled to this outlet or section.",
        ));
    }
    Ok(vec![id])
}

/// The change feed: every publication, correction, withdrawal and kill the key is entitled
/// to, in commit order. Never a draft; an embargoed story only once its embargo lifts.
#[utoipa::path(get, operation_id = "syndication_feed", path = "/syndication/v1/articles", tag = "syndication", params(FeedQuery),
    responses((status = 200, body = FeedPage), (status = 304), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)),
    security(("api_key" = [])))]
pub async fn feed(
    state: web::Data<AppState>,
    partner: PartnerKey,
    req: HttpRequest,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse> {
    let limit = limit(query.limit)?;
    let since: Position = Cursor::decode(query.since.as_deref())?.unwrap_or((0, Uuid::nil()));
    let outlets = filter(
        &state,
        Catalogue::Outlets,
        query.outlet.as_deref(),
        &partner.outlet_ids,
    )
    .await?;
    let sections = filter(
        &state,
        Catalogue::Sections,
        query.section.as_deref(),
        &partner.section_ids,
    )
    .await?;
    // Partners with the same entitlements polling the same position get the same page: kept
    // like the public API's answers (`site::page_cache`: 1 s at most, emptied by this
    // instance's staff writes), and recorded in each one's usage.
    let key = format!(
        "feed {} {} {} {} {limit}",
        ids(&outlets),
        ids(&sections),
        since.0,
        since.1
    );
    let page = state
        .site
        .page(&key, || state.clock.now(), async {
            feed_page(&state, since, &outlets, &sections, limit).await
        })
        .await?;
    let res = http_cache::with_etag(
        &req,
        page.body.clone(),
        &page.etag,
        "application/json",
        page.modified,
        http_cache::PARTNER_SHORT,
    );
    if res.status() == StatusCode::OK {
        // Each visible story of the page once (a page may hold two events of one story);
        // a 304 sent nothing, so it counts nothing.
        let at = state.clock.now();
        state
            .usage
            .record(page.served.iter().map(|s| fetch(&partner, s, at)));
    }
    Ok(res)
}

/// A filter's ids in one order, for the key of a kept page.
fn ids(ids: &[Uuid]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The feed page after `since`: its JSON, its newest change, and the visible stories on it.
async fn feed_page(
    state: &AppState,
    since: Position,
    outlets: &[Uuid],
    sections: &[Uuid],
    limit: i64,
) -> Result<Page> {
    let mut events = store::events(&state.read_db, since, outlets, sections, limit + 1).await?;
    let has_more = events.len() as i64 > limit;
    events.truncate(limit as usize);
    let ids: Vec<Uuid> = events.iter().map(|e| e.article_id).collect();
    let stories = stories::by_ids(&state.read_db, &ids).await?;
    let now = state.clock.now();
    let next = events.last().map_or(since, |e| (e.txid, e.id));
    // The newest change on the page: an event, or a later edit of one of its stories.
    let modified = events
        .iter()
        .filter_map(|e| {
            let row = stories.iter().find(|s| s.id == e.article_id)?;
            Some(e.occurred_at.max(row.updated_at))
        })
        .max();
    let items = events
        .into_iter()
        .filter_map(|e| {
            let row = stories.iter().find(|s| s.id == e.article_id)?;
            Some(FeedItem {
                event_id: e.id,
                event: e.event_type,
                occurred_at: e.occurred_at,
                story: ninjs::story(row, &state.config.public_url, now),
            })
        })
        .collect();
    let page = FeedPage {
        items,
        next: Cursor::encode(&next),
        has_more,
    };
    let body = serde_json::to_vec(&page).map_err(anyhow::Error::from)?;
    let served: Vec<Served> = stories
        .iter()
        .filter(|row| publicly_visible(row.status, row.embargo_until, now))
        .map(served)
        .collect();
    Ok(Page {
        served: served.into(),
        ..Page::new(body, modified)
    })
}

/// One story, if the key is entitled to it and it is visible now (404 otherwise).
#[utoipa::path(get, operation_id = "syndication_story", path = "/syndication/v1/articles/{id}", tag = "syndication",
    responses((status = 200, body = Ninjs), (status = 304), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("api_key" = [])))]
pub async fn story(
    state: web::Data<AppState>,
    key: PresentedKey,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    // The key check and the story on the worker's kept read connections (`db::read_db`).
    let partner = key.check(&state, &state.read_db).await?;
    let row = stories::by_id(&state.read_db, id.into_inner())
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    if !partner.entitled_to(row.outlet_id, row.section_id)
        || !publicly_visible(row.status, row.embargo_until, now)
    {
        return Err(AppError::NotFound);
    }
    let fetched = fetch(&partner, &served(&row), now);
    let modified = row.updated_at;
    // Visible, so the rendering depends on the row alone (see `story_cache`).
    let rendered = state.stories.get_or_render(row, |row| {
        let body = serde_json::to_vec(&ninjs::story(row, &state.config.public_url, now))
            .map_err(anyhow::Error::from)?;
        let etag = http_cache::etag_of(&body);
        Ok::<_, AppError>(Rendered {
            body: body.into(),
            etag,
        })
    })?;
    let res = http_cache::with_etag(
        &req,
        rendered.body,
        &rendered.etag,
        "application/json",
        Some(modified),
        http_cache::PARTNER_SHORT,
    );
    if res.status() == StatusCode::OK {
        state.usage.record([fetched]);
    }
    Ok(res)
}

/// What the usage log needs of a story served.
fn served(row: &StoryRow) -> Served {
    Served {
        article_id: row.id,
        article_version: row.version,
        outlet_id: row.outlet_id,
    }
}

/// One story fetched by this key, for the usage log.
fn fetch(partner: &PartnerKey, story: &Served, at: DateTime<Utc>) -> Fetch {
    Fetch {
        partner_id: partner.partner_id,
        key_id: partner.key_id,
        article_id: story.article_id,
        article_version: story.article_version,
        outlet_id: story.outlet_id,
        at,
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/articles").route(web::get().to(feed)))
        .service(web::resource("/articles/{id}").route(web::get().to(story)));
}
