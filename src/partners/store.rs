//! SQL of partners and their API keys.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{ApiKeyInfo, Partner};

const COLUMNS: &str =
    "id, name, outlet_ids, section_ids, webhook_url, active, webhook_failures, webhooks_paused_at, webhooks_pause_reason, created_at, updated_at";

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Partner>> {
    sqlx::query_as(&format!("select {COLUMNS} from partners where id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn get_for_update(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Partner>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from partners where id = $1 for update"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Ordered by id (creation time), keyset after `after`.
pub async fn list(
    db: impl PgExecutor<'_>,
    q: Option<&str>,
    active: Option<bool>,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Partner>> {
    let mut query: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("select {COLUMNS} from partners where true"));
    if let Some(after) = after {
        query.push(" and id > ").push_bind(after);
    }
    if let Some(q) = q {
        query
            .push(" and name ilike ")
            .push_bind(format!("%{}%", crate::domain::escape_like(q)));
    }
    if let Some(active) = active {
        query.push(" and active = ").push_bind(active);
    }
    query.push(" order by id limit ").push_bind(limit + 1);
    query.build_query_as().fetch_all(db).await
}

pub async fn insert(db: impl PgExecutor<'_>, p: &Partner, secret: &str) -> sqlx::Result<()> {
    sqlx::query(
        "insert into partners (id, name, outlet_ids, section_ids, webhook_url, webhook_secret, active, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(p.id)
    .bind(&p.name)
    .bind(&p.outlet_ids)
    .bind(&p.section_ids)
    .bind(&p.webhook_url)
    .bind(secret)
    .bind(p.active)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update(db: impl PgExecutor<'_>, p: &Partner) -> sqlx::Result<()> {
    sqlx::query(
        "update partners set name = $2, outlet_ids = $3, section_ids = $4, webhook_url = $5, active = $6, updated_at = $7
         where id = $1",
    )
    .bind(p.id)
    .bind(&p.name)
    .bind(&p.outlet_ids)
    .bind(&p.section_ids)
    .bind(&p.webhook_url)
    .bind(p.active)
    .bind(p.updated_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_key(
    db: impl PgExecutor<'_>,
    id: Uuid,
    partner: Uuid,
    prefix: &str,
    hash: &[u8],
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into api_keys (id, partner_id, prefix, key_hash, expires_at, created_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(partner)
    .bind(prefix)
    .bind(hash)
    .bind(expires_at)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Newest first by id (UUID v7: creation order), keyset before `before`; `limit + 1` rows.
pub async fn keys(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<ApiKeyInfo>> {
    sqlx::query_as(
        "select id, prefix, expires_at, created_at, last_used_at, revoked_at from api_keys
         where partner_id = $1 and ($2::uuid is null or id < $2)
         order by id desc limit $3",
    )
    .bind(partner)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(db)
    .await
}

/// One key of this partner.
pub async fn key(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    key: Uuid,
) -> sqlx::Result<Option<ApiKeyInfo>> {
    sqlx::query_as(
        "select id, prefix, expires_at, created_at, last_used_at, revoked_at from api_keys
         where partner_id = $1 and id = $2",
    )
    .bind(partner)
    .bind(key)
    .fetch_optional(db)
    .await
}

/// Revokes a key of this partner; false when there is no such key.
pub async fn revoke_key(
    db: impl PgExecutor<'_>,
    partner: Uuid,
    key: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update api_keys set revoked_at = coalesce(revoked_at, $3) where id = $2 and partner_id = $1",
    )
    .bind(partner)
    .bind(key)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
