//! No lost updates: concurrent changes with the same ETag, exactly one wins. Several
//! instances: every background loop of `newsroom serve` running twice against one database
//! does each job exactly once.

use std::time::Duration;

use newsroom::jobs;
use serde_json::json;

use crate::helpers::{id_str, TestApp};
use crate::smtp_sink::SmtpSink;

#[actix_web::test]
async fn fifty_concurrent_patches_with_one_etag_make_exactly_one_change() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Contested").await);
    let patches = (0..50).map(|i| {
        app.edit(
            &admin.token,
            &id,
            1,
            json!({"headline": format!("Version {i}")}),
        )
    });
    let results = futures_util::future::join_all(patches).await;
    let ok = results.iter().filter(|r| r.status.as_u16() == 200).count();
    let stale = results.iter().filter(|r| r.status.as_u16() == 412).count();
    assert_eq!((ok, stale), (1, 49));
    let revisions: i64 =
        sqlx::query_scalar("select count(*) from article_revisions where article_id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(revisions, 2, "the creation and exactly one new revision");
    let winner = results.iter().find(|r| r.status.as_u16() == 200).unwrap();
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["headline"], winner.body["headline"]);
    assert_eq!(stored.body["version"], json!(2));
}

#[actix_web::test]
async fn concurrent_actions_with_one_etag_apply_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Race to publish").await);
    let publishes = (0..10).map(|_| app.act(&admin.token, &id, 1, "publish", None));
    let results = futures_util::future::join_all(publishes).await;
    assert_eq!(
        results.iter().filter(|r| r.status.as_u16() == 200).count(),
        1
    );
    let events: i64 = sqlx::query_scalar("select count(*) from outbox_events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1);
}

#[actix_web::test]
async fn two_instances_running_every_loop_publish_deliver_and_send_exactly_once() {
    let sink = SmtpSink::start();
    let app = crate::email::spawn_with_sink(&sink).await;
    let receiver = crate::webhooks::Receiver::start(0);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    crate::webhooks::partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let at = app.clock.now() + chrono::Duration::minutes(10);
    let mut ids = Vec::new();
    for i in 0..20 {
        let id = id_str(&app.draft(&admin, &desk, &format!("Story {i}")).await);
        sqlx::query("update articles set status = 'approved' where id = $1::uuid")
            .bind(&id)
            .execute(&app.state.db)
            .await
            .unwrap();
        app.act(&admin.token, &id, 1, "schedule", Some(json!({"at": at})))
            .await
            .assert_status(200);
        ids.push(id);
    }
    for n in 0..20 {
        let to = format!("reader{n}@example.org");
        crate::email::enqueue(&app, &crate::email::message(&to, None)).await;
    }
    // Two instances, each with the three loops of `newsroom serve`.
    let (_server, second) = app.another_instance();
    let every = Duration::from_millis(5);
    let loops: Vec<_> = [app.state.clone(), second.clone()]
        .into_iter()
        .flat_map(|state| {
            [
                actix_web::rt::spawn(jobs::run(state.clone(), every, jobs::Stop::never())),
                actix_web::rt::spawn(jobs::deliver_webhooks(
                    state.clone(),
                    every,
                    jobs::Stop::never(),
                )),
                actix_web::rt::spawn(jobs::deliver_email(state, every, jobs::Stop::never())),
            ]
        })
        .collect();
    app.clock.advance(chrono::Duration::minutes(10));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while (receiver.received().len() < 20 || sink.messages().len() < 20)
        && std::time::Instant::now() < deadline
    {
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    // A few more passes of every loop: nothing may happen twice.
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    crate::helpers::stop_loops(loops).await;

    let published: Vec<(i64,)> = sqlx::query_as(
        "select count(*) from outbox_events where event_type = 'article.published' group by article_id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(published.len(), 20, "every scheduled story published");
    assert!(published.iter().all(|(n,)| *n == 1), "each once");

    let got = receiver.received();
    let mut event_ids: Vec<String> = got.iter().map(|r| r.json["id"].to_string()).collect();
    event_ids.sort();
    event_ids.dedup();
    assert_eq!(
        (got.len(), event_ids.len()),
        (20, 20),
        "one webhook per event"
    );

    let mut recipients: Vec<String> = sink
        .messages()
        .into_iter()
        .flat_map(|m| m.recipients)
        .collect();
    assert_eq!(recipients.len(), 20);
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 20, "one email per recipient");
    second.db.close().await;
}
