//! Huge fields: enormous arrays and ten-thousand-character slugs and texts are 422 naming
//! the field.

use serde_json::json;

use super::footprint;
use crate::helpers::TestApp;

#[actix_web::test]
async fn huge_arrays_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let before = footprint(&app).await;
    let many_authors: Vec<String> = (0..20_000)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let same_author = vec![desk.author.to_string(); 20_000];
    let many_tags: Vec<String> = (0..50_000).map(|i| format!("t{i}")).collect();
    let cases = [
        ("author_ids", json!({"author_ids": many_authors})),
        ("author_ids", json!({"author_ids": same_author})),
        ("tags", json!({"tags": many_tags})),
    ];
    for (field, extra) in cases {
        let mut body = json!({"outlet_id": desk.outlet, "headline": "Huge", "body": "b", "section_id": desk.section});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let res = app.post("/api/v1/articles", &admin.token, body).await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let many_outlets: Vec<String> = (0..20_000)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let res = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "a@b.example", "display_name": "A", "role": "writer", "password": "long enough password", "outlet_ids": many_outlets}),
        )
        .await;
    res.assert_problem(422);
    let res = app
        .post(
            "/api/v1/partners",
            &admin.token,
            json!({"name": "P", "outlet_ids": many_outlets}),
        )
        .await;
    res.assert_problem(422);
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn ten_thousand_character_slugs_and_over_long_fields_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let before = footprint(&app).await;
    let long = "a".repeat(10_000);
    let cases = [
        (
            "/api/v1/sections",
            "slug",
            json!({"slug": long, "name": "N"}),
        ),
        ("/api/v1/sections", "name", json!({"name": long})),
        (
            "/api/v1/authors",
            "slug",
            json!({"slug": long, "name": "N"}),
        ),
        (
            "/api/v1/authors",
            "name",
            json!({"slug": "a", "name": long}),
        ),
        (
            "/api/v1/newsletters",
            "slug",
            json!({"slug": long, "name": "N"}),
        ),
        (
            "/api/v1/newsletters",
            "name",
            json!({"slug": "n", "name": long}),
        ),
        ("/api/v1/partners", "name", json!({"name": long})),
        (
            "/api/v1/outlets",
            "name",
            json!({"slug": "o", "name": long, "country": "PK", "language": "en"}),
        ),
        (
            "/api/v1/outlets",
            "website",
            json!({"slug": "o", "name": "O", "country": "PK", "language": "en", "website": format!("https://dawn.com/{long}")}),
        ),
        (
            "/api/v1/articles",
            "slug",
            json!({"outlet_id": desk.outlet, "slug": long, "headline": "H"}),
        ),
        (
            "/api/v1/articles",
            "headline",
            json!({"outlet_id": desk.outlet, "headline": long}),
        ),
        (
            "/api/v1/articles",
            "tags",
            json!({"outlet_id": desk.outlet, "headline": "H", "tags": [long]}),
        ),
        (
            "/api/v1/users",
            "display_name",
            json!({"email": "a@b.example", "display_name": long, "role": "writer", "password": "long enough password"}),
        ),
        (
            "/api/v1/users",
            "email",
            json!({"email": format!("{long}@b.example"), "display_name": "A", "role": "writer", "password": "long enough password"}),
        ),
    ];
    for (path, field, body) in cases {
        let res = app.post(path, &admin.token, body).await;
        res.assert_problem(422);
        assert!(
            !res.field_errors(field).is_empty(),
            "{path} {field}: {}",
            res.text
        );
    }
    // A 10,000-character slug in a path is simply no such resource.
    for path in [
        format!("/api/v1/outlets/{long}"),
        format!("/public/v1/outlets/dawn/articles/{long}"),
        format!("/public/v1/authors/{long}"),
    ] {
        app.get(&path, &admin.token).await.assert_problem(404);
    }
    assert_eq!(footprint(&app).await, before);
}
