//! SQL of users and their outlet memberships.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::User;
use crate::domain::Role;

const SELECT: &str = r#"
    select u.id, u.email, u.display_name, u.role, u.active, u.created_at, u.updated_at,
           coalesce(array_agg(uo.outlet_id order by uo.outlet_id)
                    filter (where uo.outlet_id is not null), '{}') as outlet_ids
    from users u left join user_outlets uo on uo.user_id = u.id
"#;

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("{SELECT} where u.id = $1 group by u.id"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Locks the user row for a read-check-write in a transaction.
pub async fn get_for_update(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!(
        "{SELECT} where u.id = (select id from users where id = $1 for update) group by u.id"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub struct ListFilter {
    pub q: Option<String>,
    pub role: Option<Role>,
    pub outlet_id: Option<Uuid>,
    pub active: Option<bool>,
}

/// Ordered by email, keyset after `after`.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> sqlx::Result<Vec<User>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(SELECT);
    q.push(" where true");
    if let Some(after) = after {
        q.push(" and u.email > ").push_bind(after);
    }
    if let Some(text) = &f.q {
        let pattern = format!("%{}%", crate::domain::escape_like(text));
        q.push(" and (u.email ilike ")
            .push_bind(pattern.clone())
            .push(" or u.display_name ilike ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(role) = f.role {
        q.push(" and u.role = ").push_bind(role);
    }
    if let Some(outlet) = f.outlet_id {
        q.push(
            " and exists (select 1 from user_outlets x where x.user_id = u.id and x.outlet_id = ",
        )
        .push_bind(outlet)
        .push(")");
    }
    if let Some(active) = f.active {
        q.push(" and u.active = ").push_bind(active);
    }
    q.push(" group by u.id order by u.email limit ")
        .push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

pub struct NewUser<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub now: DateTime<Utc>,
}

pub async fn insert(db: impl PgExecutor<'_>, u: &NewUser<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into users (id, email, display_name, password_hash, role, active, created_at, updated_at)
         values ($1, $2, $3, $4, $5, true, $6, $6)",
    )
    .bind(u.id)
    .bind(u.email)
    .bind(u.display_name)
    .bind(u.password_hash)
    .bind(u.role)
    .bind(u.now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update(
    db: impl PgExecutor<'_>,
    id: Uuid,
    display_name: &str,
    role: Role,
    active: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update users set display_name = $2, role = $3, active = $4, updated_at = $5 where id = $1",
    )
    .bind(id)
    .bind(display_name)
    .bind(role)
    .bind(active)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Replaces the user's outlet memberships with `outlet_ids` in one statement.
pub async fn set_outlets(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    outlet_ids: &[Uuid],
) -> sqlx::Result<()> {
    sqlx::query(
        r#"
        with gone as (delete from user_outlets where user_id = $1 and outlet_id <> all($2))
        insert into user_outlets (user_id, outlet_id) select $1, unnest($2::uuid[])
        on conflict do nothing
        "#,
    )
    .bind(user_id)
    .bind(outlet_ids)
    .execute(db)
    .await?;
    Ok(())
}

/// Outlet ids for slugs (the command line names outlets by slug).
pub async fn outlet_ids_by_slug(
    db: impl PgExecutor<'_>,
    slugs: &[String],
) -> sqlx::Result<Vec<(String, Uuid)>> {
    sqlx::query_as("select slug, id from outlets where slug = any($1)")
        .bind(slugs)
        .fetch_all(db)
        .await
}

pub async fn password_hash(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn set_password_hash(
    db: impl PgExecutor<'_>,
    id: Uuid,
    hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update users set password_hash = $2, updated_at = $3 where id = $1")
        .bind(id)
        .bind(hash)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}
