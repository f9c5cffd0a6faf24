//! The other `SKIP LOCKED` claims, interleaved deterministically like the webhook one
//! (`webhooks::claims`): a claim whose snapshot was taken before another instance's claim
//! committed takes nothing that instance took. They held before issue #13 (their locking
//! scans state every condition); these tests keep it so.

use std::time::Duration;

use newsroom::jobs::scheduler;
use serde_json::json;

use crate::helpers::{id_str, TestApp};
use crate::smtp_sink::SmtpSink;

#[actix_web::test]
async fn an_email_claim_that_began_before_another_instance_claimed_does_not_send_it_again() {
    let sink = SmtpSink::start();
    let app = crate::email::spawn_with_sink(&sink).await;
    crate::email::enqueue(&app, &crate::email::message("reader@example.org", None)).await;
    let (late, mut gate) = app.gated_instance("email_outbox").await;
    let late_worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    let late_pass = actix_web::rt::spawn(async move { late_worker.run_once(&late).await });
    gate.wait_until_paused().await;

    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    gate.open().await;
    late_pass.await.unwrap().unwrap();
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sink.messages().len(), 1, "the email was sent twice");
}

#[actix_web::test]
async fn a_scheduler_claim_that_began_before_another_instance_published_does_not_publish_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "claims-daily").await;
    let id = id_str(&app.draft(&admin, &desk, "Due once").await);
    for (version, action) in [(1, "submit"), (2, "approve")] {
        app.act(&admin.token, &id, version, action, None)
            .await
            .assert_status(200);
    }
    let at = app.clock.now() + chrono::Duration::minutes(5);
    app.act(&admin.token, &id, 3, "schedule", Some(json!({"at": at})))
        .await
        .assert_status(200);
    app.clock.advance(chrono::Duration::minutes(5));
    let (late, mut gate) = app.gated_instance("articles").await;
    let late_pass = actix_web::rt::spawn(async move { scheduler::run_once(&late).await });
    gate.wait_until_paused().await;

    let first = scheduler::run_once(&app.state).await.unwrap();
    gate.open().await;
    let late = late_pass.await.unwrap().unwrap();
    assert_eq!((first.published, late.published), (1, 0));
    let events: i64 = sqlx::query_scalar(
        "select count(*) from outbox_events where event_type = 'article.published'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(events, 1);
}
