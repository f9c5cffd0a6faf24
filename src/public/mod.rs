//! The public content API: what the alliance's site reads, with no key and no login.
//! Stories, authors, sections, outlets, a sitemap and a section feed — only ever what
//! `articles::publicly_visible` allows, through its SQL twin `push_publicly_visible`.

pub mod http;
mod kept;
mod model;
pub mod service;
mod sitemap;
mod store;
pub mod story_docs;
pub mod urls;

pub use model::{
    Logo, PublicAuthor, PublicOutlet, PublicPicture, PublicSection, PublicStory, StorySummary,
};
