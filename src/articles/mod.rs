//! Articles: drafting, the editorial workflow, revisions, corrections and search. Every rule
//! is in the rule book (`rules/`); the services apply its answers in one transaction each.

pub mod actions;
mod content;
mod due;
pub mod http;
mod model;
mod references;
pub mod render;
#[cfg(test)]
mod render_fuzz;
mod requests;
pub mod revisions;
pub mod revisions_http;
pub mod rules;
pub mod search;
pub mod service;
pub mod store;

pub use content::{ArticleChanges, ArticleContent, Headline};
pub use due::{lift_embargoes, publish_scheduled, Published};
pub use model::{Article, ArticleSummary, ArticleView, Correction, Snapshot};
pub use rules::{publicly_visible, push_publicly_visible, Action, Status};
pub use service::import;
