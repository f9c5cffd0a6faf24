//! Answers that carry a credential (a session token, a new API key, a webhook secret) say
//! `Cache-Control: no-store`, so no browser, proxy or CDN keeps a copy.

use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};

#[actix_web::test]
async fn every_answer_that_carries_a_credential_is_no_store() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, email) = app.account(newsroom::domain::Role::Writer, &[]).await;

    let login = app.login(&email, PASSWORD).await;
    login.assert_status(200);
    assert!(login.body["token"].is_string());
    let partner = app
        .post("/api/v1/partners", &admin.token, json!({"name": "Wire"}))
        .await;
    partner.assert_status(201);
    assert!(partner.body["webhook_secret"].is_string());
    let id = partner.body["id"].as_str().unwrap().to_owned();
    let key = app
        .post(
            &format!("/api/v1/partners/{id}/keys"),
            &admin.token,
            json!({}),
        )
        .await;
    key.assert_status(201);
    assert!(key.body["key"].is_string());
    let rotated = app
        .post(
            &format!("/api/v1/partners/{id}/webhooks/rotate-secret"),
            &admin.token,
            json!({}),
        )
        .await;
    rotated.assert_status(200);
    for (what, res) in [
        ("login", &login),
        ("partner", &partner),
        ("key", &key),
        ("rotation", &rotated),
    ] {
        assert_eq!(res.header("cache-control"), Some("no-store"), "{what}");
    }
    // Answers without a secret keep their usual caching.
    let read = app
        .get(&format!("/api/v1/partners/{id}"), &admin.token)
        .await;
    assert_ne!(read.header("cache-control"), Some("no-store"));
}
