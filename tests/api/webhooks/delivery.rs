//! Delivery: retries carry one event id and valid signatures, a partner that keeps failing
//! is paused until an admin resumes it, and a replay sends the same event again.

use std::sync::atomic::Ordering;

use newsroom::webhooks::{signature, Worker};
use serde_json::json;

use super::{partner_with_hook, pass_later, publish, Receiver, SECRET};
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_receiver_that_fails_twice_gets_the_event_three_times_with_one_id_and_valid_signatures() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(2);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "hooks-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let article = publish(&app, &admin, &desk, "Monsoon arrives early").await;
    let worker = Worker::new(&app.state.config).unwrap();

    let first = worker.run_once(&app.state).await.unwrap();
    assert_eq!(
        (first.queued, first.delivered, first.failed_attempts),
        (1, 0, 1)
    );
    // Backoff: nothing is attempted again before the delay has passed.
    worker.run_once(&app.state).await.unwrap();
    assert_eq!(receiver.received().len(), 1);
    pass_later(&app, &worker).await;
    pass_later(&app, &worker).await;
    // The signed time is the sending time: a receiver with a 5-minute tolerance accepts
    // the successful attempt now, and would refuse it an hour later.
    let sent_at = app.clock.now().timestamp();
    pass_later(&app, &worker).await;

    let got = receiver.received();
    assert_eq!(
        got.len(),
        3,
        "two failures and one success, then nothing more"
    );
    let event_id = got[0].json["id"].clone();
    assert!(event_id.is_string());
    for r in &got {
        assert_eq!(
            r.json["id"], event_id,
            "every attempt carries the same event id"
        );
        assert_eq!(r.json["type"], "article.published");
        assert_eq!(r.event_header, "article.published");
        assert_eq!(
            r.json["story"]["uri"],
            format!("urn:newsroom:article:{article}")
        );
        assert_eq!(r.json["story"]["headline"], "Monsoon arrives early");
        let t: i64 = r.signature[2..r.signature.find(',').unwrap()]
            .parse()
            .unwrap();
        assert!(signature::verify(
            SECRET,
            &r.signature,
            &r.body,
            t + 60,
            300
        ));
        assert!(!signature::verify(
            "whsec_wrong",
            &r.signature,
            &r.body,
            t,
            300
        ));
        let mut tampered = r.body.clone();
        tampered.push(b' ');
        assert!(!signature::verify(SECRET, &r.signature, &tampered, t, 300));
    }
    let last = got.last().unwrap();
    assert!(signature::verify(
        SECRET,
        &last.signature,
        &last.body,
        sent_at,
        300
    ));
    assert!(!signature::verify(
        SECRET,
        &last.signature,
        &last.body,
        sent_at + 3600,
        300
    ));

    let list = app
        .get(
            &format!("/api/v1/partners/{partner}/deliveries"),
            &admin.token,
        )
        .await;
    list.assert_status(200);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "delivered");
    assert_eq!(items[0]["attempts"], 3);
    assert_eq!(items[0]["event_id"], event_id);
    let detail = app
        .get(
            &format!(
                "/api/v1/partners/{partner}/deliveries/{}",
                id_str(&items[0])
            ),
            &admin.token,
        )
        .await;
    detail.assert_status(200);
    let codes: Vec<i64> = detail.body["attempt_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 500, 200]);
    let partner_now = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert_eq!(
        partner_now.body["webhook_failures"], 0,
        "a success resets the count"
    );
}

#[actix_web::test]
async fn a_paused_partner_gets_nothing_until_an_admin_resumes_it() {
    let app = TestApp::spawn().await; // pauses after 3 failures in a row
    let receiver = Receiver::start(usize::MAX);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "pause-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    publish(&app, &admin, &desk, "First story").await;
    let worker = Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    pass_later(&app, &worker).await;
    pass_later(&app, &worker).await;
    assert_eq!(receiver.received().len(), 3);
    let paused = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert!(
        paused.body["webhooks_paused_at"].is_string(),
        "{}",
        paused.body
    );

    // Paused: new events queue up, nothing is sent, even once the endpoint works again.
    receiver.failures.store(0, Ordering::SeqCst);
    publish(&app, &admin, &desk, "Second story").await;
    pass_later(&app, &worker).await;
    pass_later(&app, &worker).await;
    assert_eq!(
        receiver.received().len(),
        3,
        "a paused partner got a webhook"
    );
    let audit = app
        .get("/api/v1/audit?action=partner.webhooks_paused", &admin.token)
        .await;
    assert_eq!(
        audit.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        audit.body
    );

    let editor = app
        .user(newsroom::domain::Role::Editor, &[desk.outlet])
        .await;
    app.post(
        &format!("/api/v1/partners/{partner}/webhooks/resume"),
        &editor.token,
        json!({}),
    )
    .await
    .assert_problem(403);
    let resumed = app
        .post(
            &format!("/api/v1/partners/{partner}/webhooks/resume"),
            &admin.token,
            json!({}),
        )
        .await;
    resumed.assert_status(200);
    assert!(resumed.body["webhooks_paused_at"].is_null());
    worker.run_once(&app.state).await.unwrap();
    let got = receiver.received();
    assert_eq!(
        got.len(),
        5,
        "both waiting events go out at once after the resume"
    );
    let headlines: Vec<&str> = got[3..]
        .iter()
        .map(|r| r.json["story"]["headline"].as_str().unwrap())
        .collect();
    assert!(headlines.contains(&"First story") && headlines.contains(&"Second story"));
}

#[actix_web::test]
async fn a_replay_sends_the_same_event_again_and_deliveries_are_private_to_their_partner() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "replay-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let other = app.partner(&admin, json!({"name": "Other"})).await.0;
    publish(&app, &admin, &desk, "Replayed story").await;
    let worker = Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    let list = app
        .get(
            &format!("/api/v1/partners/{partner}/deliveries?status=delivered"),
            &admin.token,
        )
        .await;
    let delivery = id_str(&list.body["items"][0]);

    app.post(
        &format!("/api/v1/partners/{other}/deliveries/{delivery}/replay"),
        &admin.token,
        json!({}),
    )
    .await
    .assert_problem(404);
    app.get(
        &format!("/api/v1/partners/{other}/deliveries/{delivery}"),
        &admin.token,
    )
    .await
    .assert_problem(404);
    let replayed = app
        .post(
            &format!("/api/v1/partners/{partner}/deliveries/{delivery}/replay"),
            &admin.token,
            json!({}),
        )
        .await;
    replayed.assert_status(202);
    assert_eq!(replayed.body["status"], "pending");
    worker.run_once(&app.state).await.unwrap();
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].json["id"], got[1].json["id"]);
    app.get(
        &format!("/api/v1/partners/{partner}/deliveries?status=sent"),
        &admin.token,
    )
    .await
    .assert_problem(422);
}
