//! The double opt-in: the link confirms once, only by POST, within 48 hours, and the round
//! trip works through a real SMTP server.

use actix_web::http::Method;
use chrono::Duration;
use serde_json::json;

use super::{
    confirmation_link, ledger, newsletter, post_json, sign_up, smtp_text, status, token_in,
};
use crate::helpers::TestApp;

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
async fn pressing_the_confirm_button_twice_shows_a_page_and_json_clients_keep_json() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "twice@example.org")
        .await
        .assert_status(202);
    let (token, _) = confirmation_link(&app, "twice@example.org").await;
    let press = || {
        app.call_raw(
            Method::POST,
            "/public/v1/subscriptions/confirm",
            None,
            Some("application/x-www-form-urlencoded"),
            format!("token={token}").into_bytes(),
        )
    };
    press().await.assert_status(200);
    let second = press().await;
    assert_eq!(second.status.as_u16(), 422);
    assert!(
        second
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        second.headers
    );
    assert!(second.text.contains("<h1>This link cannot be used</h1>"));
    assert!(second.text.contains("your subscription is confirmed"));
    assert!(
        !second.text.contains("\"type\""),
        "no JSON: {}",
        second.text
    );

    // A form without a token, or with a mangled one, gets a page too.
    for body in ["", "token=nrsub_cut"] {
        let res = app
            .call_raw(
                Method::POST,
                "/public/v1/subscriptions/confirm",
                None,
                Some("application/x-www-form-urlencoded"),
                body.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(res.status.as_u16(), 422);
        assert!(res.text.starts_with("<!doctype html>"), "{}", res.text);
    }
    // A post that is no form is the JSON API: a problem document, never a page.
    let bare = app
        .call_raw(
            Method::POST,
            "/public/v1/subscriptions/confirm",
            None,
            None,
            Vec::new(),
        )
        .await;
    bare.assert_problem(415);
    // A program that posts JSON keeps its problem document.
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_problem(422);
}
