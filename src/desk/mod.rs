//! The desk: the web client editors and writers work in, at `/admin`, served by this binary.
//! Server-rendered pages (`crate::templates`, `templates/desk/`) that call the same services
//! as the JSON API and hold no rule of their own; htmx and `assets/desk.js` only improve
//! forms that work without them. One file per screen: `login.rs` (sign in and out),
//! `stories.rs` (the list; `views.rs` saves and deletes its saved views),
//! `editor.rs` (a story, its form's fields in `fields.rs`;
//! `conflict.rs` for a stale save),
//! `workflow.rs` (the action bar), `revisions.rs` (history and restore) and `presence.rs`
//! (who else has the story open). `session.rs`
//! holds the cookie and CSRF rules, `page.rs` what every screen shares, `names.rs` the
//! catalogue's names, `zone.rs` the outlet's clock. docs/desk.md describes them.

mod conflict;
mod editor;
mod fields;
mod login;
mod names;
mod page;
mod presence;
mod revisions;
mod session;
mod stories;
mod views;
mod workflow;
mod zone;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(login::routes)
        .configure(stories::routes)
        .configure(views::routes)
        .configure(editor::routes)
        .configure(workflow::routes)
        .configure(revisions::routes)
        .configure(presence::routes)
        .configure(crate::assets::routes);
}
