//! Signing up: one answer for every kind of address (no enumeration), a limit per address,
//! and a consent ledger that only grows.

use chrono::Duration;
use serde_json::json;

use super::{confirmation_link, newsletter, post_json, sign_up, status};
use crate::helpers::TestApp;

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
