//! The suppression list at sending time: a suppressed address is not mailed, and a hard
//! bounce puts the address on the list.

use super::{newsletter, sign_up};
use crate::helpers::TestApp;

#[actix_web::test]
async fn an_address_suppressed_after_queueing_is_not_mailed() {
    let sink = crate::smtp_sink::SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "bounces@example.org")
        .await
        .assert_status(202);
    let hash = newsroom::subscriptions::service::email_hash("bounces@example.org");
    sqlx::query(
        "insert into suppressions (email_hash, reason, created_at) values ($1, 'bounced', now())",
    )
    .bind(hash)
    .execute(&app.state.db)
    .await
    .unwrap();
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    assert!(sink.messages().is_empty());
    let (status, error): (String, Option<String>) = sqlx::query_as(
        "select status, last_error from email_outbox where recipient = 'bounces@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(status, "failed");
    assert!(error.unwrap().contains("suppression list"));
}

#[actix_web::test]
async fn a_hard_bounce_puts_the_address_on_the_suppression_list() {
    let sink = crate::smtp_sink::SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "nosuchuser@example.org")
        .await
        .assert_status(202);
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    assert!(sink.messages().is_empty());
    let (status, error): (String, Option<String>) = sqlx::query_as(
        "select status, last_error from email_outbox where recipient = 'nosuchuser@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(status, "failed", "a hard bounce is not retried");
    assert!(error.unwrap().starts_with("bounced"));
    let hash = newsroom::subscriptions::service::email_hash("nosuchuser@example.org");
    let reason: String = sqlx::query_scalar(
        "select reason from suppressions where email_hash = $1 and newsletter_id is null",
    )
    .bind(hash)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(reason, "bounced");
    // Signing up again queues nothing for the bounced address.
    sign_up(&app, "eastern-briefings", "nosuchuser@example.org")
        .await
        .assert_status(202);
    let queued: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where recipient = 'nosuchuser@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(queued, 1);
}
