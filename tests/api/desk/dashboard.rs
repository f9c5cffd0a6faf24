//! The dashboard, `/admin`, per role with real data: a writer sees their own drafts and
//! stories in review; an editor also the stories waiting for review and those scheduled in
//! the next 24 hours (on the outlet's clock) of their outlets; an admin also failing and
//! paused webhooks, an issue being sent with its tallies, and recent audit entries. No query
//! string gets a role more.

use chrono::Duration;
use newsroom::auth::CurrentUser;
use newsroom::domain::Role;
use newsroom::webhooks::Worker;
use serde_json::json;
use uuid::Uuid;

use super::Browser;
use crate::helpers::{id_str, TestApp, TestUser};
use crate::subscriptions::{confirmation_link, newsletter, post_json, sign_up};
use crate::webhooks::Receiver;

/// Submits, approves and schedules a new story of `desk` `hours` from now.
async fn scheduled(
    app: &TestApp,
    admin: &TestUser,
    desk: &crate::helpers::Desk,
    headline: &str,
    hours: i64,
) -> chrono::DateTime<chrono::Utc> {
    let id = id_str(&app.draft(admin, desk, headline).await);
    for (version, action) in [(1, "submit"), (2, "approve")] {
        app.act(&admin.token, &id, version, action, None)
            .await
            .assert_status(200);
    }
    let at = app.clock.now() + Duration::hours(hours);
    app.act(&admin.token, &id, 3, "schedule", Some(json!({"at": at})))
        .await
        .assert_status(200);
    at
}

