//! Webhooks through a real receiver on loopback: signatures, retries with the same event id,
//! pausing and resuming, replay, entitlements, embargo, and the SSRF guard.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse};
use chrono::Duration;
use newsroom::jobs::scheduler;
use newsroom::webhooks::{signature, Worker};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{id_str, Desk, TestApp, TestUser};

const SECRET: &str = "whsec_test_secret_for_signatures";

/// One request the receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    signature: String,
    event_header: String,
    body: Vec<u8>,
    pub(crate) json: Value,
}

/// A partner's endpoint: records every request and answers 500 while `failures` is above
/// zero (counting down), then 200.
pub(crate) struct Receiver {
    _server: actix_test::TestServer,
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Received>>>,
    failures: Arc<AtomicUsize>,
}

impl Receiver {
    pub(crate) fn start(failures: usize) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let failures = Arc::new(AtomicUsize::new(failures));
        let (g, f) = (got.clone(), failures.clone());
        let server = actix_test::start(move || {
            let (g, f) = (g.clone(), f.clone());
            App::new().route(
                "/hooks",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (g, f) = (g.clone(), f.clone());
                    async move {
                        let header = |name: &str| {
                            req.headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        g.lock().unwrap().push(Received {
                            signature: header("x-newsroom-signature"),
                            event_header: header("x-newsroom-event"),
                            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
                            body: body.to_vec(),
                        });
                        let failing = f
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok();
                        if failing {
                            HttpResponse::InternalServerError().finish()
                        } else {
                            HttpResponse::Ok().finish()
                        }
                    }
                }),
            )
        });
        let url = server.url("/hooks");
        Receiver {
            _server: server,
            url,
            got,
            failures,
        }
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

pub(crate) async fn partner_with_hook(
    app: &TestApp,
    admin: &TestUser,
    url: &str,
    extra: Value,
) -> Uuid {
    let mut body = json!({"name": "Hook Partner", "webhook_url": url, "webhook_secret": SECRET});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.partner(admin, body).await.0
}

async fn publish(app: &TestApp, admin: &TestUser, desk: &Desk, headline: &str) -> String {
    let id = id_str(&app.draft(admin, desk, headline).await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    id
}

/// One worker pass after moving the clock past any backoff.
async fn pass_later(app: &TestApp, worker: &Worker) {
    app.clock.advance(Duration::hours(2));
    worker.run_once(&app.state).await.unwrap();
}

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
async fn webhook_urls_may_not_reach_the_internal_network() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = false).await;
    let admin = app.admin().await;
    for url in [
        "https://127.0.0.1/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://10.0.0.7/hooks",
        "https://localhost/hooks",
        "http://hooks.example.com/plain-http",
    ] {
        let res = app
            .post(
                "/api/v1/partners",
                &admin.token,
                json!({"name": "SSRF", "webhook_url": url}),
            )
            .await;
        res.assert_problem(422);
        assert!(
            !res.field_errors("webhook_url").is_empty(),
            "{url}: {}",
            res.body
        );
    }
    // A URL stored while private addresses were allowed is still refused when sending.
    let receiver = Receiver::start(0);
    let partner = app
        .partner(
            &admin,
            json!({"name": "Fine", "webhook_url": "https://hooks.example.com/in"}),
        )
        .await
        .0;
    sqlx::query("update partners set webhook_url = $2 where id = $1")
        .bind(partner)
        .bind(&receiver.url)
        .execute(&app.state.db)
        .await
        .unwrap();
    let desk = app.newsroom(&admin, "ssrf-daily").await;
    publish(&app, &admin, &desk, "Should not leave").await;
    let worker = Worker::new(&app.state.config).unwrap();
    let pass = worker.run_once(&app.state).await.unwrap();
    assert_eq!(pass.failed_attempts, 1);
    assert!(
        receiver.received().is_empty(),
        "the worker reached a loopback address"
    );
    let list = app
        .get(
            &format!("/api/v1/partners/{partner}/deliveries"),
            &admin.token,
        )
        .await;
    let error = list.body["items"][0]["last_error"].as_str().unwrap();
    assert!(error.contains("refused"), "{error}");
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
