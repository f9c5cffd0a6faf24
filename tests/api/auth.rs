//! Sign-in, sessions, throttling and password storage.

use actix_web::http::Method;
use chrono::Duration;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};

#[actix_web::test]
async fn a_user_signs_in_reads_me_and_signs_out() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me = app.get("/api/v1/me", &admin.token).await;
    me.assert_status(200);
    assert_eq!(me.body["email"], json!(admin.email));
    assert_eq!(me.body["role"], json!("admin"));
    assert!(me.body.get("password_hash").is_none());

    app.call(
        Method::POST,
        "/api/v1/auth/logout",
        Some(&admin.token),
        None,
    )
    .await
    .assert_status(204);
    app.get("/api/v1/me", &admin.token)
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn a_login_answers_a_prefixed_token_an_expiry_and_the_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app.login(&admin.email.to_uppercase(), PASSWORD).await;
    res.assert_status(200);
    let token = res.body["token"].as_str().unwrap();
    assert!(token.starts_with("nrs_") && token.len() == 47, "{token}");
    assert_eq!(
        res.body["expires_at"],
        json!((app.clock.now() + Duration::hours(12))
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    );
    assert_eq!(res.body["user"]["id"], json!(admin.id));
    let stored: Vec<u8> =
        sqlx::query_scalar("select token_hash from sessions order by created_at desc limit 1")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(stored.len(), 32, "only the SHA-256 of the token is stored");
    assert_ne!(stored, token.as_bytes());
}

#[actix_web::test]
async fn every_bad_credential_gets_the_same_401() {
    let app = TestApp::spawn().await;
    let user = app.user(Role::Writer, &[]).await;
    let wrong_password = app.login(&user.email, "not the password at all").await;
    let unknown_email = app.login("nobody@test.example", PASSWORD).await;
    let malformed_email = app.login("not-an-email", PASSWORD).await;
    sqlx::query("update users set active = false where id = $1")
        .bind(user.id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let inactive = app.login(&user.email, PASSWORD).await;
    for res in [&wrong_password, &unknown_email, &malformed_email, &inactive] {
        res.assert_problem(401);
        assert_eq!(res.text, wrong_password.text);
    }
}

#[actix_web::test]
async fn a_session_expires_after_twelve_hours() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.clock
        .advance(Duration::hours(12) - Duration::seconds(1));
    app.get("/api/v1/me", &admin.token).await.assert_status(200);
    app.clock.advance(Duration::seconds(1));
    app.get("/api/v1/me", &admin.token)
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn malformed_and_unknown_tokens_get_401() {
    let app = TestApp::spawn().await;
    for token in [
        "",
        "nrs_short",
        "nrs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Basic abc",
    ] {
        app.get("/api/v1/me", token).await.assert_problem(401);
    }
    app.call(Method::GET, "/api/v1/me", None, None)
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn deactivating_a_user_ends_their_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let writer = app.user(Role::Writer, &[]).await;
    app.get("/api/v1/me", &writer.token)
        .await
        .assert_status(200);
    app.delete(&format!("/api/v1/users/{}", writer.id), &admin.token)
        .await
        .assert_status(200);
    app.get("/api/v1/me", &writer.token)
        .await
        .assert_problem(401);
    // Reactivation does not bring old sessions back.
    app.patch(
        &format!("/api/v1/users/{}", writer.id),
        &admin.token,
        json!({"active": true}),
    )
    .await
    .assert_status(200);
    app.get("/api/v1/me", &writer.token)
        .await
        .assert_problem(401);
    app.login(&writer.email, PASSWORD).await.assert_status(200);
}

#[actix_web::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let writer = app.user(Role::Writer, &[]).await;
    let other = app.login(&writer.email, PASSWORD).await.body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let new_password = "a new passphrase, long enough";

    let wrong = json!({"current_password": "wrong wrong wrong", "new_password": new_password});
    let res = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&writer.token),
            Some(wrong),
        )
        .await;
    res.assert_problem(422);
    assert!(!res.field_errors("current_password").is_empty());

    let body = json!({"current_password": PASSWORD, "new_password": new_password});
    app.call(
        Method::PUT,
        "/api/v1/me/password",
        Some(&writer.token),
        Some(body),
    )
    .await
    .assert_status(204);
    app.get("/api/v1/me", &other).await.assert_problem(401);
    app.get("/api/v1/me", &writer.token)
        .await
        .assert_status(200);
    app.login(&writer.email, PASSWORD).await.assert_problem(401);
    app.login(&writer.email, new_password)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn passwords_must_be_12_to_128_characters_and_are_never_truncated() {
    let app = TestApp::spawn().await;
    let writer = app.user(Role::Writer, &[]).await;
    for bad in ["elevenchars".to_owned(), "x".repeat(129)] {
        let body = json!({"current_password": PASSWORD, "new_password": bad});
        let res = app
            .call(
                Method::PUT,
                "/api/v1/me/password",
                Some(&writer.token),
                Some(body),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors("new_password").is_empty());
    }
    let long = "p".repeat(128);
    let body = json!({"current_password": PASSWORD, "new_password": long});
    app.call(
        Method::PUT,
        "/api/v1/me/password",
        Some(&writer.token),
        Some(body),
    )
    .await
    .assert_status(204);
    app.login(&writer.email, &"p".repeat(127))
        .await
        .assert_problem(401);
    app.login(&writer.email, &long).await.assert_status(200);
}