/// A confirmed subscriber of `eastern-briefings` and an issue of it being sent to them.
async fn sending_issue(app: &TestApp, admin: &TestUser, story: &str) {
    newsletter(app, "eastern-briefings").await;
    let email = "reader@example.com";
    sign_up(app, "eastern-briefings", email)
        .await
        .assert_status(202);
    let (token, _) = confirmation_link(app, email).await;
    post_json(
        app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    let issues = "/api/v1/newsletters/eastern-briefings/issues";
    app.post(
        issues,
        &admin.token,
        json!({"subject": "Tuesday's briefing", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    let sent = app
        .post(&format!("{issues}/1/send"), &admin.token, json!({}))
        .await;
    sent.assert_status(200);
    assert_eq!(sent.body["status"], "sending");
}

#[actix_web::test]
async fn each_role_sees_its_own_blocks_and_nothing_more() {
    let app = TestApp::spawn().await; // pauses webhooks after 3 failures in a row
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    sqlx::query("update outlets set timezone = 'Asia/Karachi' where id = $1")
        .bind(desk.outlet)
        .execute(&app.state.db)
        .await
        .expect("a time zone");
    let elsewhere = app.newsroom(&admin, "dusk").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;

    app.draft(&writer, &desk, "A writer's draft").await;
    let submitted = id_str(&app.draft(&writer, &desk, "Budget day in review").await);
    app.act(&writer.token, &submitted, 1, "submit", None)
        .await
        .assert_status(200);
    let other = id_str(
        &app.draft(&admin, &elsewhere, "Another outlet's review")
            .await,
    );
    app.act(&admin.token, &other, 1, "submit", None)
        .await
        .assert_status(200);
    let in_three_hours = scheduled(&app, &admin, &desk, "Goes out in three hours", 3).await;
    scheduled(&app, &admin, &desk, "Goes out in thirty hours", 30).await;

    // Webhooks: "Paused Wire" fails three times and is paused; then "Shaky Wire" fails once.
    let paused = Receiver::start(usize::MAX);
    app.partner(
        &admin,
        json!({"name": "Paused Wire", "webhook_url": paused.url}),
    )
    .await;
    let story = app
        .published(&admin, &desk, "Floods in the delta", json!({}))
        .await;
    let worker = Worker::new(&app.state.config).expect("a worker");
    for _ in 0..3 {
        worker.run_once(&app.state).await.expect("a pass");
        app.clock.advance(Duration::minutes(20));
    }
    let shaky = Receiver::start(usize::MAX);
    app.partner(
        &admin,
        json!({"name": "Shaky Wire", "webhook_url": shaky.url}),
    )
    .await;
    app.published(&admin, &desk, "Rain at last", json!({}))
        .await;
    worker.run_once(&app.state).await.expect("a pass");
    sending_issue(&app, &admin, &id_str(&story)).await;

    // The writer: their own stories, none of the editors' or admins' blocks.
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    for path in ["/admin", "/admin/?admin=1&editor=1"] {
        let page = browser.get(path).await;
        page.assert_status(200)
            .assert_contains("<h1>Dashboard</h1>")
            .assert_contains(">A writer&#x27;s draft</a>")
            .assert_contains(&format!(
                "href=\"/admin/stories/{submitted}\">Budget day in review</a>"
            ))
            .assert_lacks("Waiting for review")
            .assert_lacks("Goes out in three hours")
            .assert_lacks("Failing webhooks")
            .assert_lacks("Paused Wire")
            .assert_lacks("Tuesday&#x27;s briefing")
            .assert_lacks("href=\"/admin/audit\"");
    }

    // The editor: the review and schedule queues of their outlet, on its clock.
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    // Karachi keeps UTC+5 all year.
    let karachi = |at: chrono::DateTime<chrono::Utc>| {
        let local = (at + Duration::hours(5)).format("%Y-%m-%d %H:%M");
        format!("<td data-label=\"Goes out\">{local} Asia&#x2f;Karachi</td>")
    };
    let page = browser.get("/admin?admin=1").await;
    page.assert_status(200)
        .assert_contains("Waiting for review (1)")
        .assert_contains(&format!(
            "href=\"/admin/stories/{submitted}\">Budget day in review</a>"
        ))
        .assert_lacks("Another outlet&#x27;s review")
        .assert_contains(">Goes out in three hours</a>")
        .assert_contains(&karachi(in_three_hours))
        .assert_lacks("Goes out in thirty hours")
        .assert_contains("You have no drafts.")
        .assert_lacks("Failing webhooks")
        .assert_lacks("Paused Wire")
        .assert_lacks("Shaky Wire")
        .assert_lacks("Tuesday&#x27;s briefing")
        .assert_lacks("Recent changes");

    // The admin: every outlet's queues and the admin blocks.
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let page = browser.get("/admin").await;
    page.assert_status(200)
        .assert_contains("Waiting for review (2)")
        .assert_contains("Another outlet&#x27;s review")
        .assert_contains("Goes out in three hours")
        .assert_lacks("Goes out in thirty hours")
        .assert_contains("Shaky Wire</a>")
        .assert_contains("HTTP 500")
        .assert_contains("Paused Wire</a>: webhooks paused since")
        .assert_contains("after 3 failed attempts in a row (the last got: HTTP 500)")
        .assert_contains(
            "href=\"/admin/newsletters/eastern-briefings/issues/1/progress\">Eastern Briefings #1: Tuesday&#x27;s briefing</a>",
        )
        .assert_contains("<td data-label=\"Recipients\">1</td>")
        .assert_contains("<td data-label=\"Queued\">1</td>")
        .assert_contains("href=\"/admin/audit\"")
        .assert_contains(
            "newsletter.create (<a href=\"&#x2f;admin&#x2f;audit?entity_type=newsletter&amp;entity_id=",
        );
    let failing = page
        .text
        .split("id=\"h-failing\"")
        .nth(1)
        .unwrap_or_default();
    let failing = failing.split("id=\"h-paused\"").next().unwrap_or_default();
    assert!(
        !failing.contains("Paused Wire"),
        "a paused partner is not in the failing block: {failing}"
    );
}

#[actix_web::test]
async fn every_block_says_what_its_emptiness_means() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    browser
        .get("/admin")
        .await
        .assert_status(200)
        .assert_contains("No story is waiting for review.")
        .assert_contains("Nothing is scheduled to go out in the next 24 hours.")
        .assert_contains("You have no drafts.")
        .assert_contains("None of your stories is waiting for review.")
        .assert_contains("Every partner's webhooks are being delivered.")
        .assert_contains("No partner's webhooks are paused.")
        .assert_contains("No newsletter issue is being sent.");
}

#[actix_web::test]
async fn the_services_refuse_the_blocks_a_role_does_not_get() {
    use newsroom::articles::queues;
    use newsroom::webhooks::watch;
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let as_user = |u: &TestUser, role| CurrentUser {
        id: u.id,
        email: u.email.clone(),
        role,
        outlet_ids: vec![desk.outlet],
        session_id: Uuid::now_v7(),
        request_id: None,
    };
    let (w, e) = (
        as_user(&writer, Role::Writer),
        as_user(&editor, Role::Editor),
    );
    assert!(queues::awaiting_review(&app.state, &w, 10).await.is_err());
    assert!(
        queues::scheduled_within(&app.state, &w, Duration::hours(24), 10)
            .await
            .is_err()
    );
    assert!(queues::awaiting_review(&app.state, &e, 10).await.is_ok());
    for who in [&w, &e] {
        assert!(watch::failing(&app.state, who, 10).await.is_err());
        assert!(watch::paused(&app.state, who, 10).await.is_err());
        let board = newsroom::dashboard::for_user(&app.state, who)
            .await
            .expect("a board");
        assert!(board.admin.is_none());
    }
    let board = newsroom::dashboard::for_user(&app.state, &w)
        .await
        .expect("a board");
    assert!(board.editor.is_none());
    assert!(newsroom::newsletters::issues::sending(&app.state, &w, 10)
        .await
        .is_err());
}
