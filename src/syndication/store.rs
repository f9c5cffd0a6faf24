//! SQL of the change feed (the stories themselves are read from `crate::stories`).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// Where a partner is in the feed: the writing transaction and the event id of the last
/// event it received.
pub type Position = (i64, Uuid);

#[derive(Debug, sqlx::FromRow)]
pub struct FeedEvent {
    pub id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub txid: i64,
    pub article_id: Uuid,
}

/// Events after `after` of transactions that are older than every transaction still running
/// (so every event that will ever sort before the last one returned has committed), in
/// commit order, filtered by entitlement (empty = all).
pub(super) async fn events(
    db: impl PgExecutor<'_>,
    after: Position,
    outlets: &[Uuid],
    sections: &[Uuid],
    limit: i64,
) -> sqlx::Result<Vec<FeedEvent>> {
    sqlx::query_as(
        r#"
        select e.id, e.event_type, e.occurred_at, e.txid::text::bigint as txid, e.article_id
        from outbox_events e
        join articles a on a.id = e.article_id
        where e.txid < pg_snapshot_xmin(pg_current_snapshot())
          and (e.txid, e.id) > ($1::text::xid8, $2)
          and (cardinality($3::uuid[]) = 0 or a.outlet_id = any($3))
          and (cardinality($4::uuid[]) = 0 or a.section_id = any($4))
        order by e.txid, e.id
        limit $5
        "#,
    )
    .bind(after.0.to_string())
    .bind(after.1)
    .bind(outlets)
    .bind(sections)
    .bind(limit)
    .fetch_all(db)
    .await
}
