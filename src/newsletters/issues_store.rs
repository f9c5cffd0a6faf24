//! SQL of newsletter issues and their recipients.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::issue_model::{Issue, Progress};

const COLUMNS: &str = "id, newsletter_id, number, subject, intro, article_ids, status, created_at, updated_at, send_started_at, queued_at, sent_at";

pub async fn insert(db: impl PgExecutor<'_>, issue: &Issue, by: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "insert into newsletter_issues (id, newsletter_id, number, subject, intro, article_ids, status, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8)",
    )
    .bind(issue.id)
    .bind(issue.newsletter_id)
    .bind(issue.number)
    .bind(&issue.subject)
    .bind(&issue.intro)
    .bind(&issue.article_ids)
    .bind(by)
    .bind(issue.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn next_number(db: impl PgExecutor<'_>, newsletter: Uuid) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "select coalesce(max(number), 0) + 1 from newsletter_issues where newsletter_id = $1",
    )
    .bind(newsletter)
    .fetch_one(db)
    .await
}

pub async fn get(
    db: impl PgExecutor<'_>,
    newsletter: Uuid,
    number: i32,
    lock: bool,
) -> sqlx::Result<Option<Issue>> {
    let suffix = if lock { " for update" } else { "" };
    sqlx::query_as(&format!(
        "select {COLUMNS} from newsletter_issues where newsletter_id = $1 and number = $2{suffix}"
    ))
    .bind(newsletter)
    .bind(number)
    .fetch_optional(db)
    .await
}

/// The newest issue of a newsletter that is sent or being sent.
pub async fn latest_sent(db: impl PgExecutor<'_>, newsletter: Uuid) -> sqlx::Result<Option<Issue>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from newsletter_issues where newsletter_id = $1 and status <> 'draft'
         order by number desc limit 1"
    ))
    .bind(newsletter)
    .fetch_optional(db)
    .await
}

/// Issues being sent, the earliest started first, with their newsletter's slug and name
/// (through `newsletter_issues_sending_idx`).
pub async fn sending(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> sqlx::Result<Vec<(Issue, String, String)>> {
    let rows: Vec<SendingRow> = sqlx::query_as(&format!(
        "select {COLUMNS}, (select n.slug from newsletters n where n.id = newsletter_id) as slug,
                (select n.name from newsletters n where n.id = newsletter_id) as name
         from newsletter_issues where status = 'sending'
         order by send_started_at nulls last, id limit $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.issue, r.slug, r.name))
        .collect())
}

#[derive(sqlx::FromRow)]
struct SendingRow {
    #[sqlx(flatten)]
    issue: Issue,
    slug: String,
    name: String,
}

