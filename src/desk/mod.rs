//! The desk: the web client editors and writers work in, at `/admin`, served by this binary.
//! Server-rendered pages (`crate::templates`, `templates/desk/`) that call the same services
//! as the JSON API and hold no rule of their own; htmx and `assets/desk.js` only improve
//! forms that work without them. One file per screen: `login.rs` (sign in and out),
//! `dashboard.rs` (the landing page: each role's queues and alerts, `crate::dashboard`),
//! `stories.rs` (the list; `views.rs` saves and deletes its saved views),
//! `editor.rs` (a story, its form's fields in `fields.rs`;
//! `conflict.rs` for a stale save),
//! `workflow.rs` (the action bar), `revisions.rs` (history and restore), `compare.rs` (two
//! versions side by side, through `diff.rs`, which the conflict page shares) and `presence.rs`
//! (who else has the story open); `staff.rs` (accounts) with `staff_account.rs` (one
//! account: edit, deactivate) and `audit_log.rs` (the audit log). `session.rs` holds the
//! cookie and CSRF rules, `page.rs` what every screen shares, `problem.rs` the middleware
//! that answers every refusal under `/admin` with a page, `names.rs` the catalogue's names,
//! `zone.rs` the outlet's clock. The catalogue: `outlets.rs`, `sections.rs` (the tree) and
//! `authors.rs`, sharing `catalogue.rs`. Syndication partners (admins): `partners.rs` (the
//! list, a new partner), `partner.rs` (one partner: what it sees, its settings),
//! `partner_keys.rs` (API keys and the webhook secret, each shown once) and
//! `partner_deliveries.rs` (the webhook log, replay, pausing webhooks by hand and resuming
//! paused ones) and
//! `partner_usage.rs` (syndication usage: a table, a chart drawn by `usage_chart.rs`, CSV),
//! sharing `partner_refusals.rs` (the service's refusals as their forms show them).
//! Subscribers (admins): `subscribers.rs` (search, filters, the CSV export),
//! `subscriber.rs` (one reader: subscriptions, the consent ledger as a timeline, GDPR export,
//! erasure with the address typed out) and `subscriber_import.rs` (a CSV's dry run with its per-row
//! report) and `subscriber_import_run.rs` (the real import, run in the background: a live
//! progress bar with the tallies, then the per-row report, paged).
//! Newsletters: `newsletters.rs` (the list, a new newsletter), `newsletter.rs` (one
//! newsletter: settings and its issues with their tallies), `issue_compose.rs` (compose or
//! change an issue: search published stories, order them, subject and intro),
//! `issue_preview.rs` (the issue as readers get it, HTML at desktop and phone widths, and
//! plain text) and `issue_send.rs` (the confirm step with the recipient count, then the live
//! progress bar), sharing `newsletter_refusals.rs`.
//! The partner and newsletter forms show the service's refusals through `form_refusal.rs`.
//! docs/desk.md describes them.

mod audit_log;
mod authors;
mod catalogue;
mod compare;
mod conflict;
mod dashboard;
mod diff;
mod editor;
mod editor_picture;
mod fields;
mod form_refusal;
mod issue_compose;
mod issue_preview;
mod issue_send;
mod login;
mod names;
mod newsletter;
mod newsletter_refusals;
mod newsletters;
mod outlets;
mod page;
mod partner;
mod partner_deliveries;
mod partner_keys;
mod partner_refusals;
mod partner_usage;
mod partners;
mod presence;
mod problem;
mod revisions;
mod sections;
mod session;
mod staff;
mod staff_account;
mod stories;
mod subscriber;
mod subscriber_import;
mod subscriber_import_run;
mod subscribers;
mod usage_chart;
mod views;
mod workflow;
mod zone;

use actix_web::web;

pub use problem::as_pages as problem_pages;
pub use session::Desk;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(login::routes)
        .configure(dashboard::routes)
        .configure(stories::routes)
        .configure(views::routes)
        .configure(editor::routes)
        .configure(editor_picture::routes)
        .configure(workflow::routes)
        .configure(revisions::routes)
        .configure(compare::routes)
        .configure(presence::routes)
        .configure(outlets::routes)
        .configure(sections::routes)
        .configure(authors::routes)
        .configure(staff::routes)
        .configure(staff_account::routes)
        .configure(audit_log::routes)
        .configure(partners::routes)
        .configure(partner::routes)
        .configure(partner_keys::routes)
        .configure(partner_deliveries::routes)
        .configure(partner_usage::routes)
        // The literal paths (`export.csv`, `import`) before `/admin/subscribers/{id}`.
        .configure(subscribers::routes)
        .configure(subscriber_import::routes)
        .configure(subscriber_import_run::routes)
        .configure(subscriber::routes)
        .configure(newsletters::routes)
        .configure(newsletter::routes)
        .configure(issue_compose::routes)
        .configure(issue_preview::routes)
        .configure(issue_send::routes)
        .configure(crate::assets::routes);
}
