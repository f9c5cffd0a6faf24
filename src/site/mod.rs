//! The reader site: the alliance's pages at `/`, server-rendered from the same service
//! functions as `/public/v1` (`public::service`), so the one visibility rule (published, out
//! of embargo) holds on every page and no page queries stories by itself. No JavaScript is
//! needed, or sent. One file per page: `front.rs` (`/`), `outlet.rs`, `section.rs`,
//! `story.rs`, `author.rs`, `search.rs`, `newsletter.rs` (the sign-up form and its answer),
//! `look.rs` (an outlet's band and its colour's stylesheet);
//! `page.rs` holds what they share (caching, the frame, error pages), `page_cache.rs` the
//! pages and catalogue an instance keeps for a second, `staff_writes.rs` which writes empty
//! it, `seo.rs` the JSON-LD.
//! docs/site.md describes them.

mod author;
mod figure;
mod front;
mod look;
mod newsletter;
mod outlet;
mod page;
pub mod page_cache;
mod search;
mod section;
mod seo;
mod staff_writes;
mod story;

pub use staff_writes::forget_after_writes;

use actix_web::guard::{self, GuardContext};
use actix_web::web;

/// First path segments that belong to other areas: `/{outlet}` and `/{outlet}/{slug}` never
/// answer for them, so their unknown paths keep their own 404 (a problem document).
pub const RESERVED: &[&str] = &[
    "admin",
    "api",
    "public",
    "syndication",
    "health",
    "media",
    "assets",
    "metrics",
    "section",
    "author",
    "search",
    "newsletter",
    "look",
];

fn not_reserved(ctx: &GuardContext) -> bool {
    let path = ctx.head().uri.path();
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    !RESERVED.contains(&first)
}

/// The site's routes: configured last, so every other area's routes answer first.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(front::show)))
        .service(web::resource("/search").route(web::get().to(search::show)))
        .service(web::resource("/section/{section}").route(web::get().to(section::show)))
        .service(web::resource("/author/{slug}").route(web::get().to(author::show)))
        .service(web::resource("/look/{outlet}.css").route(web::get().to(look::stylesheet)))
        .service(
            web::resource("/newsletter/{slug}")
                .route(web::get().to(newsletter::form))
                .route(web::post().to(newsletter::subscribe)),
        )
        .service(
            web::resource("/{outlet}")
                .guard(guard::fn_guard(not_reserved))
                .route(web::get().to(outlet::show)),
        )
        .service(
            web::resource("/{outlet}/{slug}")
                .guard(guard::fn_guard(not_reserved))
                .route(web::get().to(story::show)),
        );
}
