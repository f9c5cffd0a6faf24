//! Articles: drafting, the editorial workflow, revisions, corrections and search.
//!
//! Every editorial rule is in the rule book (`rules/`, pure). The services read an article,
//! ask the rule book, and write its answer in one transaction: `service.rs` (read, list,
//! create, edit, delete), `actions.rs` (workflow actions), `revisions.rs` (history) and
//! `due.rs` (the clock's work), `queues.rs` (the dashboard's queues). `store.rs` and `search/` hold the SQL; `http.rs` and
//! `revisions_http.rs` the routes. Other features and front ends use what this face exports.

mod actions;
mod content;
mod due;
pub mod http;
mod model;
mod pictures;
pub mod queues;
mod queues_store;
mod references;
mod render;
#[cfg(test)]
mod render_fuzz;
mod requests;
pub mod revisions;
pub mod revisions_http;
pub mod rules;
pub mod search;
mod service;
mod store;

pub use actions::{act, ActionInput};
pub use content::{ArticleChanges, ArticleContent, Headline};
pub use due::{lift_embargoes, publish_scheduled, Published};
pub use model::{Article, ArticleSummary, ArticleView, Correction, Snapshot};
pub use render::{body_html, Pictures};
pub use requests::{ActionBody, ArticleQuery, CreateArticle, UpdateArticle};
pub use rules::{publicly_visible, push_publicly_visible, Action, Status};
pub use search::ListRequest;
pub use service::{
    count_by_status, create, delete, get, import, list, preview, update, NewArticle,
};
