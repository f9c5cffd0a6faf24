//! `GET /syndication/v1/feeds/{outlet}.atom` and `.json`: an outlet's latest 50 visible
//! stories as Atom 1.0 or JSON Feed 1.1, for partners with an API key and the same
//! entitlements as the change feed. An outlet the key is not entitled to is a 404 (its
//! existence is not revealed); a `?section=` it is not entitled to is a 403, as in the feed.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

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
    let sections = super::http::section_filter(state, section, &partner.section_ids).await?;
    let filter = StoryFilter {
        outlet: Some(outlet.id),
        sections,
        ..StoryFilter::default()
    };
    let rows = stories::list(
        &state.read_db,
        &filter,
        None,
        FEED_LENGTH,
        state.clock.now(),
        true,
    )
    .await?;
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

/// Every story of a feed sent counts as fetched (feeds carry whole stories); a 304 sent
/// nothing.
fn record_usage(state: &AppState, partner: &PartnerKey, rows: &[StoryRow], res: &HttpResponse) {
    if res.status() != actix_web::http::StatusCode::OK {
        return;
    }
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
    let res = http_cache::bytes_with(
        &req,
        bytes,
        ATOM_CONTENT_TYPE,
        feeds::last_modified(&rows),
        PARTNER_FEED,
    );
    record_usage(&state, &partner, &rows, &res);
    Ok(res)
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
    let res = http_cache::bytes_with(
        &req,
        bytes,
        JSON_FEED_CONTENT_TYPE,
        feeds::last_modified(&rows),
        PARTNER_FEED,
    );
    record_usage(&state, &partner, &rows, &res);
    Ok(res)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/feeds/{outlet}.atom").route(web::get().to(atom)))
        .service(web::resource("/feeds/{outlet}.json").route(web::get().to(json)));
}
