//! `GET /syndication/v1/feeds/{outlet}.atom` and `.json`: an outlet's latest 50 visible
//! stories as Atom 1.0 or JSON Feed 1.1, for partners with an API key and the same
//! entitlements as the change feed. An outlet the key is not entitled to is a 404 (its
//! existence is not revealed); a `?section=` it is not entitled to is a 403, as in the feed.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::http::Catalogue;
use crate::auth::PartnerKey;
use crate::domain::Key;
use crate::error::{AppError, Problem, Result};
use crate::feeds::{
    self, FeedInfo, JsonFeed, ATOM_CONTENT_TYPE, FEED_LENGTH, JSON_FEED_CONTENT_TYPE,
};
use crate::http_cache::{self, PARTNER_FEED};
use crate::outlets;
use crate::state::AppState;
use crate::stories::{self, StoryFilter, StoryRow};
use crate::syndication::usage::Fetch;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartnerFeedQuery {
    /// Only this section (slug or id); must be one the key is entitled to.
    pub section: Option<String>,
}

/// The feed's description and stories, after the entitlement checks.
async fn load(
    state: &AppState,
    partner: &PartnerKey,
    outlet: &str,
    section: Option<&str>,
    extension: &str,
) -> Result<(FeedInfo, Vec<StoryRow>)> {
    let outlet = outlets::store::get(&state.read_db, &Key::parse(outlet))
        .await?
        .filter(|o| partner.outlet_ids.is_empty() || partner.outlet_ids.contains(&o.id))
        .ok_or(AppError::NotFound)?;
    let sections =
        super::http::filter(state, Catalogue::Sections, section, &partner.section_ids).await?;
    let filter = StoryFilter {
        outlet: Some(outlet.id),
        sections,
        ..StoryFilter::default()
    };
    let rows = stories::latest(&state.read_db, &filter, FEED_LENGTH, state.clock.now()).await?;
    let config = &state.config;
    let mut id = format!("urn:newsroom:feed:outlet:{}", outlet.id);
    let mut self_url = format!(
        "{}/syndication/v1/feeds/{}.{extension}",
        config.public_url, outlet.slug
    );
    if let (Some(section), [section_id]) = (section, filter.sections.as_slice()) {
        // The resolved id, so `?section=trade` and `?section=<its id>` are one feed.
        id.push_str(&format!(":section:{section_id}"));
        self_url.push_str(&format!(
            "?section={}",
            crate::public::urls::segment(section)
        ));
    }
    let info = FeedInfo {
        id,
        title: outlet.name,
        description: outlet.description,
        self_url,
        home_url: outlet.website,
        language: Some(outlet.language),
        updated: outlet.updated_at,
        site_base: config.public_base_url.clone(),
    };
    Ok((info, rows))
}

/// A feed document, cached as partners' feeds are; every story of a feed sent counts as
/// fetched (feeds carry whole stories), and a 304 sent nothing.
fn send(
    state: &AppState,
    partner: &PartnerKey,
    req: &HttpRequest,
    rows: &[StoryRow],
    bytes: Vec<u8>,
    content_type: &'static str,
) -> HttpResponse {
    let modified = feeds::last_modified(rows);
    let res = http_cache::bytes_with(req, bytes, content_type, modified, PARTNER_FEED);
    if res.status() == actix_web::http::StatusCode::OK {
        let now = state.clock.now();
        state.usage.record(rows.iter().map(|row| Fetch {
            partner_id: partner.partner_id,
            key_id: partner.key_id,
            article_id: row.id,
            article_version: row.version,
            outlet_id: row.outlet_id,
            at: now,
        }));
    }
    res
}

/// An outlet's latest stories as Atom 1.0.
#[utoipa::path(get, operation_id = "syndication_atom_feed", path = "/syndication/v1/feeds/{outlet}.atom", tag = "syndication",
    params(("outlet" = String, Path, description = "Outlet slug or id"), PartnerFeedQuery),
    responses((status = 200, description = "Atom 1.0", content_type = "application/atom+xml"), (status = 304),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("api_key" = [])))]
pub async fn atom(
    state: web::Data<AppState>,
    partner: PartnerKey,
    req: HttpRequest,
    outlet: web::Path<String>,
    query: web::Query<PartnerFeedQuery>,
) -> Result<HttpResponse> {
    let (info, rows) = load(&state, &partner, &outlet, query.section.as_deref(), "atom").await?;
    let bytes = feeds::atom(&info, &rows)?;
    Ok(send(
        &state,
        &partner,
        &req,
        &rows,
        bytes,
        ATOM_CONTENT_TYPE,
    ))
}

/// An outlet's latest stories as JSON Feed 1.1.
#[utoipa::path(get, operation_id = "syndication_json_feed", path = "/syndication/v1/feeds/{outlet}.json", tag = "syndication",
    params(("outlet" = String, Path, description = "Outlet slug or id"), PartnerFeedQuery),
    responses((status = 200, body = JsonFeed, content_type = "application/feed+json"), (status = 304),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("api_key" = [])))]
pub async fn json(
    state: web::Data<AppState>,
    partner: PartnerKey,
    req: HttpRequest,
    outlet: web::Path<String>,
    query: web::Query<PartnerFeedQuery>,
) -> Result<HttpResponse> {
    let (info, rows) = load(&state, &partner, &outlet, query.section.as_deref(), "json").await?;
    let bytes = serde_json::to_vec(&feeds::json_feed(&info, &rows)).map_err(anyhow::Error::from)?;
    Ok(send(
        &state,
        &partner,
        &req,
        &rows,
        bytes,
        JSON_FEED_CONTENT_TYPE,
    ))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/feeds/{outlet}.atom").route(web::get().to(atom)))
        .service(web::resource("/feeds/{outlet}.json").route(web::get().to(json)));
}
