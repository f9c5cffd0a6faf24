//! Staff accounts managed by admins.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_of, TestApp};

#[actix_web::test]
async fn an_admin_creates_lists_and_updates_users() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let star = app.outlet(&admin, "the-star").await;
    let body = json!({"email": "Ayesha@Dawn.example", "display_name": "Ayesha", "role": "writer", "outlet_ids": [dawn], "password": "a long enough password"});
    let created = app.post("/api/v1/users", &admin.token, body).await;
    created.assert_status(201);
    assert_eq!(created.body["email"], json!("ayesha@dawn.example"));
    assert_eq!(created.body["outlet_ids"], json!([dawn]));
    let id = id_of(&created);

    let dup = app.post("/api/v1/users", &admin.token, json!({"email": "AYESHA@dawn.example", "display_name": "Dup", "role": "writer", "password": "a long enough password"})).await;
    dup.assert_problem(409);
    assert!(
        !dup.field_errors("email").is_empty(),
        "emails are unique case-insensitively"
    );

    let updated = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin.token,
            json!({"role": "editor", "outlet_ids": [dawn, star], "display_name": "Ayesha K."}),
        )
        .await;
    updated.assert_status(200);
    assert_eq!(updated.body["role"], json!("editor"));
    assert_eq!(updated.body["outlet_ids"].as_array().unwrap().len(), 2);

    let editors = app
        .get(
            &format!("/api/v1/users?role=editor&outlet_id={star}"),
            &admin.token,
        )
        .await;
    let emails: Vec<&str> = editors.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["ayesha@dawn.example"]);
    let found = app.get("/api/v1/users?q=ayesha", &admin.token).await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn unknown_or_repeated_outlets_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    for outlets in [json!([uuid::Uuid::now_v7()]), json!([dawn, dawn])] {
        let body = json!({"email": "x@test.example", "display_name": "X", "role": "writer", "outlet_ids": outlets, "password": "a long enough password"});
        let res = app.post("/api/v1/users", &admin.token, body).await;
        res.assert_problem(422);
        assert!(!res.field_errors("outlet_ids").is_empty());
    }
    assert_eq!(app.count("users").await, 1);
}

#[actix_web::test]
async fn an_admin_cannot_demote_or_deactivate_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let path = format!("/api/v1/users/{}", admin.id);
    app.patch(&path, &admin.token, json!({"role": "editor"}))
        .await
        .assert_problem(409);
    app.delete(&path, &admin.token).await.assert_problem(409);
    app.get("/api/v1/me", &admin.token).await.assert_status(200);
}

#[actix_web::test]
async fn a_user_may_read_their_own_account_but_not_others() {
    let app = TestApp::spawn().await;
    let writer = app.user(Role::Writer, &[]).await;
    let other = app.user(Role::Writer, &[]).await;
    app.get(&format!("/api/v1/users/{}", writer.id), &writer.token)
        .await
        .assert_status(200);
    app.get(&format!("/api/v1/users/{}", other.id), &writer.token)
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let editor = app.user(Role::Editor, &[]).await;
    app.post(
        "/api/v1/sections",
        &editor.token,
        json!({"name": "Opinion"}),
    )
    .await
    .assert_problem(403);
    app.patch(
        &format!("/api/v1/users/{}", editor.id),
        &admin.token,
        json!({"role": "admin"}),
    )
    .await
    .assert_status(200);
    app.post(
        "/api/v1/sections",
        &editor.token,
        json!({"name": "Opinion"}),
    )
    .await
    .assert_status(201);
}
