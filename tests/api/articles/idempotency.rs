//! Idempotency keys: a retry returns the first result, and a request that loses the race for
//! its key to a concurrent one rolls back and answers with the winner's result.

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use newsroom::auth::CurrentUser;
use newsroom::domain::Role;
use newsroom::idempotency::{self, Claim};
use serde_json::json;
use uuid::Uuid;

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

/// What a change answers in the race below: a word, at version 1.
#[derive(serde::Serialize)]
struct Word(&'static str);

impl idempotency::Answer for Word {
    fn version(&self) -> i32 {
        1
    }
}

#[actix_web::test]
async fn a_request_that_loses_the_race_for_its_key_rolls_back_and_answers_the_winners_result() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let user = CurrentUser {
        id: admin.id,
        email: admin.email.clone(),
        role: Role::Admin,
        outlet_ids: Vec::new(),
        session_id: Uuid::nil(),
        request_id: None,
    };
    let req = TestRequest::post()
        .uri("/api/v1/articles")
        .insert_header(("idempotency-key", "race-1"))
        .to_http_request();
    let claim = Claim::from_request(&req, &user, &json!({"headline": "Race"})).unwrap();
    let (db, now) = (&app.state.db, app.clock.now());
    let outlets_before = app.count("outlets").await;
    let answer = idempotency::once(db, claim.as_ref(), now, StatusCode::CREATED, async |tx| {
        // The losing request's own change, which must not survive.
        sqlx::query("insert into outlets (id, slug, name, country, language, created_at, updated_at) values ($1, 'loser', 'Loser', 'SG', 'en', $2, $2)")
            .bind(Uuid::now_v7())
            .bind(now)
            .execute(&mut **tx)
            .await?;
        // Meanwhile a concurrent request with the same key commits first.
        let first = idempotency::once(db, claim.as_ref(), now, StatusCode::CREATED, async |_| {
            Ok(Word("first"))
        })
        .await?;
        assert_eq!(first.status(), StatusCode::CREATED);
        Ok(Word("second"))
    })
    .await
    .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(header("etag").as_deref(), Some("\"1\""));
    let body = actix_web::body::to_bytes(answer.into_body()).await.unwrap();
    assert_eq!(&body[..], b"\"first\"", "the winner's answer");
    assert_eq!(
        app.count("outlets").await,
        outlets_before,
        "the loser's change rolled back"
    );
}
