//! The transactional outbox: article events written in the transaction of the change that
//! causes them, so an event exists exactly when its change committed. The syndication
//! worker delivers them to partners.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Published,
    Updated,
    Withdrawn,
    Killed,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Published => "article.published",
            EventType::Updated => "article.updated",
            EventType::Withdrawn => "article.withdrawn",
            EventType::Killed => "article.killed",
        }
    }
}

/// Records an event about `article` at `version`; returns the event id.
pub async fn enqueue(
    db: impl PgExecutor<'_>,
    event: EventType,
    article: Uuid,
    version: i32,
    at: DateTime<Utc>,
) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into outbox_events (id, event_type, article_id, article_version, occurred_at) values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(event.as_str())
    .bind(article)
    .bind(version)
    .bind(at)
    .execute(db)
    .await?;
    Ok(id)
}
