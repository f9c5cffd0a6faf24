//! SQL of the admin view of subscribers.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{ConsentEvent, Subscriber};

const SELECT: &str = "select s.id, s.email, s.name, s.created_at, s.updated_at, s.erased_at,
    (select coalesce(jsonb_agg(jsonb_build_object(
         'newsletter', n.slug, 'status', x.status, 'policy_version', x.policy_version,
         'created_at', x.created_at, 'confirmed_at', x.confirmed_at, 'unsubscribed_at', x.unsubscribed_at)
         order by n.slug), '[]')
     from subscriptions x join newsletters n on n.id = x.newsletter_id where x.subscriber_id = s.id) as subscriptions
    from subscribers s";

pub struct ListFilter {
    pub newsletter: Option<Uuid>,
    pub status: Option<&'static str>,
    pub q: Option<String>,
}

/// Newest first, keyset before `before`.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    before: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Subscriber>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(SELECT);
    q.push(" where true");
    if let Some(before) = before {
        q.push(" and s.id < ").push_bind(before);
    }
    if f.newsletter.is_some() || f.status.is_some() {
        q.push(" and exists (select 1 from subscriptions x where x.subscriber_id = s.id");
        if let Some(newsletter) = f.newsletter {
            q.push(" and x.newsletter_id = ").push_bind(newsletter);
        }
        if let Some(status) = &f.status {
            q.push(" and x.status = ").push_bind(*status);
        }
        q.push(")");
    }
    if let Some(text) = &f.q {
        // The start of the address or of the name, on their `text_pattern_ops` indexes
        // (migration 20261206001011); addresses are stored in lower case.
        let pattern = format!("{}%", crate::domain::escape_like(&text.to_lowercase()));
        q.push(" and (s.email like ")
            .push_bind(pattern.clone())
            .push(" or lower(s.name) like ")
            .push_bind(pattern)
            .push(")");
    }
    q.push(" order by s.id desc limit ").push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Subscriber>> {
    sqlx::query_as(&format!("{SELECT} where s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn lock(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<(Option<String>, Option<DateTime<Utc>>)>> {
    sqlx::query_as("select email, erased_at from subscribers where id = $1 for update")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn ledger(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<ConsentEvent>> {
    sqlx::query_as(
        "select c.id, n.slug as newsletter, c.action, c.at, c.ip, c.user_agent, c.policy_version, c.source
         from consent_events c left join newsletters n on n.id = c.newsletter_id
         where c.subscriber_id = $1 order by c.at, c.id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Removes every personal field and everything that could be mailed or followed: the
/// address and name, subscriptions, tokens and queued emails to the address.
pub async fn erase(
    db: &mut sqlx::PgConnection,
    id: Uuid,
    email: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("delete from subscriptions where subscriber_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    sqlx::query("delete from confirmation_tokens where subscriber_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    sqlx::query("delete from unsubscribe_tokens where subscriber_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    sqlx::query("delete from email_outbox where recipient = $1")
        .bind(email)
        .execute(&mut *db)
        .await?;
    sqlx::query("update subscribers set email = null, name = null, erased_at = $2, updated_at = $2 where id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// A staged import file, locked for its real run; `body` is none once imported.
#[derive(sqlx::FromRow)]
pub struct StagedFile {
    pub body: Option<Vec<u8>>,
}

pub async fn insert_import(
    db: impl PgExecutor<'_>,
    id: Uuid,
    uploaded_by: Uuid,
    file_name: &str,
    body: &[u8],
    rows: i32,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into subscriber_imports (id, uploaded_by, file_name, body, rows, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(uploaded_by)
    .bind(file_name)
    .bind(body)
    .bind(rows)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Empties the files uploaded before `before` and never imported.
pub async fn forget_imports(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("delete from subscriber_imports where created_at < $1 and imported_at is null")
        .bind(before)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn lock_import(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<StagedFile>> {
    sqlx::query_as("select body from subscriber_imports where id = $1 for update")
        .bind(id)
        .fetch_optional(db)
        .await
}
