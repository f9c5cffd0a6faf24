//! Deliveries that can no longer go: a deactivated partner keeps none pending, and a paused
//! partner's deliveries fail after 24 hours.

use chrono::Duration;
use newsroom::webhooks::Worker;
use serde_json::json;

use super::{partner_with_hook, publish, Receiver};
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_deactivated_partner_keeps_nothing_pending_and_old_deliveries_expire() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "expiry-daily").await;
    let leaving = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let paused = partner_with_hook(&app, &admin, &receiver.url, json!({"name": "Paused"})).await;
    let pause = |id: uuid::Uuid| {
        sqlx::query("update partners set webhooks_paused_at = now() where id = $1")
            .bind(id)
            .execute(&app.state.db)
    };
    pause(paused).await.unwrap();
    publish(&app, &admin, &desk, "Queued story").await;
    let worker = Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    assert_eq!(
        receiver.received().len(),
        1,
        "only the active, unpaused partner"
    );

    // Deactivation fails what waits for the partner; a replay then answers 409.
    pause(leaving).await.unwrap();
    publish(&app, &admin, &desk, "Second story").await;
    worker.run_once(&app.state).await.unwrap();
    app.delete(&format!("/api/v1/partners/{leaving}"), &admin.token)
        .await
        .assert_status(200);
    let list = app
        .get(
            &format!("/api/v1/partners/{leaving}/deliveries"),
            &admin.token,
        )
        .await;
    let statuses: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["failed", "delivered"]);
    assert!(list.body["items"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("deactivated"));
    let failed = id_str(&list.body["items"][0]);
    app.post(
        &format!("/api/v1/partners/{leaving}/deliveries/{failed}/replay"),
        &admin.token,
        json!({}),
    )
    .await
    .assert_problem(409);

    // The paused partner's deliveries wait, and fail once their 24 hours are over.
    app.clock.advance(Duration::hours(25));
    worker.run_once(&app.state).await.unwrap();
    let admin = app.admin().await; // the first admin's session has expired
    let waiting = app
        .get(
            &format!("/api/v1/partners/{paused}/deliveries"),
            &admin.token,
        )
        .await;
    let items = waiting.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for d in items {
        assert_eq!(d["status"], "failed");
        assert!(d["last_error"].as_str().unwrap().contains("24 hours"));
    }
    assert_eq!(receiver.received().len(), 1);
}
