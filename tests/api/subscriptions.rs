//! Newsletters and readers' subscriptions: double opt-in, no enumeration, single-use and
//! expiring links, one-click unsubscribe, suppression and the consent ledger.

use actix_web::http::Method;
use chrono::Duration;
use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Res, TestApp};

pub async fn newsletter(app: &TestApp, slug: &str) -> Uuid {
    let admin = app.admin().await;
    let res = app
        .post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": slug, "name": "Eastern Briefings", "description": "Curated stories."}),
        )
        .await;
    res.assert_status(201);
    crate::helpers::id_of(&res)
}

pub async fn sign_up(app: &TestApp, slug: &str, email: &str) -> Res {
    app.call_raw(
        Method::POST,
        &format!("/public/v1/newsletters/{slug}/subscribe"),
        None,
        Some("application/json"),
        json!({"email": email, "consent": true, "policy_version": "2026-11"})
            .to_string()
            .into_bytes(),
    )
    .await
}

/// The confirmation link of the last email queued for `email`, and how many were queued.
pub async fn confirmation_link(app: &TestApp, email: &str) -> (String, i64) {
    let bodies: Vec<String> = sqlx::query_scalar(
        "select text_body from email_outbox where recipient = $1 and kind = 'confirm' order by created_at, id",
    )
    .bind(email)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let last = bodies.last().expect("a confirmation email");
    (token_in(last), bodies.len() as i64)
}

/// The token of the first `token=` link in an email body.
pub fn token_in(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// The text of a message received over SMTP, with quoted-printable soft line breaks and
/// `=3D` undone (enough to read a link from it).
pub fn smtp_text(message: &crate::smtp_sink::Received) -> String {
    message.data.replace("=\r\n", "").replace("=3D", "=")
}

pub async fn status(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "select s.status from subscriptions s join subscribers sub on sub.id = s.subscriber_id where sub.email = $1",
    )
    .bind(email)
    .fetch_optional(&app.state.db)
    .await
    .unwrap()
}

async fn ledger(
    app: &TestApp,
    email: &str,
) -> Vec<(String, Option<String>, Option<String>, Option<String>)> {
    sqlx::query_as(
        "select c.action, c.ip, c.user_agent, c.policy_version from consent_events c
         join subscribers s on s.id = c.subscriber_id where s.email = $1 order by c.at, c.id",
    )
    .bind(email)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

pub async fn post_json(app: &TestApp, path: &str, body: Value) -> Res {
    app.call_raw(
        Method::POST,
        path,
        None,
        Some("application/json"),
        body.to_string().into_bytes(),
    )
    .await
}

#[actix_web::test]
async fn admins_manage_newsletters_and_staff_read_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let editor = app.user(Role::Editor, &[]).await;
    let id = newsletter(&app, "eastern-briefings").await;
    app.post(
        "/api/v1/newsletters",
        &editor.token,
        json!({"name": "Mine"}),
    )
    .await
    .assert_problem(403);
    let taken = app
        .post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": "eastern-briefings", "name": "Again"}),
        )
        .await;
    taken.assert_problem(409);
    assert!(!taken.field_errors("slug").is_empty());
    let read = app
        .get("/api/v1/newsletters/eastern-briefings", &editor.token)
        .await;
    read.assert_status(200);
    assert_eq!(read.body["id"], id.to_string());
    let renamed = app
        .patch(
            &format!("/api/v1/newsletters/{id}"),
            &admin.token,
            json!({"description": null}),
        )
        .await;
    renamed.assert_status(200);
    assert!(renamed.body["description"].is_null());
    app.get(
        "/api/v1/newsletters",
        &app.user(Role::Writer, &[]).await.token,
    )
    .await
    .assert_status(200);

    // A newsletter with subscribers cannot be deleted; an empty one can.
    sign_up(&app, "eastern-briefings", "reader@example.org")
        .await
        .assert_status(202);
    app.delete(&format!("/api/v1/newsletters/{id}"), &admin.token)
        .await
        .assert_problem(409);
    let spare = newsletter(&app, "spare").await;
    app.delete(&format!("/api/v1/newsletters/{spare}"), &admin.token)
        .await
        .assert_status(204);
}

