//! What a newsletter issue is: the issue as stored, where it stands, how far sending has
//! got, and what readers see of it (`issues.rs` composes and sends them, `issues_store.rs`
//! keeps them).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Issue {
    pub id: Uuid,
    pub newsletter_id: Uuid,
    /// 1, 2, 3 … per newsletter.
    pub number: i32,
    pub subject: String,
    pub intro: String,
    /// The stories, in the order the issue shows them.
    pub article_ids: Vec<Uuid>,
    pub status: IssueStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the first send request came.
    pub send_started_at: Option<DateTime<Utc>>,
    /// When every recipient was queued; the emails may still be waiting.
    pub queued_at: Option<DateTime<Utc>>,
    /// When the last email went out (sent, failed or interrupted).
    pub sent_at: Option<DateTime<Utc>>,
}

/// Where an issue stands. `sent` means sent: every email is out of the outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type, ToSchema)]
#[sqlx(type_name = "issue_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    /// Composed, not sent.
    Draft,
    /// From the send request until the last email is out: recipients are queued, then the
    /// emails go.
    Sending,
    /// Every email is out: sent, given up on, or interrupted by a crash.
    Sent,
}

/// How far sending has got.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow, ToSchema)]
pub struct Progress {
    /// Subscribers the issue was queued for.
    pub recipients: i64,
    /// Emails waiting to be sent (or retried), or being sent.
    pub queued: i64,
    pub sent: i64,
    /// Emails given up on.
    pub failed: i64,
    /// Emails whose sending a server crash interrupted: they may or may not have arrived, and
    /// are not sent again, so nobody gets the issue twice.
    pub interrupted: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssueView {
    #[serde(flatten)]
    pub issue: Issue,
    pub progress: Progress,
}

/// The issue as readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Draft {
    pub subject: String,
    pub intro: String,
    pub article_ids: Vec<Uuid>,
}

/// An issue in its newsletter's list, with its sending tallies.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct IssueSummary {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub issue: Issue,
    #[sqlx(flatten)]
    pub progress: Progress,
}

/// A published story that may go into an issue, as the picker shows it.
#[derive(Debug, Serialize)]
pub struct StoryChoice {
    pub id: Uuid,
    pub headline: String,
    pub outlet_id: Uuid,
    pub published_at: Option<DateTime<Utc>>,
}

/// A story named by a draft being composed: its headline only when it may go into an issue
/// (published and public), so picking an id never shows what the picker may not see.
#[derive(Debug, Serialize)]
pub struct Picked {
    pub id: Uuid,
    pub headline: Option<String>,
}