/// Starts sending a draft.
pub async fn start_sending(
    db: impl PgExecutor<'_>,
    id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update newsletter_issues set status = 'sending', updated_at = $2,
             send_started_at = coalesce(send_started_at, $2)
         where id = $1 and status = 'draft'",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Records that every recipient of a `sending` issue is queued.
pub async fn mark_queued(
    db: impl PgExecutor<'_>,
    id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update newsletter_issues set queued_at = $2, updated_at = $2
         where id = $1 and status = 'sending' and queued_at is null",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks `sent` every queued issue none of whose emails is still waiting or being sent. The
/// check reads only the outbox's queue (its partial indexes on `pending` and `sending`), so
/// it costs what the queue holds, not what was ever sent.
pub async fn finish_sent(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update newsletter_issues i set status = 'sent', sent_at = $1, updated_at = $1
         where i.status = 'sending' and i.queued_at is not null
           and not exists (select 1 from email_outbox e
                           where e.status in ('pending', 'sending')
                             and e.dedupe_key like 'issue:' || i.id::text || ':%')",
    )
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Issues a server left half-queued: the jobs loop finishes them.
pub async fn queueing(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, i32)>> {
    sqlx::query_as(
        "select newsletter_id, number from newsletter_issues
         where status = 'sending' and queued_at is null order by created_at",
    )
    .fetch_all(db)
    .await
}

/// A recipient to queue: a confirmed subscriber whose address is not suppressed.
#[derive(Debug, sqlx::FromRow)]
pub struct Recipient {
    pub subscriber_id: Uuid,
    pub email: String,
}

/// Confirmed subscribers with an address that is not suppressed, the issue not yet queued
/// for them.
const NOT_YET_QUEUED: &str = "from subscriptions x join subscribers s on s.id = x.subscriber_id
    where x.newsletter_id = $2 and x.status = 'confirmed' and s.email is not null
      and not exists (select 1 from issue_recipients r where r.issue_id = $1 and r.subscriber_id = x.subscriber_id)
      and not exists (select 1 from suppressions p where p.email_hash = sha256(convert_to(s.email, 'UTF8'))
                      and (p.newsletter_id is null or p.newsletter_id = $2))";

/// The next recipients after subscriber `after` (a sender goes through them in id order and
/// never scans the ones it queued again), locked so that two senders (a request, the jobs loop) never take
/// the same ones: `wait` waits for rows another sender holds, otherwise they are skipped.
pub async fn next_recipients(
    db: impl PgExecutor<'_>,
    issue: Uuid,
    newsletter: Uuid,
    limit: i64,
    after: Uuid,
    wait: bool,
) -> sqlx::Result<Vec<Recipient>> {
    let skip = if wait { "" } else { " skip locked" };
    sqlx::query_as(&format!(
        "select x.subscriber_id, s.email {NOT_YET_QUEUED} and x.subscriber_id > $4
         order by x.subscriber_id limit $3 for update of x{skip}"
    ))
    .bind(issue)
    .bind(newsletter)
    .bind(limit)
    .bind(after)
    .fetch_all(db)
    .await
}

/// How many recipients are not queued yet (committed state, no locks).
pub async fn remaining(
    db: impl PgExecutor<'_>,
    issue: Uuid,
    newsletter: Uuid,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("select count(*) {NOT_YET_QUEUED}"))
        .bind(issue)
        .bind(newsletter)
        .fetch_one(db)
        .await
}

/// Records that the issue is queued for the subscriber; false when it already was.
pub async fn add_recipient(
    db: impl PgExecutor<'_>,
    issue: Uuid,
    subscriber: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into issue_recipients (issue_id, subscriber_id, queued_at) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(issue)
    .bind(subscriber)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How far sending has got: the issue's emails by status.
pub async fn progress(db: impl PgExecutor<'_>, issue: Uuid) -> sqlx::Result<Progress> {
    sqlx::query_as(
        "select count(*) as recipients,
                count(*) filter (where e.status in ('pending', 'sending')) as queued,
                count(*) filter (where e.status = 'sent') as sent,
                count(*) filter (where e.status = 'failed') as failed,
                count(*) filter (where e.status = 'interrupted') as interrupted
         from issue_recipients r
         left join email_outbox e on e.dedupe_key = 'issue:' || r.issue_id::text || ':' || r.subscriber_id::text
         where r.issue_id = $1",
    )
    .bind(issue)
    .fetch_one(db)
    .await
}

/// A story of an issue, as the email shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct Story {
    pub id: Uuid,
    pub headline: String,
    pub standfirst: Option<String>,
    pub outlet_slug: String,
    pub slug: String,
    pub canonical_url: Option<String>,
    pub status: crate::articles::Status,
    pub embargo_until: Option<DateTime<Utc>>,
    pub featured_media_id: Option<Uuid>,
}

pub async fn stories(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Story>> {
    sqlx::query_as(
        "select a.id, a.headline, a.standfirst, o.slug as outlet_slug, a.slug, a.canonical_url, a.status, a.embargo_until,
                a.featured_media_id
         from articles a join outlets o on o.id = a.outlet_id where a.id = any($1)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Changes a draft's subject, intro and stories; false when it is no longer a draft.
pub async fn update_draft(
    db: impl PgExecutor<'_>,
    id: Uuid,
    draft: &super::issue_model::Draft,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update newsletter_issues set subject = $2, intro = $3, article_ids = $4, updated_at = $5
         where id = $1 and status = 'draft'",
    )
    .bind(id)
    .bind(&draft.subject)
    .bind(&draft.intro)
    .bind(&draft.article_ids)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A newsletter's issues, newest first, before number `before`, each with the tallies of
/// `progress` (one more row than `limit`, for the next page).
pub async fn list(
    db: impl PgExecutor<'_>,
    newsletter: Uuid,
    before: Option<i32>,
    limit: i64,
) -> sqlx::Result<Vec<super::issue_model::IssueSummary>> {
    sqlx::query_as(
        "select i.id, i.newsletter_id, i.number, i.subject, i.intro, i.article_ids, i.status,
                i.created_at, i.updated_at, i.send_started_at, i.queued_at, i.sent_at,
                p.recipients, p.queued, p.sent, p.failed, p.interrupted
         from newsletter_issues i
         cross join lateral (
             select count(*) as recipients,
                    count(*) filter (where e.status in ('pending', 'sending')) as queued,
                    count(*) filter (where e.status = 'sent') as sent,
                    count(*) filter (where e.status = 'failed') as failed,
                    count(*) filter (where e.status = 'interrupted') as interrupted
             from issue_recipients r
             left join email_outbox e on e.dedupe_key = 'issue:' || r.issue_id::text || ':' || r.subscriber_id::text
             where r.issue_id = i.id) p
         where i.newsletter_id = $1 and ($2::int is null or i.number < $2)
         order by i.number desc limit $3",
    )
    .bind(newsletter)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(db)
    .await
}
