//! Pausing by hand: an admin pauses a partner's webhooks with a reason; the worker then sends
//! nothing (the events queue up) until a resume sends them all. Writers and editors are
//! refused, a second pause is a 409 that changes nothing, a bad reason a 422.

use newsroom::domain::Role;
use newsroom::webhooks::Worker;
use serde_json::json;

use super::{partner_with_hook, pass_later, publish, Receiver};
use crate::helpers::TestApp;

#[actix_web::test]
async fn a_partner_paused_by_hand_gets_nothing_until_resumed_then_everything_waiting() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "hand-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let pause = format!("/api/v1/partners/{partner}/webhooks/pause");

    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[desk.outlet]).await;
        app.post(&pause, &user.token, json!({"reason": "mine"}))
            .await
            .assert_problem(403);
    }
    let long = app
        .post(&pause, &admin.token, json!({"reason": "x".repeat(201)}))
        .await;
    long.assert_problem(422);
    assert_eq!(
        long.field_errors("reason"),
        ["must be at most 200 characters"]
    );
    let two = app
        .post(&pause, &admin.token, json!({"reason": "two\nlines"}))
        .await;
    two.assert_problem(422);
    assert_eq!(two.field_errors("reason"), ["must be one line of text"]);
    let untouched = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert!(
        untouched.body["webhooks_paused_at"].is_null(),
        "{}",
        untouched.body
    );

    let paused = app.post(&pause, &admin.token, json!({})).await;
    paused.assert_status(200);
    assert!(
        paused.body["webhooks_paused_at"].is_string(),
        "{}",
        paused.body
    );
    assert_eq!(
        paused.body["webhooks_pause_reason"],
        json!(format!("paused by {}", admin.email))
    );
    let audit = app
        .get("/api/v1/audit?action=partner.webhooks_pause", &admin.token)
        .await;
    let entries = audit.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 1, "{}", audit.body);
    assert_eq!(entries[0]["entity_id"], json!(partner.to_string()));

    // Paused: events queue up as deliveries, none is sent, however many passes.
    publish(&app, &admin, &desk, "First story").await;
    let worker = Worker::new(&app.state.config).unwrap();
    let first = worker.run_once(&app.state).await.unwrap();
    assert_eq!(
        first.queued, 1,
        "the event still queues for a paused partner"
    );
    publish(&app, &admin, &desk, "Second story").await;
    pass_later(&app, &worker).await;
    pass_later(&app, &worker).await;
    assert_eq!(
        receiver.received().len(),
        0,
        "a paused partner got a webhook"
    );
    let waiting: i64 = sqlx::query_scalar(
        "select count(*) from webhook_deliveries where partner_id = $1 and status = 'pending' and attempts = 0",
    )
    .bind(partner)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(waiting, 2);

    // A second pause: a 409, and the standing reason and time are kept.
    let again = app
        .post(&pause, &admin.token, json!({"reason": "another"}))
        .await;
    again.assert_problem(409);
    assert!(again.text.contains("paused already"), "{}", again.text);
    let kept = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert_eq!(
        kept.body["webhooks_pause_reason"],
        paused.body["webhooks_pause_reason"]
    );
    assert_eq!(
        kept.body["webhooks_paused_at"],
        paused.body["webhooks_paused_at"]
    );
    let audit = app
        .get("/api/v1/audit?action=partner.webhooks_pause", &admin.token)
        .await;
    assert_eq!(audit.body["items"].as_array().map(Vec::len), Some(1));

    let resumed = app
        .post(
            &format!("/api/v1/partners/{partner}/webhooks/resume"),
            &admin.token,
            json!({}),
        )
        .await;
    resumed.assert_status(200);
    assert!(resumed.body["webhooks_paused_at"].is_null());
    assert!(resumed.body["webhooks_pause_reason"].is_null());
    worker.run_once(&app.state).await.unwrap();
    let got = receiver.received();
    let mut headlines: Vec<&str> = got
        .iter()
        .filter_map(|r| r.json["story"]["headline"].as_str())
        .collect();
    headlines.sort();
    assert_eq!(headlines, ["First story", "Second story"]);

    // A typed reason is kept as typed (trimmed).
    let typed = app
        .post(
            &pause,
            &admin.token,
            json!({"reason": "  Endpoint moving on Monday "}),
        )
        .await;
    typed.assert_status(200);
    assert_eq!(
        typed.body["webhooks_pause_reason"],
        json!("Endpoint moving on Monday")
    );
}

#[actix_web::test]
async fn pausing_a_partner_the_worker_paused_is_a_409_and_keeps_its_failures() {
    let app = TestApp::spawn().await; // pauses after 3 failures in a row
    let receiver = Receiver::start(usize::MAX);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "auto-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    publish(&app, &admin, &desk, "Story").await;
    let worker = Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    pass_later(&app, &worker).await;
    pass_later(&app, &worker).await;
    app.post(
        &format!("/api/v1/partners/{partner}/webhooks/pause"),
        &admin.token,
        json!({"reason": "belt and braces"}),
    )
    .await
    .assert_problem(409);
    let now = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert!(now.body["webhooks_paused_at"].is_string());
    assert!(now.body["webhooks_pause_reason"].is_null(), "{}", now.body);
    assert_eq!(now.body["webhook_failures"], json!(3));
}
