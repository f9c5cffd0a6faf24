//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>) as plain serde structs: the
//! format is small, and no crate for it is well kept (the few on crates.io are unmaintained
//! or stop at 1.0), so owning forty lines is the safer dependency.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{categories, FeedInfo};
use crate::media;
use crate::public::urls::story_url;
use crate::stories::StoryRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct JsonFeed {
    /// Always `https://jsonfeed.org/version/1.1`.
    pub version: &'static str,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub home_page_url: Option<String>,
    pub feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub language: Option<String>,
    pub items: Vec<JsonFeedItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JsonFeedItem {
    /// `urn:newsroom:article:<id>`, as in the Atom feed and ninjs.
    pub id: String,
    pub url: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub summary: Option<String>,
    pub content_html: String,
    /// The featured picture (a JPEG up to 1,600 px wide), absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub date_published: Option<DateTime<Utc>>,
    pub date_modified: DateTime<Utc>,
    pub authors: Vec<JsonFeedAuthor>,
    /// The section's name, then the tags.
    pub tags: Vec<String>,
    pub language: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JsonFeedAuthor {
    pub name: String,
}

pub fn json_feed(info: &FeedInfo, stories: &[StoryRow]) -> JsonFeed {
    JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: info.title.clone(),
        home_page_url: info.home_url.clone(),
        feed_url: info.self_url.clone(),
        description: info.description.clone(),
        language: info.language.clone(),
        items: stories
            .iter()
            .map(|s| JsonFeedItem {
                id: format!("urn:newsroom:article:{}", s.id),
                url: story_url(
                    &info.site_base,
                    &s.outlet_slug,
                    &s.slug,
                    s.canonical_url.as_deref(),
                ),
                title: s.headline.clone(),
                summary: s.standfirst.clone(),
                content_html: media::service::absolute_media_urls(
                    s.body_html.as_deref().unwrap_or_default(),
                    &info.site_base,
                ),
                image: super::featured_image(s, &info.site_base).map(|r| r.href),
                date_published: s.first_published_at,
                date_modified: s.updated_at,
                authors: s
                    .authors
                    .iter()
                    .map(|a| JsonFeedAuthor {
                        name: a.name.clone(),
                    })
                    .collect(),
                tags: categories(s).map(str::to_owned).collect(),
                language: s.language.clone(),
            })
            .collect(),
    }
}
