//! The families the workers and handlers move: after a scheduled publish, a failing webhook,
//! a newsletter send, partner fetches and refused requests, the matching series move (and
//! the database backlogs with them).

use chrono::Duration;
use newsroom::config::Rate;
use newsroom::jobs::scheduler;
use serde_json::json;

use super::Listener;
use crate::helpers::{id_str, TestApp, PASSWORD};
use crate::subscriptions::{confirmation_link, newsletter, post_json, sign_up};
use crate::webhooks::{partner_with_hook, Receiver};

#[actix_web::test]
async fn a_scheduled_publish_shows_as_due_then_as_lateness_once_published() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "due-daily").await;
    let id = id_str(&app.draft(&admin, &desk, "Due at ten").await);
    for (version, action) in [(1, "submit"), (2, "approve")] {
        app.act(&admin.token, &id, version, action, None)
            .await
            .assert_status(200);
    }
    let at = app.clock.now() + Duration::hours(1);
    app.act(&admin.token, &id, 3, "schedule", Some(json!({"at": at})))
        .await
        .assert_status(200);
    let before = metrics.scrape(&app).await;
    assert_eq!(
        before.value("newsroom_scheduler_due", &[("kind", "scheduled")]),
        0.0
    );

    app.clock.advance(Duration::minutes(61));
    let due = metrics.scrape(&app).await;
    assert_eq!(
        due.value("newsroom_scheduler_due", &[("kind", "scheduled")]),
        1.0
    );
    assert_eq!(
        due.value("newsroom_scheduler_oldest_due_seconds", &[]),
        60.0
    );
    assert_eq!(
        due.value("newsroom_scheduler_publish_lateness_seconds_count", &[]),
        0.0
    );

    assert_eq!(scheduler::run_once(&app.state).await.unwrap().published, 1);
    let published = metrics.scrape(&app).await;
    assert_eq!(
        published.value("newsroom_scheduler_due", &[("kind", "scheduled")]),
        0.0
    );
    assert_eq!(
        published.value("newsroom_scheduler_oldest_due_seconds", &[]),
        0.0
    );
    assert_eq!(
        published.value("newsroom_scheduler_publish_lateness_seconds_count", &[]),
        1.0
    );
    assert_eq!(
        published.value("newsroom_scheduler_publish_lateness_seconds_sum", &[]),
        60.0
    );
    assert_eq!(
        published.value(
            "newsroom_scheduler_publish_lateness_seconds_bucket",
            &[("le", "30")]
        ),
        0.0
    );
    assert_eq!(
        published.value(
            "newsroom_scheduler_publish_lateness_seconds_bucket",
            &[("le", "60")]
        ),
        1.0
    );
    // The publication's event waits for the webhook loop, which no test app runs.
    assert_eq!(published.value("newsroom_outbox_events_pending", &[]), 1.0);
}

#[actix_web::test]
async fn a_failing_webhook_counts_its_attempts_then_its_partner_as_paused() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    let receiver = Receiver::start(usize::MAX);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "failing-hooks").await;
    partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let id = id_str(&app.draft(&admin, &desk, "Nobody hears this").await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    let worker = newsroom::webhooks::Worker::new(&app.state.config).unwrap();

    worker.run_once(&app.state).await.unwrap();
    let once = metrics.scrape(&app).await;
    assert_eq!(
        once.value("newsroom_webhook_attempts_total", &[("outcome", "failed")]),
        1.0
    );
    assert!(once
        .samples(
            "newsroom_webhook_attempts_total",
            &[("outcome", "delivered")]
        )
        .is_empty());
    assert_eq!(
        once.value("newsroom_webhook_attempt_duration_seconds_count", &[]),
        1.0
    );
    assert_eq!(
        once.value("newsroom_webhook_deliveries", &[("state", "retrying")]),
        1.0
    );
    assert_eq!(
        once.value("newsroom_webhook_deliveries", &[("state", "pending")]),
        0.0
    );
    assert_eq!(once.value("newsroom_outbox_events_pending", &[]), 0.0);
    assert_eq!(once.value("newsroom_webhook_paused_partners", &[]), 0.0);

    // The test apps pause a partner after 3 failures in a row.
    for _ in 0..2 {
        app.clock.advance(Duration::hours(2));
        worker.run_once(&app.state).await.unwrap();
    }
    let paused = metrics.scrape(&app).await;
    assert_eq!(
        paused.value("newsroom_webhook_attempts_total", &[("outcome", "failed")]),
        3.0
    );
    assert_eq!(paused.value("newsroom_webhook_paused_partners", &[]), 1.0);
    assert_eq!(
        paused.value("newsroom_webhook_delivery_lag_seconds_count", &[]),
        0.0,
        "nothing delivered"
    );
}

#[actix_web::test]
async fn a_delivered_webhook_records_how_long_after_the_event_it_arrived() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    let receiver = Receiver::start(1);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "late-hooks").await;
    partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let id = id_str(&app.draft(&admin, &desk, "Heard at last").await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    let worker = newsroom::webhooks::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    app.clock.advance(Duration::minutes(10));
    worker.run_once(&app.state).await.unwrap();

    let scrape = metrics.scrape(&app).await;
    let attempts =
        |outcome| scrape.value("newsroom_webhook_attempts_total", &[("outcome", outcome)]);
    assert_eq!((attempts("failed"), attempts("delivered")), (1.0, 1.0));
    assert_eq!(
        scrape.value("newsroom_webhook_delivery_lag_seconds_sum", &[]),
        600.0
    );
    assert_eq!(
        scrape.value("newsroom_webhook_deliveries", &[("state", "retrying")]),
        0.0
    );
}

