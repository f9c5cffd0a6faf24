//! SQL of authors.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::Author;
use crate::domain::Key;

const COLUMNS: &str = "id, slug, name, bio, outlet_id, user_id, created_at, updated_at";

pub async fn get(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Author>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from authors where id = $1 or slug = $2"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub async fn get_for_update(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Author>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from authors where id = $1 or slug = $2 for update"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub struct ListFilter {
    pub q: Option<String>,
    pub outlet_id: Option<Uuid>,
}

/// Ordered by slug, keyset after `after`.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> sqlx::Result<Vec<Author>> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("select {COLUMNS} from authors where true"));
    if let Some(after) = after {
        q.push(" and slug > ").push_bind(after);
    }
    if let Some(text) = &f.q {
        q.push(" and name ilike ")
            .push_bind(format!("%{}%", crate::domain::escape_like(text)));
    }
    if let Some(outlet) = f.outlet_id {
        q.push(" and outlet_id = ").push_bind(outlet);
    }
    q.push(" order by slug limit ").push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

/// Inserts or overwrites every field of `a` (by id) and returns the stored row.
pub async fn save(db: impl PgExecutor<'_>, a: &Author) -> sqlx::Result<Author> {
    sqlx::query_as(&format!(
        "insert into authors ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (id) do update set slug = $2, name = $3, bio = $4, outlet_id = $5, user_id = $6, updated_at = $8
         returning {COLUMNS}"
    ))
    .bind(a.id)
    .bind(&a.slug)
    .bind(&a.name)
    .bind(&a.bio)
    .bind(a.outlet_id)
    .bind(a.user_id)
    .bind(a.created_at)
    .bind(a.updated_at)
    .fetch_one(db)
    .await
}

pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from authors where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
