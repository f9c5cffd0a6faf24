//! SQL of the audit log.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::model::{AuditEntry, AuditFilter};
use super::Entry;

pub(super) async fn insert(
    db: impl PgExecutor<'_>,
    e: &Entry<'_>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into audit_entries (id, actor_id, actor_label, action, entity_type, entity_id, changes, request_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(Uuid::now_v7())
    .bind(e.actor.id)
    .bind(&e.actor.label)
    .bind(e.action)
    .bind(e.entity_type)
    .bind(e.entity_id)
    .bind(&e.changes)
    .bind(&e.actor.request_id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Newest first, keyset on the v7 id (which sorts by time of writing).
pub(super) async fn list(
    db: impl PgExecutor<'_>,
    f: &AuditFilter,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<AuditEntry>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        "select id, actor_id, actor_label, action, entity_type, entity_id, changes, request_id, created_at
         from audit_entries where true",
    );
    if let Some(id) = after {
        q.push(" and id < ").push_bind(id);
    }
    if let Some(actor) = f.actor_id {
        q.push(" and actor_id = ").push_bind(actor);
    }
    if let Some(t) = &f.entity_type {
        q.push(" and entity_type = ").push_bind(t.clone());
    }
    if let Some(id) = f.entity_id {
        q.push(" and entity_id = ").push_bind(id);
    }
    if let Some(a) = &f.action {
        q.push(" and action = ").push_bind(a.clone());
    }
    if let Some(from) = f.from {
        q.push(" and created_at >= ").push_bind(from);
    }
    if let Some(to) = f.to {
        q.push(" and created_at < ").push_bind(to);
    }
    q.push(" order by id desc limit ").push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}
