//! Data migrations keep the meaning of the rows they find: each test applies the migrations
//! before one to a blank database, writes rows as they were then, applies that migration and
//! reads what it made of them.

use chrono::{DateTime, TimeZone, Utc};
use newsroom::db::MIGRATOR;
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::blank_database;

/// `20261206000201_issue_states`: `sent` means every email is out.
const ISSUE_STATES: i64 = 20261206000201;

/// Applies every migration older than `version`, or exactly `version`.
async fn apply(pool: &PgPool, select: impl Fn(i64) -> bool) {
    for migration in MIGRATOR.iter().filter(|m| select(m.version)) {
        let mut tx = pool.begin().await.unwrap();
        sqlx::raw_sql(&migration.sql)
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", migration.description));
        tx.commit().await.unwrap();
    }
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, hour, 0, 0)
        .single()
        .unwrap()
}

/// An issue as the old code left it: `sent` once every recipient was queued, with one email
/// per `emails` entry (its outbox status and sent time).
async fn old_issue(pool: &PgPool, newsletter: Uuid, number: i32, emails: &[(&str, Option<u32>)]) {
    let issue = Uuid::now_v7();
    sqlx::query(
        "insert into newsletter_issues (id, newsletter_id, number, subject, intro, article_ids,
             status, created_at, updated_at, send_started_at, sent_at)
         values ($1, $2, $3, 'Issue', '', '{}', 'sent', $4, $4, $4, $5)",
    )
    .bind(issue)
    .bind(newsletter)
    .bind(number)
    .bind(at(8))
    .bind(at(9))
    .execute(pool)
    .await
    .unwrap();
    for (status, sent_hour) in emails {
        let subscriber = Uuid::now_v7();
        sqlx::query(
            "insert into subscribers (id, email, created_at, updated_at) values ($1, $2, $3, $3)",
        )
        .bind(subscriber)
        .bind(format!("{}@example.org", subscriber.simple()))
        .bind(at(7))
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into issue_recipients (issue_id, subscriber_id, queued_at) values ($1, $2, $3)",
        )
        .bind(issue)
        .bind(subscriber)
        .bind(at(9))
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into email_outbox (id, kind, recipient, subject, text_body, html_body, dedupe_key,
                 status, next_attempt_at, give_up_at, created_at, sent_at, delivery)
             values ($1, 'newsletter', 'x@example.org', 'Issue', '', '', $2, $3, $4, $4, $4, $5, 'at_most_once')",
        )
        .bind(Uuid::now_v7())
        .bind(format!("issue:{issue}:{subscriber}"))
        .bind(status)
        .bind(at(9))
        .bind(sent_hour.map(at))
        .execute(pool)
        .await
        .unwrap();
    }
}

type State = (String, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

#[actix_web::test]
async fn an_issue_called_sent_while_its_emails_waited_becomes_sending() {
    let blank = blank_database().await;
    let pool = &blank.pool;
    apply(pool, |v| v < ISSUE_STATES).await;
    let newsletter = Uuid::now_v7();
    sqlx::query("insert into newsletters (id, slug, name, created_at, updated_at) values ($1, 'daily', 'Daily', $2, $2)")
        .bind(newsletter)
        .bind(at(6))
        .execute(pool)
        .await
        .unwrap();
    old_issue(
        pool,
        newsletter,
        1,
        &[("sent", Some(10)), ("failed", None), ("sent", Some(11))],
    )
    .await;
    old_issue(
        pool,
        newsletter,
        2,
        &[("sent", Some(10)), ("pending", None)],
    )
    .await;
    old_issue(pool, newsletter, 3, &[]).await;

    apply(pool, |v| v == ISSUE_STATES).await;
    let states: Vec<State> = sqlx::query_as(
        "select status::text, queued_at, sent_at from newsletter_issues order by number",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        states,
        [
            // Every email out: sent when the last one went.
            ("sent".to_owned(), Some(at(9)), Some(at(11))),
            // One still waiting: sending, queued at the old "sent" time.
            ("sending".to_owned(), Some(at(9)), None),
            // Nobody to mail: sent, at the time it was queued.
            ("sent".to_owned(), Some(at(9)), Some(at(9))),
        ]
    );
}
