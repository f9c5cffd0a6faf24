//! The OpenAPI 3.1 document of every route (`GET /api/openapi.json`) and the docs page
//! (`/api/docs/`, Swagger UI served from assets vendored at build time).

mod allow;
mod contract;
mod problems;

pub use allow::methods_for;
use contract::Contract;
use problems::ProblemResponses;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    articles, audit, auth, authors, error, health, media, newsletters, outlets, partners, public,
    sections, subscribers, subscriptions, syndication, users, webhooks,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "newsroom", description = "The content backend of a news alliance."),
    paths(
        auth::http::login, auth::http::logout, auth::http::me, users::http::change_password,
        users::http::list, users::http::create, users::http::read, users::http::update, users::http::deactivate,
        outlets::http::list, outlets::http::create, outlets::http::read, outlets::http::update, outlets::http::delete,
        sections::http::list, sections::http::create, sections::http::read, sections::http::update, sections::http::delete,
        authors::http::list, authors::http::create, authors::http::read, authors::http::update, authors::http::delete,
        articles::http::list, articles::http::create, articles::http::read, articles::http::update,
        articles::http::delete, articles::http::act,
        articles::revisions_http::list, articles::revisions_http::read, articles::revisions_http::diff,
        articles::revisions_http::restore,
        partners::http::list, partners::http::create, partners::http::read, partners::http::update,
        partners::http::deactivate, partners::http::keys, partners::http::create_key, partners::http::revoke_key,
        partners::http::usage,
        webhooks::http::list, webhooks::http::read, webhooks::http::replay, webhooks::http::pause, webhooks::http::resume,
        webhooks::http::rotate_secret,
        syndication::http::feed, syndication::http::story, syndication::feeds::atom, syndication::feeds::json,
        public::http::articles, public::http::article, public::http::sections, public::http::outlets,
        public::http::author, public::http::section_feed, public::http::section_json_feed,
        public::http::site_feed, public::http::site_json_feed, public::http::sitemap_xml, public::http::sitemap_page,
        newsletters::http::list, newsletters::http::create, newsletters::http::read,
        newsletters::http::update, newsletters::http::delete,
        newsletters::issues_http::create, newsletters::issues_http::read, newsletters::issues_http::preview,
        newsletters::issues_http::send, newsletters::issues_http::latest,
        subscribers::http::list, subscribers::http::read, subscribers::http::export, subscribers::http::erase,
        subscribers::http::export_csv, subscribers::http::import,
        subscriptions::http::subscribe, subscriptions::http::confirm_page, subscriptions::http::confirm,
        subscriptions::http::unsubscribe_page, subscriptions::http::unsubscribe,
        media::http::list, media::http::create, media::http::read, media::http::update,
        media::http::delete, media::serve::rendition,
        audit::http::list, health::live, health::ready,
    ),
    components(schemas(error::Problem)),
    // `Contract` last: it reads what the others added.
    modifiers(&BearerAuth, &ProblemResponses, &Contract),
    tags(
        (name = "auth", description = "Staff sign-in and sessions"),
        (name = "users", description = "Staff accounts (admins)"),
        (name = "catalogue", description = "Outlets, sections and authors"),
        (name = "articles", description = "Stories, the editorial workflow and revisions"),
        (name = "partners", description = "Syndication partners and their API keys (admins)"),
        (name = "syndication", description = "Stories for partners, with an API key"),
        (name = "public", description = "Published stories for the alliance's site: no key, cacheable"),
        (name = "newsletters", description = "Newsletters readers subscribe to"),
        (name = "media", description = "Pictures: the library, uploads and renditions"),
        (name = "audit", description = "Who changed what"),
        (name = "operations", description = "Health checks"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("nrs_…")
                    .build(),
            ),
        );
        // A partner's API key, sent as a bearer token (or, equally, as `X-Api-Key: nr_…`).
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("nr_…")
                    .description(Some("A partner API key; `X-Api-Key: nr_…` works too."))
                    .build(),
            ),
        );
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()))
        // The page's assets are relative to `/api/docs/`: a typed `/api/docs` is sent there.
        .service(web::resource("/api/docs").route(web::get().to(to_docs_page)));
}

async fn to_docs_page() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/api/docs/"))
        .finish()
}
