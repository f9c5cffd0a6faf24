//! What the public API answers: stories and the catalogue with public fields only (no
//! status, versions, staff ids, or internal timestamps).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::store::Translation;
use crate::media::{self, Picture, Rendition};
use crate::outlets::look::Colour;
use crate::outlets::Outlet;
use crate::sections::Section;
use crate::stories::{Byline, PublicCorrection, StoryRow};

/// A section as a story names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionRef {
    pub slug: String,
    pub name: String,
}

/// A story's featured picture as readers get it: the words to show with it and every
/// rendition (`/media/…` URLs, immutable).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicPicture {
    pub id: Uuid,
    pub caption: Option<String>,
    /// "Jane Doe/Reuters": print it with the picture.
    pub credit: Option<String>,
    pub copyright_notice: Option<String>,
    pub usage_terms: Option<String>,
    /// For the `alt` attribute.
    pub alt_text: Option<String>,
    pub width: i32,
    pub height: i32,
    /// The whole picture at several widths (WebP and JPEG, for `srcset`), and 16:9 and 1:1
    /// crops around the focal point (for cards and thumbnails).
    pub renditions: Vec<Rendition>,
}

impl From<Picture> for PublicPicture {
    fn from(p: Picture) -> Self {
        PublicPicture {
            renditions: media::service::renditions_for(&p),
            id: p.id,
            caption: p.caption,
            credit: p.credit,
            copyright_notice: p.copyright_notice,
            usage_terms: p.usage_terms,
            alt_text: p.alt_text,
            width: p.width,
            height: p.height,
        }
    }
}

fn picture(p: Option<sqlx::types::Json<Picture>>) -> Option<PublicPicture> {
    p.map(|p| p.0.into())
}

/// A story in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorySummary {
    pub id: Uuid,
    /// The outlet's slug.
    pub outlet: String,
    /// The outlet's name ("By China Daily" on the site's lists).
    pub outlet_name: String,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub section: Option<SectionRef>,
    pub authors: Vec<Byline>,
    pub tags: Vec<String>,
    pub language: String,
    /// The "Updated:" date: moves when the story is corrected.
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether the story changed since it first appeared (show "Updated:").
    pub updated: bool,
    pub canonical_url: Option<String>,
    pub featured_picture: Option<PublicPicture>,
}

impl From<StoryRow> for StorySummary {
    fn from(r: StoryRow) -> Self {
        let published = r.published();
        StorySummary {
            id: r.id,
            outlet: r.outlet_slug,
            outlet_name: r.outlet_name,
            slug: r.slug,
            headline: r.headline,
            standfirst: r.standfirst,
            section: section(r.section_slug, r.section_name),
            authors: r.authors.0,
            tags: r.tags,
            language: r.language,
            updated: r.first_published_at.is_some_and(|f| published > f),
            published_at: published,
            updated_at: r.updated_at,
            canonical_url: r.canonical_url,
            featured_picture: picture(r.featured_picture),
        }
    }
}

fn section(slug: Option<String>, name: Option<String>) -> Option<SectionRef> {
    Some(SectionRef {
        slug: slug?,
        name: name?,
    })
}

/// The outlet a story comes from, or the one it credits.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutletRef {
    pub slug: String,
    pub name: String,
}

/// The original of a republished story, credited on every copy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Origin {
    pub outlet: Option<OutletRef>,
    /// The original outlet's website.
    pub website: Option<String>,
    /// The original story's canonical URL.
    pub url: Option<String>,
}

/// One story, whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicStory {
    pub id: Uuid,
    pub outlet: OutletRef,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    /// Sanitised HTML.
    pub body_html: String,
    /// The byline, in order, with each author's "About the Author" note.
    pub authors: Vec<Byline>,
    pub section: Option<SectionRef>,
    pub tags: Vec<String>,
    pub language: String,
    pub first_published_at: Option<DateTime<Utc>>,
    /// The "Updated:" date.
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated: bool,
    pub corrections: Vec<PublicCorrection>,
    pub canonical_url: Option<String>,
    /// For a story republished from another outlet: the original it credits.
    pub origin: Option<Origin>,
    /// The picture shown with the story.
    pub featured_picture: Option<PublicPicture>,
    /// The other visible language versions of this story. Last: a story's JSON is made
    /// ahead without them and they are put in at the end (`public::story_docs`).
    pub translations: Vec<Translation>,
}

impl PublicStory {
    pub fn new(r: StoryRow, translations: Vec<Translation>) -> Self {
        let published = r.published();
        let origin = match (&r.origin_slug, &r.origin_name, &r.origin_url) {
            (None, _, None) => None,
            _ => Some(Origin {
                outlet: r
                    .origin_slug
                    .clone()
                    .zip(r.origin_name.clone())
                    .map(|(slug, name)| OutletRef { slug, name }),
                website: r.origin_website.clone(),
                url: r.origin_url.clone(),
            }),
        };
        PublicStory {
            id: r.id,
            outlet: OutletRef {
                slug: r.outlet_slug,
                name: r.outlet_name,
            },
            slug: r.slug,
            headline: r.headline,
            standfirst: r.standfirst,
            body_html: r.body_html.unwrap_or_default(),
            authors: r.authors.0,
            section: section(r.section_slug, r.section_name),
            tags: r.tags,
            language: r.language,
            updated: r.first_published_at.is_some_and(|f| published > f),
            first_published_at: r.first_published_at,
            published_at: published,
            updated_at: r.updated_at,
            corrections: r.corrections.0,
            canonical_url: r.canonical_url,
            origin,
            featured_picture: picture(r.featured_picture),
            translations,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublicOutlet {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub language: String,
    pub website: Option<String>,
    pub description: Option<String>,
    /// The outlet's colour, `#rrggbb`.
    pub colour: Option<String>,
    /// The colour of text drawn on `colour` (`#000000` or `#ffffff`, WCAG AA).
    pub text_colour: Option<String>,
    /// The outlet's logo (a rendition of a picture of its library).
    pub logo: Option<Logo>,
    /// When the outlet last changed (versions its stylesheet on the site).
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub logo_id: Option<Uuid>,
}

/// An outlet's logo: a web-sized rendition served from `/media`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Logo {
    pub href: String,
    pub width: u32,
    pub height: u32,
}

impl From<Outlet> for PublicOutlet {
    fn from(o: Outlet) -> Self {
        let look = o
            .colour
            .as_deref()
            .and_then(|c| Colour::parse("colour", c).ok());
        PublicOutlet {
            id: o.id,
            slug: o.slug,
            name: o.name,
            country: o.country,
            language: o.language,
            website: o.website,
            description: o.description,
            text_colour: look.as_ref().map(|c| c.text_colour().as_str().to_owned()),
            colour: look.map(|c| c.as_str().to_owned()),
            logo: None,
            updated_at: o.updated_at,
            logo_id: o.logo_id,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublicSection {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
}

impl From<Section> for PublicSection {
    fn from(s: Section) -> Self {
        PublicSection {
            id: s.id,
            slug: s.slug,
            name: s.name,
            description: s.description,
            parent_id: s.parent_id,
        }
    }
}

/// An author's page: who they are and their latest visible stories.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicAuthor {
    pub slug: String,
    pub name: String,
    /// The "About the Author" note.
    pub bio: Option<String>,
    pub outlet: Option<OutletRef>,
    /// The latest 20 visible stories, newest first.
    pub stories: Vec<StorySummary>,
}
