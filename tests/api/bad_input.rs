//! Every class of bad input gets a clear 4xx problem+json and changes nothing.

use actix_web::http::Method;
use serde_json::json;

use crate::helpers::TestApp;

/// Rows in the tables a bad request could touch.
async fn footprint(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("outlets").await,
        app.count("users").await,
        app.count("audit_entries").await,
    )
}

#[actix_web::test]
async fn malformed_json_is_400() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let res = app
        .call_raw(
            Method::POST,
            "/api/v1/outlets",
            Some(&admin.token),
            Some("application/json"),
            b"{\"name\": ".to_vec(),
        )
        .await;
    res.assert_problem(400);
    assert!(res.body["detail"].as_str().unwrap().contains("JSON"));
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn unknown_fields_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    for field in ["id", "created_at", "updated_at", "status", "version"] {
        let mut body = json!({"slug": "dawn", "name": "Dawn", "country": "PK", "language": "en"});
        body[field] = json!("2026-01-01T00:00:00Z");
        let res = app.post("/api/v1/outlets", &admin.token, body).await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let res = app.post("/api/v1/users", &admin.token, json!({"email": "a@b.example", "display_name": "A", "role": "writer", "password": "long enough password", "active": false, "password_hash": "x"})).await;
    res.assert_problem(422);
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn missing_and_mistyped_fields_are_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app
        .post(
            "/api/v1/outlets",
            &admin.token,
            json!({"slug": "dawn", "country": "PK", "language": "en"}),
        )
        .await;
    res.assert_problem(422);
    assert!(!res.field_errors("name").is_empty());
    app.post(
        "/api/v1/outlets",
        &admin.token,
        json!({"name": 5, "country": "PK", "language": "en"}),
    )
    .await
    .assert_problem(422);
    app.post("/api/v1/users", &admin.token, json!({"email": "a@b.example", "display_name": "A", "role": "chief", "password": "long enough password"})).await.assert_problem(422);
}

#[actix_web::test]
async fn invalid_values_are_422_with_field_errors() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let cases = [
        (
            "slug",
            json!({"slug": "Not A Slug", "name": "X", "country": "PK", "language": "en"}),
        ),
        (
            "slug",
            json!({"slug": "a".repeat(10_000), "name": "X", "country": "PK", "language": "en"}),
        ),
        (
            "country",
            json!({"name": "X", "country": "Pakistan", "language": "en"}),
        ),
        (
            "language",
            json!({"name": "X", "country": "PK", "language": "english!"}),
        ),
        (
            "website",
            json!({"name": "X", "country": "PK", "language": "en", "website": "javascript:alert(1)"}),
        ),
        (
            "name",
            json!({"name": "   ", "country": "PK", "language": "en"}),
        ),
    ];
    for (field, body) in cases {
        let res = app.post("/api/v1/outlets", &admin.token, body).await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let res = app.post("/api/v1/users", &admin.token, json!({"email": "not an email", "display_name": "A", "role": "writer", "password": "long enough password"})).await;
    res.assert_problem(422);
    assert!(!res.field_errors("email").is_empty());
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn an_oversized_body_is_413() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let huge = format!(
        "{{\"name\": \"{}\", \"country\": \"PK\", \"language\": \"en\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let res = app
        .call_raw(
            Method::POST,
            "/api/v1/outlets",
            Some(&admin.token),
            Some("application/json"),
            huge.into_bytes(),
        )
        .await;
    res.assert_problem(413);
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn a_wrong_content_type_is_415() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = br#"{"name": "Dawn", "country": "PK", "language": "en"}"#.to_vec();
    app.call_raw(
        Method::POST,
        "/api/v1/outlets",
        Some(&admin.token),
        Some("text/plain"),
        body.clone(),
    )
    .await
    .assert_problem(415);
    app.call_raw(
        Method::POST,
        "/api/v1/outlets",
        Some(&admin.token),
        None,
        body,
    )
    .await
    .assert_problem(415);
    assert_eq!(app.count("outlets").await, 0);
}

#[actix_web::test]
async fn an_unknown_route_is_404_and_a_wrong_method_405() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.get("/api/v1/nothing-here", &admin.token)
        .await
        .assert_problem(404);
    // Outside the APIs a path is the reader site's: an unknown outlet is its HTML 404 page.
    let page = app.get("/nothing", &admin.token).await;
    page.assert_status(404);
    assert!(page
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    app.call(
        Method::PUT,
        "/api/v1/outlets",
        Some(&admin.token),
        Some(json!({})),
    )
    .await
    .assert_problem(405);
    app.call(Method::GET, "/api/v1/auth/login", None, None)
        .await
        .assert_problem(405);
}

#[actix_web::test]
async fn malformed_ids_paths_and_queries_are_4xx() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.get("/api/v1/users/not-a-uuid", &admin.token)
        .await
        .assert_problem(404);
    app.get("/api/v1/outlets/no-such-outlet", &admin.token)
        .await
        .assert_problem(404);
    let res = app.get("/api/v1/outlets?limit=0", &admin.token).await;
    res.assert_problem(422);
    assert!(!res.field_errors("limit").is_empty());
    app.get("/api/v1/outlets?limit=101", &admin.token)
        .await
        .assert_problem(422);
    app.get("/api/v1/outlets?limit=abc", &admin.token)
        .await
        .assert_problem(422);
    app.get("/api/v1/outlets?cursor=garbage!", &admin.token)
        .await
        .assert_problem(422);
    let res = app.get("/api/v1/outlets?stauts=draft", &admin.token).await;
    res.assert_problem(422);
    assert!(!res.field_errors("stauts").is_empty());
    app.get("/api/v1/audit?from=yesterday", &admin.token)
        .await
        .assert_problem(422);
    app.get("/api/v1/users?outlet_id=42", &admin.token)
        .await
        .assert_problem(422);
    app.post("/api/v1/users", &admin.token, json!({"email": "a@b.example", "display_name": "A", "role": "writer", "password": "long enough password", "outlet_ids": ["nope"]})).await.assert_problem(422);
}

#[actix_web::test]
async fn text_with_a_nul_character_is_a_4xx_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let login = json!({"email": "\u{0}", "password": "any password at all"});
    let res = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(login))
        .await;
    // No address holds a NUL: the login is wrong credentials like any unknown address (the
    // contract fuzzer counts a schema-valid string answered 400 as a fault).
    res.assert_problem(401);
    app.post(
        "/api/v1/outlets",
        &admin.token,
        json!({"name": "Da\u{0}wn", "country": "PK", "language": "en"}),
    )
    .await
    .assert_problem(422);
    app.get("/api/v1/articles?q=rail%00link", &admin.token)
        .await
        .assert_problem(422);
    assert_eq!(footprint(&app).await, before);
}
