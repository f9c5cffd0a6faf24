//! The article as stored, as shown, and as snapshotted in revisions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::rules::{Action, Status};

/// An article row with its ordered byline.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Article {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    /// Markdown source.
    pub body: String,
    /// Sanitised HTML rendered from `body`.
    pub body_html: String,
    pub section_id: Option<Uuid>,
    /// The byline, in order.
    pub author_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    /// BCP 47.
    pub language: String,
    pub status: Status,
    /// Starts at 1, +1 per saved change; the ETag.
    pub version: i32,
    pub canonical_url: Option<String>,
    /// The article this one translates.
    pub translation_of: Option<Uuid>,
    /// For a story republished from another outlet: the original outlet, credited on every copy.
    pub origin_outlet_id: Option<Uuid>,
    /// For a republished story: the original's canonical URL.
    pub origin_url: Option<String>,
    /// The writer who created it.
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub embargo_until: Option<DateTime<Utc>>,
    /// When the embargo lifted and the story became visible to partners.
    pub embargo_released_at: Option<DateTime<Utc>>,
}

/// A public correction note.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Correction {
    pub id: Uuid,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// An article as the admin API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleView {
    #[serde(flatten)]
    pub article: Article,
    pub corrections: Vec<Correction>,
    /// The workflow actions the caller may take now.
    pub allowed_actions: Vec<Action>,
    /// Whether the caller may PATCH it now.
    pub editable: bool,
}

/// A list item: the article without its body.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct ArticleSummary {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub section_id: Option<Uuid>,
    pub author_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub language: String,
    pub status: Status,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub embargo_until: Option<DateTime<Utc>>,
    /// Search rank, when `q` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<f32>,
    #[sqlx(skip)]
    pub allowed_actions: Vec<Action>,
}

/// The editable fields at one version: what a revision keeps and a restore brings back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub body: String,
    pub section_id: Option<Uuid>,
    pub author_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub language: String,
    pub canonical_url: Option<String>,
    pub translation_of: Option<Uuid>,
    pub origin_outlet_id: Option<Uuid>,
    pub origin_url: Option<String>,
    pub embargo_until: Option<DateTime<Utc>>,
    /// The workflow state at that version (informational; a restore keeps the current state).
    pub status: Status,
}

impl Article {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            slug: self.slug.clone(),
            headline: self.headline.clone(),
            standfirst: self.standfirst.clone(),
            body: self.body.clone(),
            section_id: self.section_id,
            author_ids: self.author_ids.clone(),
            tags: self.tags.clone(),
            language: self.language.clone(),
            canonical_url: self.canonical_url.clone(),
            translation_of: self.translation_of,
            origin_outlet_id: self.origin_outlet_id,
            origin_url: self.origin_url.clone(),
            embargo_until: self.embargo_until,
            status: self.status,
        }
    }
}
