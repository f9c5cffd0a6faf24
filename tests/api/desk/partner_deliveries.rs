//! A partner's webhook log on the desk: its filter by state, one delivery's attempts, replay,
//! the paused banner with its reason and resume, and pausing by hand.

use chrono::Duration;
use newsroom::webhooks::Worker;
use serde_json::json;
use uuid::Uuid;

use super::partners::partner;
use super::Browser;
use crate::helpers::{id_str, TestApp, TestUser};
use crate::webhooks::Receiver;

/// A published story in a fresh newsroom: its headline.
async fn publish(app: &TestApp, admin: &TestUser, headline: &str) {
    let desk = app.newsroom(admin, "pause-daily").await;
    let id = id_str(&app.draft(admin, &desk, headline).await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn the_webhook_log_filters_replays_and_resumes_a_paused_partner() {
    let app = TestApp::spawn().await; // pauses after 3 failures in a row
    let receiver = Receiver::start(usize::MAX);
    let admin = app.admin().await;
    let id = partner(
        &app,
        &admin,
        json!({"name": "Flaky", "webhook_url": receiver.url}),
    )
    .await;
    publish(&app, &admin, "Floods in the delta").await;
    let worker = Worker::new(&app.state.config).expect("a worker");
    for _ in 0..3 {
        worker.run_once(&app.state).await.expect("a pass");
        app.clock.advance(Duration::hours(2));
    }
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let path = format!("/admin/partners/{id}/deliveries");
    let log = browser.get(&path).await;
    log.assert_status(200)
        .assert_contains("Floods in the delta")
        .assert_contains("article.published")
        .assert_contains("HTTP 500")
        .assert_contains(">3<span class=\"visually-hidden\"> attempts of article.published")
        .assert_contains("After the resume")
        .assert_contains("Webhooks are paused")
        .assert_contains("the last 3 attempts failed in a row (the last got: HTTP 500)");
    browser
        .get(&format!("/admin/partners/{id}"))
        .await
        .assert_contains("Webhooks are paused");
    browser
        .get(&format!("{path}?status=delivered"))
        .await
        .assert_status(200)
        .assert_contains("No deliveries in this state.");
    browser
        .get(&format!("{path}?status=lost"))
        .await
        .assert_status(422)
        .assert_contains("id=\"status-error\"")
        .assert_lacks("Floods in the delta</a>");

    let csrf = log.hidden("csrf");
    let delivery: Uuid = sqlx::query_scalar("select id from webhook_deliveries")
        .fetch_one(&app.state.db)
        .await
        .expect("a delivery");
    let one = browser.get(&format!("{path}/{delivery}")).await;
    one.assert_status(200)
        .assert_contains("article.published of Floods in the delta")
        .assert_contains("3 attempts since it was last queued or replayed")
        .assert_contains(&format!("action=\"{path}/{delivery}/replay\""));
    assert_eq!(one.text.matches("HTTP 500").count(), 3, "{}", one.text);
    browser
        .get(&format!("{path}/{}", Uuid::now_v7()))
        .await
        .assert_status(404);
    browser
        .post(&format!("{path}/{delivery}/replay"), &[("csrf", &csrf)])
        .await
        .assert_redirect(&format!("{path}?replayed"));
    browser
        .post(
            &format!("/admin/partners/{id}/webhooks/resume"),
            &[("csrf", &csrf)],
        )
        .await
        .assert_redirect(&format!("{path}?resumed"));
    browser
        .get(&format!("{path}?resumed"))
        .await
        .assert_contains("Resumed")
        .assert_lacks("Webhooks are paused")
        .assert_contains(">0<span class=\"visually-hidden\"> attempts of");

    // An inactive partner's replay: the service's sentence, nothing queued.
    app.patch(
        &format!("/api/v1/partners/{id}"),
        &admin.token,
        json!({"active": false}),
    )
    .await
    .assert_status(200);
    browser
        .post(&format!("{path}/{delivery}/replay"), &[("csrf", &csrf)])
        .await
        .assert_status(409)
        .assert_contains("the partner is inactive or has no webhook URL");
}

#[actix_web::test]
async fn an_admin_pauses_webhooks_by_hand_and_the_banner_gives_the_reason() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = partner(
        &app,
        &admin,
        json!({"name": "Steady", "webhook_url": "https://hooks.example.com/in"}),
    )
    .await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let path = format!("/admin/partners/{id}/deliveries");
    let log = browser.get(&path).await;
    log.assert_status(200)
        .assert_contains("<h2 id=\"h-pause\">Pause webhooks</h2>")
        .assert_contains(&format!("action=\"/admin/partners/{id}/webhooks/pause\""))
        .assert_lacks("Webhooks are paused");
    let csrf = log.hidden("csrf");
    let pause = format!("/admin/partners/{id}/webhooks/pause");

    // Bad input: the field's message, what was typed kept, nothing paused.
    let long = "y".repeat(201);
    browser
        .post(&pause, &[("csrf", &csrf), ("reason", &long)])
        .await
        .assert_status(422)
        .assert_contains("id=\"reason-error\"")
        .assert_contains("must be at most 200 characters")
        .assert_contains("aria-invalid=\"true\"")
        .assert_contains(&long);
    let stored = app
        .get(&format!("/api/v1/partners/{id}"), &admin.token)
        .await;
    assert!(
        stored.body["webhooks_paused_at"].is_null(),
        "{}",
        stored.body
    );

    browser
        .post(
            &pause,
            &[("csrf", &csrf), ("reason", "Endpoint moving to a new host")],
        )
        .await
        .assert_redirect(&format!("{path}?paused"));
    browser
        .get(&format!("{path}?paused"))
        .await
        .assert_contains("Paused: nothing is sent to this partner until you resume.")
        .assert_contains("Webhooks are paused")
        .assert_contains(", by hand: Endpoint moving to a new host.")
        .assert_lacks("attempts failed in a row")
        .assert_lacks("<h2 id=\"h-pause\">");
    browser
        .get(&format!("/admin/partners/{id}"))
        .await
        .assert_contains("by hand: Endpoint moving to a new host");

    // Paused already: the service's sentence, the reason kept.
    browser
        .post(&pause, &[("csrf", &csrf), ("reason", "")])
        .await
        .assert_status(409)
        .assert_contains("paused already")
        .assert_contains("by hand: Endpoint moving to a new host");
    let audit = app
        .get("/api/v1/audit?action=partner.webhooks_pause", &admin.token)
        .await;
    assert_eq!(audit.body["items"].as_array().map(Vec::len), Some(1));
    // The dashboard's paused block gives the reason, not a count of failures.
    browser
        .get("/admin")
        .await
        .assert_status(200)
        .assert_contains("by hand: Endpoint moving to a new host.")
        .assert_lacks("after 0 failed attempts");

    // Resumed, then paused with no reason: "paused by" the admin.
    browser
        .post(
            &format!("/admin/partners/{id}/webhooks/resume"),
            &[("csrf", &csrf)],
        )
        .await
        .assert_redirect(&format!("{path}?resumed"));
    browser
        .post(&pause, &[("csrf", &csrf), ("reason", "  ")])
        .await
        .assert_redirect(&format!("{path}?paused"));
    browser
        .get(&path)
        .await
        .assert_contains(&format!("by hand: paused by {}.", admin.email));
}