#[actix_web::test]
async fn blank_ish_and_common_passwords_are_refused_wherever_a_password_is_set() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let writer = app.user(Role::Writer, &[]).await;
    let users = app.count("users").await;
    for bad in [
        " ".repeat(16),
        "   padded    ".to_owned(),
        "qwerty123456".to_owned(),
        "1Q2W3E4R5T6Y".to_owned(),
        " 1234567890123 ".to_owned(),
    ] {
        let body = json!({"email": "new@test.example", "display_name": "New", "role": "writer", "password": bad});
        let res = app.post("/api/v1/users", &admin.token, body).await;
        res.assert_problem(422);
        assert!(!res.field_errors("password").is_empty(), "{bad:?}");
        let body = json!({"current_password": PASSWORD, "new_password": bad});
        let res = app
            .call(
                Method::PUT,
                "/api/v1/me/password",
                Some(&writer.token),
                Some(body),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors("new_password").is_empty(), "{bad:?}");
    }
    assert_eq!(app.count("users").await, users);
    app.login(&writer.email, PASSWORD).await.assert_status(200);
}

#[actix_web::test]
async fn the_stored_hash_is_argon2id_with_at_least_the_owasp_parameters() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = json!({"email": "desk@test.example", "display_name": "Desk", "role": "writer", "password": "a strong passphrase"});
    let res = app.post("/api/v1/users", &admin.token, body).await;
    res.assert_status(201);
    let hash: String =
        sqlx::query_scalar("select password_hash from users where email = 'desk@test.example'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let parsed = argon2::PasswordHash::new(&hash).unwrap();
    assert_eq!(parsed.algorithm.as_str(), "argon2id");
    let params = argon2::Params::try_from(&parsed).unwrap();
    assert!(
        params.m_cost() >= 19_456 && params.t_cost() >= 2 && params.p_cost() >= 1,
        "{hash}"
    );
    assert!(!hash.contains("a strong passphrase"));
    app.login("desk@test.example", "a strong passphrase")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn five_failures_in_fifteen_minutes_lock_the_account_with_retry_after() {
    let app = TestApp::spawn().await;
    let user = app.user(Role::Editor, &[]).await;
    for _ in 0..5 {
        app.login(&user.email, "wrong password!!")
            .await
            .assert_problem(401);
    }
    let locked = app.login(&user.email, PASSWORD).await;
    locked.assert_problem(429);
    let retry: i64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another account is not affected.
    let other = app.user(Role::Editor, &[]).await;
    app.login(&other.email, PASSWORD).await.assert_status(200);
    // After the window the account can sign in again.
    app.clock.advance(Duration::minutes(15));
    app.login(&user.email, PASSWORD).await.assert_status(200);
}

#[actix_web::test]
async fn a_success_resets_the_failure_count() {
    let app = TestApp::spawn().await;
    let user = app.user(Role::Editor, &[]).await;
    for _ in 0..3 {
        app.login(&user.email, "wrong password!!")
            .await
            .assert_problem(401);
    }
    app.login(&user.email, PASSWORD).await.assert_status(200);
    for _ in 0..4 {
        app.login(&user.email, "wrong password!!")
            .await
            .assert_problem(401);
    }
    app.login(&user.email, PASSWORD).await.assert_status(200);
}

#[actix_web::test]
async fn unknown_emails_are_throttled_too_so_429_reveals_nothing() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        app.login("ghost@test.example", PASSWORD)
            .await
            .assert_problem(401);
    }
    app.login("ghost@test.example", PASSWORD)
        .await
        .assert_problem(429);
}

#[actix_web::test]
async fn a_burst_of_concurrent_guesses_gets_at_most_five_verifications() {
    let app = TestApp::spawn().await;
    let user = app.user(Role::Writer, &[]).await;
    let guesses = (0..20).map(|_| app.login(&user.email, "wrong password!!"));
    let results = futures_util::future::join_all(guesses).await;
    let unauthorized = results.iter().filter(|r| r.status.as_u16() == 401).count();
    let throttled = results.iter().filter(|r| r.status.as_u16() == 429).count();
    assert_eq!((unauthorized, throttled), (5, 15));
}

#[actix_web::test]
async fn a_login_while_every_hashing_slot_is_busy_gets_503_with_retry_after() {
    let app = TestApp::spawn().await;
    let user = app.user(Role::Writer, &[]).await;
    let held = app.state.hashing.take_all().await.unwrap();
    let busy = app.login(&user.email, PASSWORD).await;
    busy.assert_problem(503);
    let retry: u64 = busy.header("retry-after").unwrap().parse().unwrap();
    assert!(retry >= 1, "{retry}");
    drop(held);
    app.login(&user.email, PASSWORD).await.assert_status(200);
}
