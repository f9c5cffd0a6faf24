//! Two instances claiming one delivery at the same moment: the claim that began first (its
//! snapshot taken) but locks last must not take a delivery the other claimed meanwhile.

use std::time::{Duration, Instant};

use newsroom::webhooks::Worker;
use serde_json::json;

use super::{partner_with_hook, publish, Receiver};
use crate::helpers::TestApp;

#[actix_web::test]
async fn a_claim_that_began_before_another_instance_claimed_does_not_send_the_delivery_again() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::holding();
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "claims-daily").await;
    partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    publish(&app, &admin, &desk, "Claimed once").await;
    let (late, mut gate) = app.gated_instance("webhook_deliveries").await;

    // The late instance fans the event out, then its claim pauses with its snapshot taken.
    let late_worker = Worker::new(&app.state.config).unwrap();
    let late_pass = actix_web::rt::spawn(async move { late_worker.run_once(&late).await });
    gate.wait_until_paused().await;
    // Meanwhile the first instance claims the delivery, commits the claim and posts it; the
    // receiver holds its answer, so the delivery is still pending when the late claim locks.
    let first_worker = Worker::new(&app.state.config).unwrap();
    let first_state = app.state.clone();
    let first_pass = actix_web::rt::spawn(async move { first_worker.run_once(&first_state).await });
    receiver.wait_for(1).await;
    gate.open().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !late_pass.is_finished() && receiver.received().len() < 2 && Instant::now() < deadline {
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    receiver.release();
    let late_pass = late_pass.await.unwrap().unwrap();
    let first_pass = first_pass.await.unwrap().unwrap();

    assert_eq!(
        receiver.received().len(),
        1,
        "the delivery was posted twice"
    );
    assert_eq!((first_pass.delivered, late_pass.delivered), (1, 0));
    let attempts: i32 = sqlx::query_scalar("select attempts from webhook_deliveries")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 1);
}