#[actix_web::test]
async fn a_newsletter_send_shows_queued_then_sent_emails() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    newsletter(&app, "eastern-briefings").await;
    for email in ["ana@example.org", "bo@example.org"] {
        sign_up(&app, "eastern-briefings", email)
            .await
            .assert_status(202);
        let (token, _) = confirmation_link(&app, email).await;
        post_json(
            &app,
            "/public/v1/subscriptions/confirm",
            json!({"token": token}),
        )
        .await
        .assert_status(200);
    }
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "letters-daily").await;
    let story = id_str(&app.draft(&admin, &desk, "In the letter").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    let issues = "/api/v1/newsletters/eastern-briefings/issues";
    app.post(
        issues,
        &admin.token,
        json!({"subject": "Monday", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    app.post(&format!("{issues}/1/send"), &admin.token, json!({}))
        .await
        .assert_status(200);

    let queued = metrics.scrape(&app).await;
    let outbox = |s: &super::Scrape, kind, status| {
        s.value(
            "newsroom_email_outbox",
            &[("kind", kind), ("status", status)],
        )
    };
    assert_eq!(outbox(&queued, "newsletter", "pending"), 2.0);
    assert_eq!(outbox(&queued, "confirm", "pending"), 0.0);
    assert_eq!(
        queued.value(
            "newsroom_emails_total",
            &[("kind", "confirm"), ("outcome", "sent")]
        ),
        2.0
    );
    assert_eq!(
        queued.value("newsroom_email_outbox_oldest_due_seconds", &[]),
        0.0
    );

    app.clock.advance(Duration::minutes(5));
    let waiting = metrics.scrape(&app).await;
    assert_eq!(
        waiting.value("newsroom_email_outbox_oldest_due_seconds", &[]),
        300.0,
        "due emails nobody sent"
    );

    worker.run_once(&app.state).await.unwrap();
    let sent = metrics.scrape(&app).await;
    assert_eq!(outbox(&sent, "newsletter", "pending"), 0.0);
    assert_eq!(
        sent.value(
            "newsroom_emails_total",
            &[("kind", "newsletter"), ("outcome", "sent")]
        ),
        2.0
    );
    assert_eq!(sent.value("newsroom_emails_interrupted_total", &[]), 0.0);
    assert_eq!(
        sent.value("newsroom_email_outbox_oldest_due_seconds", &[]),
        0.0
    );
}

#[actix_web::test]
async fn an_email_that_cannot_be_built_counts_as_failed_beside_the_sent_one() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    crate::email::enqueue(&app, &crate::email::message("not an address", None)).await;
    crate::email::enqueue(&app, &crate::email::message("grace@example.org", None)).await;
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();

    let scrape = metrics.scrape(&app).await;
    // The test emails are confirmations.
    let emails = |outcome| {
        scrape.value(
            "newsroom_emails_total",
            &[("kind", "confirm"), ("outcome", outcome)],
        )
    };
    assert_eq!((emails("sent"), emails("failed")), (1.0, 1.0));
}

#[actix_web::test]
async fn partner_fetches_count_per_partner_and_refusals_per_limit() {
    let app = TestApp::spawn_with(|c| {
        c.partner_rate = Rate {
            per_second: 1,
            burst: 2,
        };
        c.public_rate = Rate {
            per_second: 1,
            burst: 1,
        };
    })
    .await;
    let metrics = Listener::start(&app);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "wire-daily").await;
    let story = id_str(&app.draft(&admin, &desk, "Served twice").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    let (partner, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    app.syndication(&key, &format!("/syndication/v1/articles/{story}"))
        .await
        .assert_status(200);
    app.syndication(&key, "/syndication/v1/feeds/wire-daily.json")
        .await
        .assert_status(200);
    app.syndication(&key, "/syndication/v1/feeds/wire-daily.json")
        .await
        .assert_problem(429);
    for _ in 0..6 {
        app.login(&admin.email, "not the password").await;
    }
    app.get_with("/public/v1/outlets", &[])
        .await
        .assert_status(200);
    app.get_with("/public/v1/outlets", &[])
        .await
        .assert_problem(429);

    let scrape = metrics.scrape(&app).await;
    let partner = partner.to_string();
    let of_partner = [("partner", partner.as_str())];
    assert_eq!(
        scrape.value("newsroom_partner_requests_total", &of_partner),
        2.0
    );
    assert_eq!(
        scrape.value("newsroom_partner_stories_served_total", &of_partner),
        2.0
    );
    let refused = |limit| scrape.value("newsroom_requests_refused_total", &[("limit", limit)]);
    assert_eq!(
        (refused("partner"), refused("login"), refused("public")),
        (1.0, 1.0, 1.0)
    );
    app.login(&admin.email, PASSWORD).await.assert_problem(429);
}
