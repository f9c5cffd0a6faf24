//! SQL of sections.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::Section;
use crate::domain::Key;

const COLUMNS: &str = "id, slug, name, description, parent_id, created_at, updated_at";

pub async fn get(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Section>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from sections where id = $1 or slug = $2"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub async fn get_for_update(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Section>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from sections where id = $1 or slug = $2 for update"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub struct ListFilter {
    pub q: Option<String>,
    pub parent_id: Option<Uuid>,
}

/// Ordered by slug, keyset after `after`.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> sqlx::Result<Vec<Section>> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("select {COLUMNS} from sections where true"));
    if let Some(after) = after {
        q.push(" and slug > ").push_bind(after);
    }
    if let Some(text) = &f.q {
        q.push(" and name ilike ")
            .push_bind(format!("%{}%", crate::domain::escape_like(text)));
    }
    if let Some(parent) = f.parent_id {
        q.push(" and parent_id = ").push_bind(parent);
    }
    q.push(" order by slug limit ").push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

/// Whether `candidate` is `section` itself or one of its descendants (a parent that would
/// make a cycle).
pub async fn is_self_or_descendant(
    db: impl PgExecutor<'_>,
    section: Uuid,
    candidate: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        r#"
        with recursive tree(id) as (
            select $1::uuid
            union
            select s.id from sections s join tree t on s.parent_id = t.id
        )
        select exists (select 1 from tree where id = $2)
        "#,
    )
    .bind(section)
    .bind(candidate)
    .fetch_one(db)
    .await
}

/// The section `key` names and every section below it, at any depth, in one query (the
/// service keeps the tree free of cycles, so the walk ends); empty when `key` names none.
pub async fn self_and_descendants(
    db: impl PgExecutor<'_>,
    key: &crate::domain::Key,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        r#"
        with recursive tree(id) as (
            select id from sections where id = $1 or slug = $2
            union
            select s.id from sections s join tree t on s.parent_id = t.id
        )
        select id from tree
        "#,
    )
    .bind(key.id())
    .bind(key.slug())
    .fetch_all(db)
    .await
}

/// Inserts or overwrites every field of `s` (by id) and returns the stored row.
pub async fn save(db: impl PgExecutor<'_>, s: &Section) -> sqlx::Result<Section> {
    sqlx::query_as(&format!(
        "insert into sections ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (id) do update set slug = $2, name = $3, description = $4, parent_id = $5, updated_at = $7
         returning {COLUMNS}"
    ))
    .bind(s.id)
    .bind(&s.slug)
    .bind(&s.name)
    .bind(&s.description)
    .bind(s.parent_id)
    .bind(s.created_at)
    .bind(s.updated_at)
    .fetch_one(db)
    .await
}

pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from sections where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
