//! The dashboard in a real browser for a writer, an editor and an admin, with every block
//! filled (a story in review, one scheduled in three hours, a paused partner, a failing one,
//! an issue being sent): sign-in lands on it, axe-core finds nothing, and it fits a phone's
//! width and a desktop's.

use chrono::Duration;
use newsroom::domain::Role;
use newsroom::webhooks::Worker;
use serde_json::json;

use crate::desk::{sign_out, type_credentials};
use crate::harness::Browser;
use crate::helpers::{id_str, TestApp, PASSWORD};

async fn every_role(browser: &Browser, name: &str) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    app.draft(
        &writer,
        &desk,
        "A draft with a rather long headline that wraps on a phone",
    )
    .await;
    let review = id_str(&app.draft(&writer, &desk, "Budget day in review").await);
    app.act(&writer.token, &review, 1, "submit", None)
        .await
        .assert_status(200);
    let soon = id_str(&app.draft(&admin, &desk, "Goes out in three hours").await);
    for (version, action) in [(1, "submit"), (2, "approve")] {
        app.act(&admin.token, &soon, version, action, None)
            .await
            .assert_status(200);
    }
    let at = app.clock.now() + Duration::hours(3);
    app.act(&admin.token, &soon, 3, "schedule", Some(json!({"at": at})))
        .await
        .assert_status(200);
    // Nothing answers on port 9: three passes pause "Paused Wire"; "Shaky Wire" fails once.
    app.post(
        "/api/v1/partners",
        &admin.token,
        json!({"name": "Paused Wire", "webhook_url": "http://127.0.0.1:9/hooks"}),
    )
    .await
    .assert_status(201);
    let story = id_str(&app.draft(&admin, &desk, "Floods in the delta").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    let worker = Worker::new(&app.state.config).expect("a worker");
    for _ in 0..3 {
        worker.run_once(&app.state).await.expect("a pass");
        app.clock.advance(Duration::minutes(20));
    }
    app.post(
        "/api/v1/partners",
        &admin.token,
        json!({"name": "Shaky Wire", "webhook_url": "http://127.0.0.1:9/other"}),
    )
    .await
    .assert_status(201);
    worker.run_once(&app.state).await.expect("a pass");
    // An issue being sent (its recipients are queued by the API's send; none here).
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings"}),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues",
        &admin.token,
        json!({"subject": "Tuesday's briefing", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    sqlx::query("update newsletter_issues set status = 'sending', send_started_at = now()")
        .execute(&app.state.db)
        .await
        .expect("an issue being sent");

    for (who, email, sees) in [
        ("writer", &writer.email, "Your stories"),
        ("editor", &editor.email, "Waiting for review (1)"),
        ("admin", &admin.email, "Paused Wire"),
    ] {
        browser
            .checked(&format!("{name}-{who}"), async {
                type_credentials(browser, &app, email, PASSWORD).await;
                browser.wait_for_heading("Dashboard").await;
                let text = browser.page_text().await;
                assert!(text.contains(sees), "{who}: {text}");
                assert_eq!(
                    text.contains("Failing webhooks"),
                    who == "admin",
                    "{who}: {text}"
                );
                browser
                    .assert_fits_width(&format!("the {who}'s dashboard"))
                    .await;
                browser
                    .assert_accessible(&format!("the {who}'s dashboard"))
                    .await;
                if std::env::var_os("NEWSROOM_SAVE_SCREENS").is_some() {
                    browser.save_screen(&format!("{name}-{who}")).await;
                }
                sign_out(browser).await;
            })
            .await;
    }
}

#[actix_web::test]
async fn the_dashboard_fits_a_phone_for_every_role() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    every_role(&browser, "desk-dashboard-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn the_dashboard_is_accessible_on_a_desktop_for_every_role() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    every_role(&browser, "desk-dashboard-desktop").await;
    browser.close().await;
}
