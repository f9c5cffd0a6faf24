//! An outlet's look on the site: the band at the top of its pages and its stories (the logo,
//! or the name) and its colour, served as a small per-outlet stylesheet
//! (`/look/{outlet}.css`) that sets two CSS custom properties `assets/site.css` reads. The
//! site's policy allows no inline style, and a served stylesheet is cacheable: pages link it
//! with `?v=` the outlet's last change, and that exact URL is cached for a year.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::http_cache;
use crate::public::service;
use crate::public::urls::segment;
use crate::public::{Logo, PublicOutlet};
use crate::security_headers::SITE_CONTENT_SECURITY_POLICY;
use crate::state::AppState;

/// What the band of an outlet's page shows, and its stylesheet when it has a colour.
#[derive(Serialize)]
pub struct Look {
    pub slug: String,
    pub name: String,
    pub logo: Option<Logo>,
    pub stylesheet: Option<String>,
}

/// The stylesheet's version: the outlet's last change, in microseconds.
fn version(outlet: &PublicOutlet) -> String {
    format!("{:x}", outlet.updated_at.timestamp_micros())
}

impl Look {
    pub fn of(outlet: &PublicOutlet) -> Look {
        let stylesheet = outlet
            .colour
            .is_some()
            .then(|| format!("/look/{}.css?v={}", segment(&outlet.slug), version(outlet)));
        Look {
            slug: outlet.slug.clone(),
            name: outlet.name.clone(),
            logo: outlet.logo.clone(),
            stylesheet,
        }
    }
}

/// The stylesheet: the outlet's colour and the text colour computed for it (both checked
/// `#rrggbb` values, so nothing else can reach the CSS). Without a colour it is empty and the
/// default theme applies.
pub fn css(outlet: &PublicOutlet) -> String {
    match (&outlet.colour, &outlet.text_colour) {
        (Some(bg), Some(fg)) => format!(":root{{--outlet-bg:{bg};--outlet-fg:{fg}}}\n"),
        _ => String::new(),
    }
}

#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    pub v: Option<String>,
}

/// `GET /look/{outlet}.css`: a year's cache when `?v=` is the current version, else the
/// pages' short one (`http_cache::PUBLIC`); an unknown outlet is a 404 (a problem document:
/// this is no page).
pub async fn stylesheet(
    state: web::Data<AppState>,
    req: HttpRequest,
    outlet: web::Path<String>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse> {
    let outlet = service::outlet(&state, &outlet).await?;
    let cache = if query.v.as_deref() == Some(version(&outlet).as_str()) {
        http_cache::IMMUTABLE
    } else {
        http_cache::PUBLIC
    };
    let mut res: HttpResponse = http_cache::bytes_with(
        &req,
        css(&outlet).into_bytes(),
        "text/css; charset=utf-8",
        Some(outlet.updated_at),
        cache,
    );
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static(SITE_CONTENT_SECURITY_POLICY),
    );
    Ok(res)
}
