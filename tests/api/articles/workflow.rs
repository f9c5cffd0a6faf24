//! Workflow actions through the API: what publishing needs, a forbidden transition's 409,
//! returning with a note and scheduling in the future.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn publishing_needs_a_headline_a_body_a_section_and_an_author() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let bare = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "Bare"}),
        )
        .await;
    let id = id_str(&bare.body);
    let res = app.act(&admin.token, &id, 1, "publish", None).await;
    res.assert_problem(422);
    for field in ["body", "section_id", "author_ids"] {
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let edited = app
        .edit(
            &admin.token,
            &id,
            1,
            json!({"body": "Text.", "section_id": desk.section, "author_ids": [desk.author]}),
        )
        .await;
    edited.assert_status(200);
    let published = app.act(&admin.token, &id, 2, "publish", None).await;
    published.assert_status(200);
    assert_eq!(published.body["status"], json!("published"));
    assert_eq!(published.body["first_published_at"], json!(app.clock.now()));
    let cleared = app
        .edit(&admin.token, &id, 3, json!({"section_id": null}))
        .await;
    cleared.assert_problem(422);
}

#[actix_web::test]
async fn a_forbidden_transition_is_409_listing_the_allowed_actions() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let id = id_str(&app.draft(&editor, &desk, "Story").await);
    let res = app.act(&editor.token, &id, 1, "unpublish", None).await;
    res.assert_problem(409);
    assert_eq!(res.body["allowed_actions"], json!(["submit", "publish"]));
    app.act(&editor.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    app.act(
        &editor.token,
        &id,
        2,
        "kill",
        Some(json!({"note": "Legal"})),
    )
    .await
    .assert_problem(403);
    app.act(&admin.token, &id, 2, "kill", None)
        .await
        .assert_problem(422);
    let killed = app
        .act(
            &admin.token,
            &id,
            2,
            "kill",
            Some(json!({"note": "Court order 12/2026"})),
        )
        .await;
    killed.assert_status(200);
    assert_eq!(killed.body["allowed_actions"], json!([]));
    assert_eq!(killed.body["editable"], json!(false));
    app.edit(&admin.token, &id, 3, json!({"headline": "Back"}))
        .await
        .assert_problem(403);
    app.act(&admin.token, &id, 3, "dance", None)
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn returning_a_story_needs_a_note_and_scheduling_a_future_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Story").await);
    app.act(&admin.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 2, "return", Some(json!({"note": "  "})))
        .await
        .assert_problem(422);
    app.act(&admin.token, &id, 2, "approve", Some(json!({})))
        .await
        .assert_status(200);
    let past = (app.clock.now() - chrono::Duration::minutes(1)).to_rfc3339();
    let res = app
        .act(&admin.token, &id, 3, "schedule", Some(json!({"at": past})))
        .await;
    res.assert_problem(422);
    assert!(!res.field_errors("at").is_empty());
    app.act(
        &admin.token,
        &id,
        3,
        "schedule",
        Some(json!({"when": "later"})),
    )
    .await
    .assert_problem(422);
    let returned = app
        .act(
            &admin.token,
            &id,
            3,
            "return",
            Some(json!({"note": "Needs a second source."})),
        )
        .await;
    returned.assert_status(200);
    assert_eq!(returned.body["status"], json!("draft"));
}

#[actix_web::test]
async fn the_note_of_a_returned_story_is_on_its_revision() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let id = id_str(&app.draft(&writer, &desk, "Returned").await);
    app.act(&writer.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(
        &admin.token,
        &id,
        2,
        "return",
        Some(json!({"note": "Needs a second source."})),
    )
    .await
    .assert_status(200);
    let revisions = app
        .get(
            &format!("/api/v1/articles/{id}/revisions?limit=1"),
            &writer.token,
        )
        .await;
    assert_eq!(revisions.body["items"][0]["action"], json!("return"));
    assert_eq!(
        revisions.body["items"][0]["note"],
        json!("Needs a second source.")
    );
}
