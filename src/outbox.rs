//! The transactional outbox: article events written in the transaction of the change that
//! causes them, so an event exists exactly when its change committed. The syndication
//! worker delivers them to partners.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use utoipa::ToSchema;
use uuid::Uuid;

/// What happened to a story: the `event` of the change feed, the `type` of a webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub enum EventType {
    #[serde(rename = "article.published")]
    Published,
    #[serde(rename = "article.updated")]
    Updated,
    #[serde(rename = "article.withdrawn")]
    Withdrawn,
    #[serde(rename = "article.killed")]
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

#[cfg(test)]
mod tests {
    use super::EventType;

    #[test]
    fn the_documented_names_are_the_stored_ones() {
        for event in [
            EventType::Published,
            EventType::Updated,
            EventType::Withdrawn,
            EventType::Killed,
        ] {
            assert_eq!(serde_json::to_value(event).unwrap(), event.as_str());
        }
    }
}