#[actix_web::test]
async fn a_sign_up_answers_the_same_for_new_pending_confirmed_and_suppressed_addresses() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let first = sign_up(&app, "eastern-briefings", "new@example.org").await;
    first.assert_status(202);

    // Pending (signed up again), confirmed, and suppressed (bounced) addresses.
    let pending = sign_up(&app, "eastern-briefings", "new@example.org").await;
    sign_up(&app, "eastern-briefings", "confirmed@example.org")
        .await
        .assert_status(202);
    let (token, _) = confirmation_link(&app, "confirmed@example.org").await;
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    let confirmed = sign_up(&app, "eastern-briefings", "confirmed@example.org").await;
    let hash = newsroom::subscriptions::service::email_hash("bounced@example.org");
    sqlx::query(
        "insert into suppressions (email_hash, reason, created_at) values ($1, 'bounced', now())",
    )
    .bind(hash)
    .execute(&app.state.db)
    .await
    .unwrap();
    let suppressed = sign_up(&app, "eastern-briefings", "Bounced@Example.org").await;
    for res in [&pending, &confirmed, &suppressed] {
        assert_eq!(res.status, first.status);
        assert_eq!(res.text, first.text);
    }
    // What happened underneath: no email to the confirmed or the suppressed address, and
    // the suppressed address was not even stored.
    assert_eq!(confirmation_link(&app, "confirmed@example.org").await.1, 1);
    assert_eq!(confirmation_link(&app, "new@example.org").await.1, 2);
    let stored: i64 =
        sqlx::query_scalar("select count(*) from subscribers where email = 'bounced@example.org'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(stored, 0);

    // Without consent, or with a bad address: 422, nothing stored.
    let no_consent = post_json(
        &app,
        "/public/v1/newsletters/eastern-briefings/subscribe",
        json!({"email": "x@example.org", "consent": false, "policy_version": "2026-11"}),
    )
    .await;
    no_consent.assert_problem(422);
    assert!(!no_consent.field_errors("consent").is_empty());
    post_json(
        &app,
        "/public/v1/newsletters/eastern-briefings/subscribe",
        json!({"email": "not an address", "consent": true, "policy_version": "2026-11"}),
    )
    .await
    .assert_problem(422);
    assert_eq!(status(&app, "x@example.org").await, None);
    sign_up(&app, "no-such-newsletter", "y@example.org")
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn the_double_opt_in_link_confirms_once_only_by_post_and_within_48_hours() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let res = app
        .call_with(
            Method::POST,
            "/public/v1/newsletters/eastern-briefings/subscribe",
            "",
            Some(json!({"email": "reader@example.org", "name": "Mei", "consent": true, "policy_version": "2026-11"})),
            &[("user-agent", "Reader's browser")],
        )
        .await;
    res.assert_status(202);
    assert_eq!(
        status(&app, "reader@example.org").await.as_deref(),
        Some("pending")
    );
    let (token, _) = confirmation_link(&app, "reader@example.org").await;

    // A mail scanner opening the link changes nothing: the page only shows a button.
    let page = app
        .get_with(
            &format!("/public/v1/subscriptions/confirm?token={token}"),
            &[],
        )
        .await;
    page.assert_status(200);
    assert!(page.text.contains("<form method=\"post\""));
    assert_eq!(
        status(&app, "reader@example.org").await.as_deref(),
        Some("pending")
    );

    // The page's button posts a form and gets a page back.
    let confirmed = app
        .call_raw(
            Method::POST,
            "/public/v1/subscriptions/confirm",
            None,
            Some("application/x-www-form-urlencoded"),
            format!("token={token}").into_bytes(),
        )
        .await;
    confirmed.assert_status(200);
    assert!(
        confirmed.text.contains("Subscription confirmed"),
        "{}",
        confirmed.text
    );
    assert_eq!(
        status(&app, "reader@example.org").await.as_deref(),
        Some("confirmed")
    );
    let again = post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await;
    again.assert_problem(422);

    let events = ledger(&app, "reader@example.org").await;
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(actions, ["subscribed", "confirmed"]);
    assert_eq!(events[0].1.as_deref(), Some("127.0.0.1"));
    assert_eq!(events[0].2.as_deref(), Some("Reader's browser"));
    assert_eq!(events[0].3.as_deref(), Some("2026-11"));
    assert_eq!(events[1].3.as_deref(), Some("2026-11"));

    // A link older than 48 hours is refused; a fresh sign-up sends a new one.
    sign_up(&app, "eastern-briefings", "late@example.org")
        .await
        .assert_status(202);
    let (late, _) = confirmation_link(&app, "late@example.org").await;
    app.clock.advance(Duration::hours(49));
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": late}),
    )
    .await
    .assert_problem(422);
    assert_eq!(
        status(&app, "late@example.org").await.as_deref(),
        Some("pending")
    );
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": "nrsub_short"}),
    )
    .await
    .assert_problem(422);
}

