//! Feeds of the latest stories, built in one place for partners
//! (`/syndication/v1/feeds/{outlet}.atom` and `.json`) and the public site
//! (`/public/v1/sections/{section}/feed.atom`): Atom 1.0 through `atom_syndication`, and
//! JSON Feed 1.1 through serde structs of our own.

mod atom;
mod json_feed;

pub use atom::atom;
pub use json_feed::{json_feed, JsonFeed};

use chrono::{DateTime, Utc};

use crate::stories::StoryRow;

/// How many stories a feed carries.
pub const FEED_LENGTH: i64 = 50;
pub const ATOM_CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";
pub const JSON_FEED_CONTENT_TYPE: &str = "application/feed+json";

/// What a feed says about itself.
pub struct FeedInfo {
    /// A permanent URI, e.g. `urn:newsroom:feed:outlet:<id>`.
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The absolute URL of the feed itself.
    pub self_url: String,
    /// The site the feed is about (an outlet's website).
    pub home_url: Option<String>,
    pub language: Option<String>,
    /// The feed's `updated` when it has no entries (its outlet or section's `updated_at`).
    pub updated: DateTime<Utc>,
    /// `NEWSROOM_PUBLIC_BASE_URL`, for links of stories without a canonical URL.
    pub site_base: String,
}

/// The story's featured picture as a feed shows it: a JPEG up to 1,600 px wide, its URL
/// absolute on `base`.
fn featured_image(story: &StoryRow, base: &str) -> Option<crate::media::Rendition> {
    let picture = &story.featured_picture.as_ref()?.0;
    let renditions = crate::media::service::renditions_for(picture);
    let mut r = crate::media::service::jpeg_up_to(&renditions, 1600)?;
    r.href = format!("{}{}", base.trim_end_matches('/'), r.href);
    Some(r)
}

/// The newest `updated_at` of the entries: the feed's `Last-Modified`.
pub fn last_modified(stories: &[StoryRow]) -> Option<DateTime<Utc>> {
    stories.iter().map(|s| s.updated_at).max()
}

/// The entries' categories: the section's name, then the tags.
fn categories(story: &StoryRow) -> impl Iterator<Item = &str> {
    story
        .section_name
        .as_deref()
        .into_iter()
        .chain(story.tags.iter().map(String::as_str))
}
