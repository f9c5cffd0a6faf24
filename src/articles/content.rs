//! The editable fields of an article, typed, in one place: what a create starts from, what a
//! PATCH changes, what a revision keeps and a restore brings back, and what the store
//! writes. `Article` and `Snapshot` flatten this struct rather than copy its fields.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{required_text, LanguageTag, Slug, WebUrl};
use crate::error::{AppError, Result};

/// A headline: trimmed, 1 to [`Headline::MAX`] characters, no NUL.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, sqlx::Type)]
#[serde(try_from = "String")]
#[sqlx(transparent)]
pub struct Headline(String);

impl Headline {
    pub const MAX: usize = 300;

    pub fn parse(field: &str, raw: &str) -> Result<Headline> {
        required_text(field, raw, Headline::MAX).map(Headline)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Headline {
    type Error = AppError;
    fn try_from(raw: String) -> Result<Headline> {
        Headline::parse("headline", &raw)
    }
}

impl Serialize for Headline {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl fmt::Display for Headline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The editable fields of an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct ArticleContent {
    /// Unique within the outlet; letters of every script.
    #[schema(value_type = String)]
    pub slug: Slug,
    #[schema(value_type = String)]
    pub headline: Headline,
    pub standfirst: Option<String>,
    /// Markdown source.
    pub body: String,
    pub section_id: Option<Uuid>,
    /// The byline, in order.
    pub author_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    /// BCP 47.
    #[schema(value_type = String)]
    pub language: LanguageTag,
    #[schema(value_type = Option<String>)]
    pub canonical_url: Option<WebUrl>,
    /// The article this one translates.
    pub translation_of: Option<Uuid>,
    /// For a story republished from another outlet: the original outlet, credited on every copy.
    pub origin_outlet_id: Option<Uuid>,
    /// For a republished story: the original's canonical URL.
    #[schema(value_type = Option<String>)]
    pub origin_url: Option<WebUrl>,
    pub embargo_until: Option<DateTime<Utc>>,
    /// The picture shown with the story (a picture of the story's outlet). Revisions made
    /// before pictures existed have none.
    #[serde(default)]
    pub featured_media_id: Option<Uuid>,
}

/// A PATCH, parsed: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct ArticleChanges {
    pub slug: Option<Slug>,
    pub headline: Option<Headline>,
    pub standfirst: Option<Option<String>>,
    pub body: Option<String>,
    pub section_id: Option<Option<Uuid>>,
    pub author_ids: Option<Vec<Uuid>>,
    pub tags: Option<Vec<String>>,
    pub language: Option<LanguageTag>,
    pub canonical_url: Option<Option<WebUrl>>,
    pub translation_of: Option<Option<Uuid>>,
    pub origin_outlet_id: Option<Option<Uuid>>,
    pub origin_url: Option<Option<WebUrl>>,
    pub embargo_until: Option<Option<DateTime<Utc>>>,
    pub featured_media_id: Option<Option<Uuid>>,
    /// A public note, for a change to a published story (not a field of the content).
    pub correction_note: Option<String>,
}

impl ArticleContent {
    /// A new story's content: its slug, headline and language, every other field empty.
    pub fn new(slug: Slug, headline: Headline, language: LanguageTag) -> ArticleContent {
        ArticleContent {
            slug,
            headline,
            standfirst: None,
            body: String::new(),
            section_id: None,
            author_ids: Vec::new(),
            tags: Vec::new(),
            language,
            canonical_url: None,
            translation_of: None,
            origin_outlet_id: None,
            origin_url: None,
            embargo_until: None,
            featured_media_id: None,
        }
    }

    /// The content with `changes` applied.
    pub fn apply(&mut self, changes: ArticleChanges) {
        fn set<T>(field: &mut T, change: Option<T>) {
            if let Some(value) = change {
                *field = value;
            }
        }
        set(&mut self.slug, changes.slug);
        set(&mut self.headline, changes.headline);
        set(&mut self.standfirst, changes.standfirst);
        set(&mut self.body, changes.body);
        set(&mut self.section_id, changes.section_id);
        set(&mut self.author_ids, changes.author_ids);
        set(&mut self.tags, changes.tags);
        set(&mut self.language, changes.language);
        set(&mut self.canonical_url, changes.canonical_url);
        set(&mut self.translation_of, changes.translation_of);
        set(&mut self.origin_outlet_id, changes.origin_outlet_id);
        set(&mut self.origin_url, changes.origin_url);
        set(&mut self.embargo_until, changes.embargo_until);
        set(&mut self.featured_media_id, changes.featured_media_id);
    }
}