#[actix_web::test]
async fn one_click_unsubscribe_takes_effect_at_once_and_suppresses_the_address() {
    let app = TestApp::spawn().await;
    let briefings = newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "leaving@example.org")
        .await
        .assert_status(202);
    let (token, _) = confirmation_link(&app, "leaving@example.org").await;
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    let subscriber: Uuid =
        sqlx::query_scalar("select id from subscribers where email = 'leaving@example.org'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let mut conn = app.state.db.acquire().await.unwrap();
    let url = newsroom::subscriptions::service::unsubscribe_url(
        &mut conn, &app.state, subscriber, briefings,
    )
    .await
    .unwrap();
    drop(conn);
    let path = url.split_once("newsroom.test").unwrap().1.to_owned();

    // RFC 8058: the mail client posts `List-Unsubscribe=One-Click` to the header's URL.
    for _ in 0..2 {
        let res = app
            .call_raw(
                Method::POST,
                &path,
                None,
                Some("application/x-www-form-urlencoded"),
                b"List-Unsubscribe=One-Click".to_vec(),
            )
            .await;
        res.assert_status(200);
    }
    assert_eq!(
        status(&app, "leaving@example.org").await.as_deref(),
        Some("unsubscribed")
    );
    let actions: Vec<String> = ledger(&app, "leaving@example.org")
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        actions,
        ["subscribed", "confirmed", "unsubscribed"],
        "the second click changes nothing"
    );
    let hash = newsroom::subscriptions::service::email_hash("leaving@example.org");
    let suppressed: i64 = sqlx::query_scalar(
        "select count(*) from suppressions where email_hash = $1 and newsletter_id = $2 and reason = 'unsubscribed'",
    )
    .bind(&hash)
    .bind(briefings)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(suppressed, 1);
    let token = path.split_once("token=").unwrap().1;
    post_json(
        &app,
        "/public/v1/subscriptions/unsubscribe",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    post_json(
        &app,
        "/public/v1/subscriptions/unsubscribe",
        json!({"token": "nrsub_nope"}),
    )
    .await
    .assert_problem(422);

    // Coming back is new consent: a new confirmation, which lifts the suppression.
    sign_up(&app, "eastern-briefings", "leaving@example.org")
        .await
        .assert_status(202);
    let (again, sent) = confirmation_link(&app, "leaving@example.org").await;
    assert_eq!(sent, 2);
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": again}),
    )
    .await
    .assert_status(200);
    let left: i64 = sqlx::query_scalar("select count(*) from suppressions where email_hash = $1")
        .bind(&hash)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[actix_web::test]
async fn sign_ups_are_limited_per_address_and_the_ledger_is_append_only() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    for _ in 0..5 {
        sign_up(&app, "eastern-briefings", "eager@example.org")
            .await
            .assert_status(202);
    }
    let limited = sign_up(&app, "eastern-briefings", "eager@example.org").await;
    limited.assert_problem(429);
    assert!(limited.header("retry-after").is_some());
    // Another address is not affected; an hour later the address may sign up again.
    sign_up(&app, "eastern-briefings", "calm@example.org")
        .await
        .assert_status(202);
    app.clock.advance(Duration::minutes(61));
    sign_up(&app, "eastern-briefings", "eager@example.org")
        .await
        .assert_status(202);

    let changed = sqlx::query("update consent_events set ip = 'forged'")
        .execute(&app.state.db)
        .await;
    assert!(changed.is_err(), "the ledger accepted an update");
    let deleted = sqlx::query("delete from consent_events")
        .execute(&app.state.db)
        .await;
    assert!(deleted.is_err(), "the ledger accepted a delete");
}

#[actix_web::test]
async fn the_double_opt_in_round_trip_goes_through_a_real_smtp_server() {
    let sink = crate::smtp_sink::SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "smtp-reader@example.org")
        .await
        .assert_status(202);
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();

    let mail = sink.messages();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipients, ["smtp-reader@example.org"]);
    assert!(mail[0]
        .header("subject")
        .unwrap()
        .contains("Eastern Briefings"));
    let token = token_in(&smtp_text(&mail[0]));
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    assert_eq!(
        status(&app, "smtp-reader@example.org").await.as_deref(),
        Some("confirmed")
    );
    worker.run_once(&app.state).await.unwrap();
    assert_eq!(sink.messages().len(), 1, "nothing is sent twice");
}

#[actix_web::test]
async fn an_address_suppressed_after_queueing_is_not_mailed() {
    let sink = crate::smtp_sink::SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "bounces@example.org")
        .await
        .assert_status(202);
    let hash = newsroom::subscriptions::service::email_hash("bounces@example.org");
    sqlx::query(
        "insert into suppressions (email_hash, reason, created_at) values ($1, 'bounced', now())",
    )
    .bind(hash)
    .execute(&app.state.db)
    .await
    .unwrap();
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    assert!(sink.messages().is_empty());
    let (status, error): (String, Option<String>) = sqlx::query_as(
        "select status, last_error from email_outbox where recipient = 'bounces@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(status, "failed");
    assert!(error.unwrap().contains("suppression list"));
}

#[actix_web::test]
async fn a_hard_bounce_puts_the_address_on_the_suppression_list() {
    let sink = crate::smtp_sink::SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "nosuchuser@example.org")
        .await
        .assert_status(202);
    let worker = newsroom::email::Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    assert!(sink.messages().is_empty());
    let (status, error): (String, Option<String>) = sqlx::query_as(
        "select status, last_error from email_outbox where recipient = 'nosuchuser@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(status, "failed", "a hard bounce is not retried");
    assert!(error.unwrap().starts_with("bounced"));
    let hash = newsroom::subscriptions::service::email_hash("nosuchuser@example.org");
    let reason: String = sqlx::query_scalar(
        "select reason from suppressions where email_hash = $1 and newsletter_id is null",
    )
    .bind(hash)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(reason, "bounced");
    // Signing up again queues nothing for the bounced address.
    sign_up(&app, "eastern-briefings", "nosuchuser@example.org")
        .await
        .assert_status(202);
    let queued: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where recipient = 'nosuchuser@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(queued, 1);
}
