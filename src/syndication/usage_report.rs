//! The usage report: what the usage log wrote, per partner, outlet and day (UTC), and the
//! requests counted per partner and day.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

/// One outlet on one day (UTC) of a partner's usage.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct UsageRow {
    pub day: NaiveDate,
    pub outlet_id: Uuid,
    pub outlet_slug: String,
    /// Stories fetched (a story fetched twice counts twice).
    pub fetches: i64,
    /// Distinct stories fetched.
    pub stories: i64,
}

/// One day (UTC) of a partner's requests.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct RequestDay {
    pub day: NaiveDate,
    /// Requests whose key was valid and within its rate limit, whatever they answered:
    /// stories, none, a 304, a 403 or 404.
    pub requests: i64,
}

/// A partner's requests per day, days from `from` to `to` inclusive (days without are left
/// out).
pub async fn requests(
    db: &PgPool,
    partner: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<RequestDay>> {
    sqlx::query_as(
        "select day, requests from partner_requests
         where partner_id = $1 and day >= $2 and day <= $3
         order by day",
    )
    .bind(partner)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// A partner's usage per outlet and day, days from `from` to `to` inclusive.
pub async fn report(
    db: &PgPool,
    partner: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<UsageRow>> {
    sqlx::query_as(
        "select (u.hour at time zone 'UTC')::date as day, u.outlet_id, o.slug as outlet_slug,
                sum(u.fetches)::bigint as fetches, count(distinct u.article_id) as stories
         from partner_usage u join outlets o on o.id = u.outlet_id
         where u.partner_id = $1
           and u.hour >= ($2::date)::timestamp at time zone 'UTC'
           and u.hour < ($3::date + 1)::timestamp at time zone 'UTC'
         group by 1, 2, 3
         order by 1, 3",
    )
    .bind(partner)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
