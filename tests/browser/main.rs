//! The browser suite: the application's pages in headless Chromium, driven over WebDriver.
//! `harness` starts the browser and holds the checks (axe-core, keyboard, phone width,
//! screenshots of failures); `reader` sets up a reader's newsletter links; `desk` signs the
//! desk's staff in (and tests it); one file per surface holds its tests. See docs/testing.md, "The browser suite".

mod desk;
mod desk_byline;
mod desk_catalogue;
mod desk_dashboard;
mod desk_editor;
mod desk_list;
mod desk_newsletters;
mod desk_partners;
mod desk_phone;
mod desk_pictures;
mod desk_staff;
mod desk_subscribers;
mod desk_usage;
mod desk_workflow;
mod emails;
mod harness;
mod harness_checks;
// The API suite's `TestApp` (real server, fresh database per test), shared rather than
// copied; this suite uses only part of it. So `tests/api/helpers/` must not name anything
// outside its folder (no `crate::` paths): this binary compiles it too.
#[allow(dead_code, unused_imports)]
#[path = "../api/helpers/mod.rs"]
mod helpers;
mod newsletter;
mod reader;
mod site;
// The API suite's SMTP server, which records what it is sent (`desk_newsletters`).
#[allow(dead_code)]
#[path = "../api/smtp_sink.rs"]
mod smtp_sink;
mod subscriptions;
