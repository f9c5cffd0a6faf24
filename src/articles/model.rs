//! The article as stored, as shown, and as snapshotted in revisions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::content::ArticleContent;
use super::rules::{Action, Status};

/// An article row: its content (with the ordered byline), workflow state and times.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Article {
    pub id: Uuid,
    pub outlet_id: Uuid,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub content: ArticleContent,
    /// Sanitised HTML rendered from `body`.
    pub body_html: String,
    pub status: Status,
    /// Starts at 1, +1 per saved change; the ETag.
    pub version: i32,
    /// The writer who created it.
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
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
    #[schema(nullable = false)]
    pub rank: Option<f32>,
    #[sqlx(skip)]
    pub allowed_actions: Vec<Action>,
}

/// The editable fields at one version: what a revision keeps and a restore brings back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    #[serde(flatten)]
    pub content: ArticleContent,
    /// The workflow state at that version (informational; a restore keeps the current state).
    pub status: Status,
}

impl Article {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            content: self.content.clone(),
            status: self.status,
        }
    }
}
