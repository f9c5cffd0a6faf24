//! Login throttling per account, per account and address, and per address: password
//! spraying from one address is stopped, a stranger's guesses do not lock the owner out from
//! elsewhere, and guesses from many addresses still meet a per-account ceiling.

use actix_web::http::Method;
use chrono::Duration;
use newsroom::auth::{LoginError, LoginMeta};
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{Res, TestApp, PASSWORD};

/// A login from `address` (the app trusts `X-Forwarded-For`).
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Res {
    app.call_with(
        Method::POST,
        "/api/v1/auth/login",
        "",
        Some(json!({"email": email, "password": password})),
        &[("x-forwarded-for", address)],
    )
    .await
}

#[track_caller]
fn assert_throttled(res: &Res) {
    res.assert_problem(429);
    let retry: i64 = res
        .header("retry-after")
        .and_then(|r| r.parse().ok())
        .expect("a Retry-After header");
    assert!((1..=900).contains(&retry), "{retry}");
}

#[actix_web::test]
async fn spraying_forty_accounts_from_one_address_gets_429s() {
    let app = TestApp::spawn().await;
    let mut emails = Vec::new();
    for _ in 0..40 {
        emails.push(app.account(Role::Writer, &[]).await.1);
    }
    let mut statuses = Vec::new();
    for email in &emails {
        let res = app.login(email, "Summer2026!!").await;
        if res.status.as_u16() == 429 {
            assert_throttled(&res);
        }
        statuses.push(res.status.as_u16());
    }
    assert_eq!(statuses[..20], [401; 20], "20 failures per address");
    assert_eq!(statuses[20..], [429; 20], "then nothing more from there");
    // Even the right password waits: the address is what is throttled.
    assert_throttled(&app.login(&emails[0], PASSWORD).await);
    app.clock.advance(Duration::minutes(15));
    app.login(&emails[0], PASSWORD).await.assert_status(200);
}

#[actix_web::test]
async fn successful_logins_do_not_use_up_an_address() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Writer, &[]).await;
    for _ in 0..30 {
        app.login(&email, PASSWORD).await.assert_status(200);
    }
}

#[actix_web::test]
async fn a_strangers_wrong_passwords_do_not_stop_the_owner_at_another_address() {
    let app = TestApp::spawn_with(|c| c.trust_forwarded = true).await;
    let (_, owner) = app.account(Role::Admin, &[]).await;
    for attempt in 0..8 {
        let res = login_from(&app, "203.0.113.7", &owner, "a guess at it!").await;
        if attempt < 5 {
            res.assert_problem(401);
        } else {
            assert_throttled(&res);
        }
    }
    login_from(&app, "198.51.100.20", &owner, PASSWORD)
        .await
        .assert_status(200);
    // The stranger's address stays throttled for that account, right password or not.
    assert_throttled(&login_from(&app, "203.0.113.7", &owner, PASSWORD).await);
}

#[actix_web::test]
async fn guesses_from_many_addresses_meet_the_per_account_ceiling() {
    let app = TestApp::spawn_with(|c| c.trust_forwarded = true).await;
    let (_, owner) = app.account(Role::Admin, &[]).await;
    for address in 0..10 {
        for _ in 0..5 {
            login_from(
                &app,
                &format!("203.0.113.{address}"),
                &owner,
                "a guess at it!",
            )
            .await
            .assert_problem(401);
        }
    }
    // 50 failures from ten addresses: the account waits, from anywhere.
    assert_throttled(&login_from(&app, "198.51.100.20", &owner, PASSWORD).await);
    // Another account from one of those addresses is not affected.
    let (_, other) = app.account(Role::Writer, &[]).await;
    login_from(&app, "203.0.113.0", &other, PASSWORD)
        .await
        .assert_status(200);
    app.clock.advance(Duration::minutes(15));
    login_from(&app, "198.51.100.20", &owner, PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_refused_login_is_typed_with_its_wait_for_a_web_login_page() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Editor, &[]).await;
    let meta = || LoginMeta {
        ip: Some("203.0.113.9".into()),
        ..LoginMeta::default()
    };
    let wrong = newsroom::auth::login(&app.state, &email, "not the password".into(), meta()).await;
    assert!(matches!(wrong, Err(LoginError::WrongCredentials)));
    for _ in 0..4 {
        let _ = newsroom::auth::login(&app.state, &email, "not the password".into(), meta()).await;
    }
    match newsroom::auth::login(&app.state, &email, PASSWORD.into(), meta()).await {
        Err(LoginError::Throttled(t)) => assert_eq!(t.retry_after_secs, 900),
        other => panic!("expected a throttled refusal, got {:?}", other.err()),
    }
    app.clock.advance(Duration::minutes(15));
    let signed_in = newsroom::auth::login(&app.state, &email, PASSWORD.into(), meta()).await;
    assert!(signed_in.is_ok());
}

/// NUL cannot be stored in PostgreSQL's text, and no address holds one: such a login is
/// wrong credentials (401), counted by the throttle like any other, not a 400. (Found by the
/// contract fuzzer's stateful phase.)
#[actix_web::test]
async fn an_address_with_a_nul_is_wrong_credentials() {
    let app = TestApp::spawn_with(|c| c.trust_forwarded = true).await;
    let res = login_from(&app, "203.0.113.9", "ed\u{0}itor@example.org", PASSWORD).await;
    res.assert_problem(401);
}
