//! SQL of newsletters.

use sqlx::{PgExecutor, Postgres, QueryBuilder};

use super::Newsletter;
use crate::domain::Key;

const COLUMNS: &str = "id, slug, name, description, created_at, updated_at";

pub async fn get(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Newsletter>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from newsletters where id = $1 or slug = $2"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub async fn get_for_update(
    db: impl PgExecutor<'_>,
    key: &Key,
) -> sqlx::Result<Option<Newsletter>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from newsletters where id = $1 or slug = $2 for update"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

/// Ordered by slug, keyset after `after`.
pub async fn list(
    db: impl PgExecutor<'_>,
    q: Option<&str>,
    after: Option<String>,
    limit: i64,
) -> sqlx::Result<Vec<Newsletter>> {
    let mut query: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("select {COLUMNS} from newsletters where true"));
    if let Some(after) = after {
        query.push(" and slug > ").push_bind(after);
    }
    if let Some(q) = q {
        query
            .push(" and name ilike ")
            .push_bind(format!("%{}%", crate::domain::escape_like(q)));
    }
    query.push(" order by slug limit ").push_bind(limit + 1);
    query.build_query_as().fetch_all(db).await
}

pub async fn insert(db: impl PgExecutor<'_>, n: &Newsletter) -> sqlx::Result<()> {
    sqlx::query(
        "insert into newsletters (id, slug, name, description, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(n.id)
    .bind(&n.slug)
    .bind(&n.name)
    .bind(&n.description)
    .bind(n.created_at)
    .bind(n.updated_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update(db: impl PgExecutor<'_>, n: &Newsletter) -> sqlx::Result<()> {
    sqlx::query(
        "update newsletters set slug = $2, name = $3, description = $4, updated_at = $5 where id = $1",
    )
    .bind(n.id)
    .bind(&n.slug)
    .bind(&n.name)
    .bind(&n.description)
    .bind(n.updated_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from newsletters where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
