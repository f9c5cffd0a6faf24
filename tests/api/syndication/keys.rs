//! Partner keys: shown once, stored hashed, revoked at once; every bad key gets the same 401.

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;

#[actix_web::test]
async fn a_key_is_shown_once_stored_hashed_and_revoked_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let partner = app
        .post(
            "/api/v1/partners",
            &admin.token,
            json!({"name": "Asia Wire", "webhook_url": "https://wire.example/hook"}),
        )
        .await;
    partner.assert_status(201);
    assert!(
        partner.body["webhook_secret"].as_str().unwrap().len() >= 32,
        "a secret is generated and shown once"
    );
    let id = partner.body["id"].as_str().unwrap().to_owned();
    assert!(app
        .get(&format!("/api/v1/partners/{id}"), &admin.token)
        .await
        .body
        .get("webhook_secret")
        .is_none());

    let created = app
        .post(
            &format!("/api/v1/partners/{id}/keys"),
            &admin.token,
            json!({}),
        )
        .await;
    created.assert_status(201);
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("nr_live_") && key.len() == 57, "{key}");
    assert!(key.starts_with(created.body["prefix"].as_str().unwrap()));
    let stored: Vec<u8> = sqlx::query_scalar("select key_hash from api_keys")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        stored,
        Sha256::digest(key.as_bytes()).to_vec(),
        "only the SHA-256 is stored"
    );
    let listed = app
        .get(&format!("/api/v1/partners/{id}/keys"), &admin.token)
        .await;
    assert!(!listed.text.contains(&key), "lists never show the key");

    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    let bearer = app
        .get_with(
            "/syndication/v1/articles",
            &[("authorization", &format!("Bearer {key}"))],
        )
        .await;
    bearer.assert_status(200);
    // The key check only reads; the use is written by the usage log's flush, at most once
    // a minute per key.
    let last_used = || async {
        app.state.usage.flush(&app.state.db).await.unwrap();
        sqlx::query_scalar::<_, Option<chrono::DateTime<chrono::Utc>>>(
            "select last_used_at from api_keys",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap()
    };
    let first = app.clock.now();
    assert_eq!(last_used().await, Some(first));
    app.clock.advance(chrono::Duration::seconds(30));
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    assert_eq!(last_used().await, Some(first), "not again within a minute");
    app.clock.advance(chrono::Duration::seconds(31));
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    assert_eq!(last_used().await, Some(app.clock.now()));

    let key_id = created.body["id"].as_str().unwrap();
    app.delete(
        &format!("/api/v1/partners/{id}/keys/{key_id}"),
        &admin.token,
    )
    .await
    .assert_status(204);
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn unknown_revoked_expired_and_malformed_keys_get_one_identical_401() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (partner, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let expiring = app
        .post(
            &format!("/api/v1/partners/{partner}/keys"),
            &admin.token,
            json!({"expires_at": app.clock.now() + chrono::Duration::hours(1)}),
        )
        .await;
    let expiring = expiring.body["key"].as_str().unwrap().to_owned();
    app.syndication(&expiring, "/syndication/v1/articles")
        .await
        .assert_status(200);
    app.clock.advance(chrono::Duration::hours(1));

    let reference = app
        .syndication("nr_live_unknown", "/syndication/v1/articles")
        .await;
    reference.assert_problem(401);
    let unknown = newsroom::auth::api_key::generate();
    let cases = [
        app.syndication(&unknown, "/syndication/v1/articles").await,
        app.syndication(&expiring, "/syndication/v1/articles").await,
        app.syndication(&key[..key.len() - 1], "/syndication/v1/articles")
            .await,
        app.syndication(&admin.token, "/syndication/v1/articles")
            .await,
        app.get_with(&format!("/syndication/v1/articles?api_key={key}"), &[])
            .await,
        app.get_with("/syndication/v1/articles", &[]).await,
    ];
    for res in &cases {
        assert_eq!((res.status, &res.text), (reference.status, &reference.text));
    }
    // A partner key is no staff token either.
    app.get_with("/api/v1/me", &[("authorization", &format!("Bearer {key}"))])
        .await
        .assert_problem(401);
    // Deactivating the partner stops its keys.
    app.delete(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await
        .assert_status(200);
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn a_partners_keys_come_in_pages_newest_first_like_every_list() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (partner, _) = app.partner(&admin, json!({"name": "Wire"})).await;
    let mut made = Vec::new();
    for _ in 0..2 {
        let key = app
            .post(
                &format!("/api/v1/partners/{partner}/keys"),
                &admin.token,
                json!({}),
            )
            .await;
        key.assert_status(201);
        made.push(key.body["id"].clone());
    }
    let keys = format!("/api/v1/partners/{partner}/keys");
    let first = app.get(&format!("{keys}?limit=2"), &admin.token).await;
    first.assert_status(200);
    let items = first.body["items"].as_array().expect("a page of items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], made[1], "newest first");
    assert_eq!(items[1]["id"], made[0]);
    let next = first.body["next"]
        .as_str()
        .expect("a cursor: one key is left");
    let second = app
        .get(&format!("{keys}?limit=2&cursor={next}"), &admin.token)
        .await;
    second.assert_status(200);
    assert_eq!(second.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(second.body["next"], json!(null));

    for query in [
        "?limit=0",
        "?limit=101",
        "?cursor=garbage",
        "?status=active",
    ] {
        app.get(&format!("{keys}{query}"), &admin.token)
            .await
            .assert_problem(422);
    }
}
