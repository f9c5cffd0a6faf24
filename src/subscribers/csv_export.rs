//! `GET /api/v1/subscribers/export.csv`: every subscription as CSV, streamed in pages of
//! `PAGE` rows read by keyset, so memory stays flat however many subscribers there are.
//! Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) get a
//! leading `'` (OWASP CSV injection).

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use sqlx::PgPool;
use uuid::Uuid;

const PAGE: i64 = 1000;
pub const HEADER: [&str; 9] = [
    "subscriber_id",
    "email",
    "name",
    "newsletter",
    "status",
    "policy_version",
    "subscribed_at",
    "confirmed_at",
    "unsubscribed_at",
];

#[derive(sqlx::FromRow)]
struct Row {
    subscriber_id: Uuid,
    newsletter_id: Uuid,
    email: String,
    name: Option<String>,
    newsletter: String,
    status: String,
    policy_version: Option<String>,
    created_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    unsubscribed_at: Option<DateTime<Utc>>,
}

/// Where the export is: before the first page, after a row, or done.
enum Position {
    Start,
    After(Uuid, Uuid),
    Done,
}

/// The CSV, header first, as a stream of chunks of up to `PAGE` rows.
pub fn stream(db: PgPool) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
    stream::unfold(Position::Start, move |position| {
        let db = db.clone();
        async move {
            let after = match position {
                Position::Done => return None,
                Position::Start => None,
                Position::After(s, n) => Some((s, n)),
            };
            let rows = match page(&db, after).await {
                Ok(rows) => rows,
                Err(err) => {
                    tracing::error!(error = %err, "the subscriber export stopped");
                    let err = actix_web::error::ErrorInternalServerError("export interrupted");
                    return Some((Err(err), Position::Done));
                }
            };
            let mut out = csv::Writer::from_writer(Vec::new());
            if after.is_none() {
                let _ = out.write_record(HEADER);
            }
            for row in &rows {
                let _ = out.write_record([
                    row.subscriber_id.to_string(),
                    safe(&row.email),
                    safe(row.name.as_deref().unwrap_or_default()),
                    safe(&row.newsletter),
                    row.status.clone(),
                    safe(row.policy_version.as_deref().unwrap_or_default()),
                    row.created_at.to_rfc3339(),
                    row.confirmed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    row.unsubscribed_at
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_default(),
                ]);
            }
            let next = match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => {
                    Position::After(last.subscriber_id, last.newsletter_id)
                }
                _ => Position::Done,
            };
            let bytes = out.into_inner().unwrap_or_default();
            Some((Ok(Bytes::from(bytes)), next))
        }
    })
}

async fn page(db: &PgPool, after: Option<(Uuid, Uuid)>) -> sqlx::Result<Vec<Row>> {
    let (s, n) = after.unwrap_or((Uuid::nil(), Uuid::nil()));
    sqlx::query_as(
        "select x.subscriber_id, x.newsletter_id, sub.email, sub.name, n.slug as newsletter, x.status,
                x.policy_version, x.created_at, x.confirmed_at, x.unsubscribed_at
         from subscriptions x
         join subscribers sub on sub.id = x.subscriber_id
         join newsletters n on n.id = x.newsletter_id
         where sub.email is not null and (x.subscriber_id, x.newsletter_id) > ($1, $2)
         order by x.subscriber_id, x.newsletter_id
         limit $3",
    )
    .bind(s)
    .bind(n)
    .bind(PAGE)
    .fetch_all(db)
    .await
}

/// A cell a spreadsheet will show as text, never run as a formula.
fn safe(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused() {
        assert_eq!(super::safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::safe("Mei"), "Mei");
    }
}
