//! What a partner's hook gets: only stories it is entitled to, after their embargo, and
//! their takedowns; deliveries it is no longer entitled to fail without pausing it.

use chrono::Duration;
use newsroom::jobs::scheduler;
use newsroom::webhooks::Worker;
use serde_json::json;

use super::{partner_with_hook, publish, Receiver};
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn webhooks_follow_entitlements_embargo_and_takedowns() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let east = app.newsroom(&admin, "east-daily").await;
    let west = app.newsroom(&admin, "west-daily").await;
    partner_with_hook(
        &app,
        &admin,
        &receiver.url,
        json!({"outlet_ids": [east.outlet]}),
    )
    .await;
    app.partner(&admin, json!({"name": "Puller only"})).await;
    let worker = Worker::new(&app.state.config).unwrap();

    app.draft(&admin, &east, "A draft").await;
    publish(&app, &admin, &west, "Not entitled").await;
    let embargoed = id_str(&app.draft(&admin, &east, "Embargoed story").await);
    let until = app.clock.now() + Duration::hours(1);
    app.edit(&admin.token, &embargoed, 1, json!({"embargo_until": until}))
        .await
        .assert_status(200);
    app.act(&admin.token, &embargoed, 2, "publish", None)
        .await
        .assert_status(200);
    let pass = worker.run_once(&app.state).await.unwrap();
    assert_eq!(
        pass.queued, 0,
        "no draft, no foreign outlet, no embargoed story"
    );
    assert!(receiver.received().is_empty());

    app.clock.advance(Duration::hours(2));
    scheduler::run_once(&app.state).await.unwrap();
    worker.run_once(&app.state).await.unwrap();
    let got = receiver.received();
    assert_eq!(got.len(), 1, "the embargo lift is announced once");
    assert_eq!(got[0].json["story"]["headline"], "Embargoed story");

    app.act(
        &admin.token,
        &embargoed,
        3,
        "kill",
        Some(json!({"note": "legal"})),
    )
    .await
    .assert_status(200);
    worker.run_once(&app.state).await.unwrap();
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].json["type"], "article.killed");
    assert_eq!(got[1].json["story"]["pubstatus"], "canceled");
    assert!(
        got[1].json["story"].get("body_html").is_none(),
        "a tombstone has no body"
    );
}

#[actix_web::test]
async fn deliveries_that_cannot_be_sent_fail_without_pausing_the_partner() {
    let app = TestApp::spawn().await; // pauses after 3 failures in a row
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let east = app.newsroom(&admin, "narrow-east").await;
    let west = app.newsroom(&admin, "narrow-west").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    for n in 0..4 {
        publish(&app, &admin, &east, &format!("East {n}")).await;
    }
    let worker = Worker::new(&app.state.config).unwrap();
    // Queue the four while paused, then narrow the partner to the west outlet.
    sqlx::query("update partners set webhooks_paused_at = now() where id = $1")
        .bind(partner)
        .execute(&app.state.db)
        .await
        .unwrap();
    worker.run_once(&app.state).await.unwrap();
    app.patch(
        &format!("/api/v1/partners/{partner}"),
        &admin.token,
        json!({"outlet_ids": [west.outlet]}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/v1/partners/{partner}/webhooks/resume"),
        &admin.token,
        json!({}),
    )
    .await
    .assert_status(200);
    worker.run_once(&app.state).await.unwrap();
    assert!(receiver.received().is_empty());
    let failed = app
        .get(
            &format!("/api/v1/partners/{partner}/deliveries?status=failed"),
            &admin.token,
        )
        .await;
    let items = failed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4, "{}", failed.body);
    assert!(items[0]["last_error"]
        .as_str()
        .unwrap()
        .contains("no longer entitled"));
    let now = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert!(
        now.body["webhooks_paused_at"].is_null(),
        "not the partner's fault: {}",
        now.body
    );
    assert_eq!(now.body["webhook_failures"], 0);
}
