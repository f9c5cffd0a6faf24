//! Idempotency keys: a retry returns the first result.

use actix_web::http::Method;
use serde_json::json;

use crate::helpers::{id_str, version_of, TestApp};

#[actix_web::test]
async fn an_idempotency_key_makes_a_retry_return_the_first_result() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let body = json!({"outlet_id": desk.outlet, "headline": "Once", "body": "B", "section_id": desk.section, "author_ids": [desk.author]});
    let first = app
        .call_with(
            Method::POST,
            "/api/v1/articles",
            &admin.token,
            Some(body.clone()),
            &[("idempotency-key", "create-1")],
        )
        .await;
    first.assert_status(201);
    let retry = app
        .call_with(
            Method::POST,
            "/api/v1/articles",
            &admin.token,
            Some(body.clone()),
            &[("idempotency-key", "create-1")],
        )
        .await;
    retry.assert_status(201);
    assert_eq!(retry.body["id"], first.body["id"]);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.count("articles").await, 1);
    let other = app
        .call_with(
            Method::POST,
            "/api/v1/articles",
            &admin.token,
            Some(json!({"outlet_id": desk.outlet, "headline": "Other"})),
            &[("idempotency-key", "create-1")],
        )
        .await;
    other.assert_problem(422);

    let id = id_str(&first.body);
    let path = format!("/api/v1/articles/{id}/actions/publish");
    let headers = [("if-match", "\"1\""), ("idempotency-key", "publish-1")];
    app.call_with(Method::POST, &path, &admin.token, None, &headers)
        .await
        .assert_status(200);
    let again = app
        .call_with(Method::POST, &path, &admin.token, None, &headers)
        .await;
    again.assert_status(200);
    assert_eq!(again.body["version"], json!(2));
    let events: i64 = sqlx::query_scalar("select count(*) from outbox_events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1, "the retried publish did nothing twice");
    assert_eq!(
        version_of(
            &app.get(&format!("/api/v1/articles/{id}"), &admin.token)
                .await
                .body
        ),
        2
    );
}
