//! Outlets, sections and authors: their rules beyond permissions.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_of, TestApp};

#[actix_web::test]
async fn an_outlet_is_created_read_by_id_and_slug_updated_and_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = json!({"name": "The Straits Times", "country": "sg", "language": "EN", "website": "https://www.straitstimes.com", "description": "Since 1845."});
    let created = app.post("/api/v1/outlets", &admin.token, body).await;
    created.assert_status(201);
    assert_eq!(
        created.body["slug"],
        json!("the-straits-times"),
        "slug derived from the name"
    );
    assert_eq!(created.body["country"], json!("SG"));
    assert_eq!(created.body["language"], json!("en"));
    let id = id_of(&created);

    let by_slug = app
        .get("/api/v1/outlets/the-straits-times", &admin.token)
        .await;
    by_slug.assert_status(200);
    assert_eq!(
        by_slug.body,
        app.get(&format!("/api/v1/outlets/{id}"), &admin.token)
            .await
            .body
    );

    app.clock.advance(chrono::Duration::minutes(5));
    let updated = app
        .patch(
            "/api/v1/outlets/the-straits-times",
            &admin.token,
            json!({"name": "ST", "description": null}),
        )
        .await;
    updated.assert_status(200);
    assert_eq!(updated.body["name"], json!("ST"));
    assert_eq!(
        updated.body["description"],
        json!(null),
        "null clears a field"
    );
    assert_eq!(
        updated.body["website"],
        json!("https://www.straitstimes.com"),
        "absent fields are kept"
    );
    assert_ne!(updated.body["updated_at"], created.body["updated_at"]);
    assert_eq!(updated.body["created_at"], created.body["created_at"]);

    app.delete(&format!("/api/v1/outlets/{id}"), &admin.token)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/outlets/{id}"), &admin.token)
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn a_taken_slug_is_a_409_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.outlet(&admin, "dawn").await;
    let res = app
        .post(
            "/api/v1/outlets",
            &admin.token,
            json!({"slug": "dawn", "name": "Another Dawn", "country": "PK", "language": "ur"}),
        )
        .await;
    res.assert_problem(409);
    assert!(!res.field_errors("slug").is_empty(), "{}", res.text);
    let other = app.outlet(&admin, "the-star").await;
    app.patch(
        &format!("/api/v1/outlets/{other}"),
        &admin.token,
        json!({"slug": "dawn"}),
    )
    .await
    .assert_problem(409);

    app.post(
        "/api/v1/sections",
        &admin.token,
        json!({"name": "Economics"}),
    )
    .await
    .assert_status(201);
    let res = app
        .post(
            "/api/v1/sections",
            &admin.token,
            json!({"name": "Economics"}),
        )
        .await;
    res.assert_problem(409);
    assert!(!res.field_errors("slug").is_empty());
    app.post("/api/v1/authors", &admin.token, json!({"name": "Mei Lin"}))
        .await
        .assert_status(201);
    app.post("/api/v1/authors", &admin.token, json!({"name": "Mei Lin"}))
        .await
        .assert_problem(409);
}

#[actix_web::test]
async fn an_outlet_in_use_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let with_member = app.outlet(&admin, "with-member").await;
    app.user(Role::Writer, &[with_member]).await;
    app.delete(&format!("/api/v1/outlets/{with_member}"), &admin.token)
        .await
        .assert_problem(409);

    let with_author = app.outlet(&admin, "with-author").await;
    app.post(
        "/api/v1/authors",
        &admin.token,
        json!({"name": "Desk", "outlet_id": with_author}),
    )
    .await
    .assert_status(201);
    app.delete(&format!("/api/v1/outlets/{with_author}"), &admin.token)
        .await
        .assert_problem(409);
    assert_eq!(app.count("outlets").await, 2);
}

#[actix_web::test]
async fn sections_nest_but_never_in_a_cycle() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let world = id_of(
        &app.post("/api/v1/sections", &admin.token, json!({"name": "World"}))
            .await,
    );
    let asia = app
        .post(
            "/api/v1/sections",
            &admin.token,
            json!({"name": "Asia", "parent_id": world}),
        )
        .await;
    asia.assert_status(201);
    let asia = id_of(&asia);
    let east = id_of(
        &app.post(
            "/api/v1/sections",
            &admin.token,
            json!({"name": "East Asia", "parent_id": asia}),
        )
        .await,
    );

    for parent in [world, east] {
        let res = app
            .patch(
                &format!("/api/v1/sections/{world}"),
                &admin.token,
                json!({"parent_id": parent}),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors("parent_id").is_empty());
    }
    let missing = uuid::Uuid::now_v7();
    app.post(
        "/api/v1/sections",
        &admin.token,
        json!({"name": "Orphan", "parent_id": missing}),
    )
    .await
    .assert_problem(422);

    let children = app
        .get(&format!("/api/v1/sections?parent_id={world}"), &admin.token)
        .await;
    assert_eq!(children.body["items"].as_array().unwrap().len(), 1);
    app.delete(&format!("/api/v1/sections/{world}"), &admin.token)
        .await
        .assert_problem(409);
    app.patch(
        &format!("/api/v1/sections/{east}"),
        &admin.token,
        json!({"parent_id": null}),
    )
    .await
    .assert_status(200);
    app.delete(&format!("/api/v1/sections/{asia}"), &admin.token)
        .await
        .assert_status(204);
}

#[actix_web::test]
async fn an_author_has_a_bio_an_outlet_and_an_optional_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn]).await;
    let body = json!({"name": "Ayesha Khan", "bio": "Political editor.", "outlet_id": dawn, "user_id": writer.id});
    let created = app.post("/api/v1/authors", &admin.token, body).await;
    created.assert_status(201);
    assert_eq!(created.body["slug"], json!("ayesha-khan"));
    assert_eq!(created.body["user_id"], json!(writer.id));
    let again = app
        .post(
            "/api/v1/authors",
            &admin.token,
            json!({"name": "A K", "user_id": writer.id}),
        )
        .await;
    again.assert_problem(409);
    assert!(!again.field_errors("user_id").is_empty());
    let ghost = app
        .post(
            "/api/v1/authors",
            &admin.token,
            json!({"name": "Ghost", "user_id": uuid::Uuid::now_v7()}),
        )
        .await;
    ghost.assert_problem(422);
    let read = app.get("/api/v1/authors/ayesha-khan", &writer.token).await;
    assert_eq!(read.body["bio"], json!("Political editor."));
}

#[actix_web::test]
async fn lists_filter_by_name() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["Dawn", "The Star", "The Daily Star"] {
        app.post(
            "/api/v1/outlets",
            &admin.token,
            json!({"name": name, "country": "PK", "language": "en"}),
        )
        .await
        .assert_status(201);
    }
    let res = app.get("/api/v1/outlets?q=star", &admin.token).await;
    let slugs: Vec<&str> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["the-daily-star", "the-star"]);
    let res = app.get("/api/v1/outlets?q=%25", &admin.token).await;
    assert!(
        res.body["items"].as_array().unwrap().is_empty(),
        "LIKE wildcards match literally"
    );
}
