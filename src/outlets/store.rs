//! SQL of outlets.

use sqlx::{PgExecutor, Postgres, QueryBuilder};

use super::Outlet;
use crate::domain::Key;

const COLUMNS: &str =
    "id, slug, name, country, language, website, description, created_at, updated_at, timezone, colour, logo_id";

pub async fn get(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Outlet>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from outlets where id = $1 or slug = $2"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub async fn get_for_update(db: impl PgExecutor<'_>, key: &Key) -> sqlx::Result<Option<Outlet>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from outlets where id = $1 or slug = $2 for update"
    ))
    .bind(key.id())
    .bind(key.slug())
    .fetch_optional(db)
    .await
}

pub struct ListFilter {
    pub q: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
}

/// Ordered by slug, keyset after `after`.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> sqlx::Result<Vec<Outlet>> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("select {COLUMNS} from outlets where true"));
    if let Some(after) = after {
        q.push(" and slug > ").push_bind(after);
    }
    if let Some(text) = &f.q {
        q.push(" and name ilike ")
            .push_bind(format!("%{}%", crate::domain::escape_like(text)));
    }
    if let Some(country) = &f.country {
        q.push(" and country = ")
            .push_bind(country.to_ascii_uppercase());
    }
    if let Some(language) = &f.language {
        q.push(" and language = ").push_bind(language.clone());
    }
    q.push(" order by slug limit ").push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

/// Inserts or overwrites every field of `o` (by id) and returns the stored row.
pub async fn save(db: impl PgExecutor<'_>, o: &Outlet) -> sqlx::Result<Outlet> {
    sqlx::query_as(&format!(
        "insert into outlets ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (id) do update set slug = $2, name = $3, country = $4, language = $5,
             website = $6, description = $7, updated_at = $9, timezone = $10, colour = $11,
             logo_id = $12
         returning {COLUMNS}"
    ))
    .bind(o.id)
    .bind(&o.slug)
    .bind(&o.name)
    .bind(&o.country)
    .bind(&o.language)
    .bind(&o.website)
    .bind(&o.description)
    .bind(o.created_at)
    .bind(o.updated_at)
    .bind(&o.timezone)
    .bind(&o.colour)
    .bind(o.logo_id)
    .fetch_one(db)
    .await
}

/// Whether PostgreSQL knows the time zone `name` (`pg_timezone_names`).
pub async fn known_timezone(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from pg_timezone_names where name = $1)")
        .bind(name)
        .fetch_one(db)
        .await
}

/// The UTC instant of wall-clock time `local` in time zone `tz` (the later one when the
/// clocks go back; a time skipped when they go forward moves forward with them).
pub async fn local_to_utc(
    db: impl PgExecutor<'_>,
    local: chrono::NaiveDateTime,
    tz: &str,
) -> sqlx::Result<chrono::DateTime<chrono::Utc>> {
    sqlx::query_scalar("select $1::timestamp at time zone $2")
        .bind(local)
        .bind(tz)
        .fetch_one(db)
        .await
}

/// The wall-clock time in time zone `tz` of each instant of `at`, in order.
pub async fn utc_to_local(
    db: impl PgExecutor<'_>,
    at: &[chrono::DateTime<chrono::Utc>],
    tz: &str,
) -> sqlx::Result<Vec<chrono::NaiveDateTime>> {
    sqlx::query_scalar(
        "select t at time zone $2 from unnest($1::timestamptz[]) with ordinality as u(t, n)
         order by n",
    )
    .bind(at)
    .bind(tz)
    .fetch_all(db)
    .await
}

pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from outlets where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
