//! Revisions: listed, read, compared and restored.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn every_saved_change_is_a_revision_that_can_be_read_compared_and_restored() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Budget passes").await);
    app.edit(
        &admin.token,
        &id,
        1,
        json!({"headline": "Budget passes narrowly", "body": "Line one.\nLine two.\n"}),
    )
    .await
    .assert_status(200);
    app.act(&admin.token, &id, 2, "submit", None)
        .await
        .assert_status(200);

    let list = app
        .get(&format!("/api/v1/articles/{id}/revisions"), &admin.token)
        .await;
    list.assert_status(200);
    let numbers: Vec<i64> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [3, 2, 1]);
    let actions: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submit", "edit", "create"]);
    assert_eq!(list.body["items"][0]["actor_id"], json!(admin.id));

    let first = app
        .get(&format!("/api/v1/articles/{id}/revisions/1"), &admin.token)
        .await;
    assert_eq!(first.body["snapshot"]["headline"], json!("Budget passes"));
    app.get(&format!("/api/v1/articles/{id}/revisions/9"), &admin.token)
        .await
        .assert_problem(404);

    let diff = app
        .get(
            &format!("/api/v1/articles/{id}/revisions/2/diff?against=1"),
            &admin.token,
        )
        .await;
    diff.assert_status(200);
    assert_eq!(
        diff.body["fields"]["headline"],
        json!({"from": "Budget passes", "to": "Budget passes narrowly"})
    );
    let body_diff = diff.body["body_diff"].as_str().unwrap();
    assert!(
        body_diff.contains("-The body of the story.") && body_diff.contains("+Line two."),
        "{body_diff}"
    );
    app.get(
        &format!("/api/v1/articles/{id}/revisions/2/diff?against=7"),
        &admin.token,
    )
    .await
    .assert_problem(422);

    let restore = format!("/api/v1/articles/{id}/revisions/1/restore");
    app.call_with(Method::POST, &restore, &admin.token, None, &[])
        .await
        .assert_problem(428);
    app.call_with(
        Method::POST,
        &restore,
        &admin.token,
        None,
        &[("if-match", "\"2\"")],
    )
    .await
    .assert_problem(412);
    let restored = app
        .call_with(
            Method::POST,
            &restore,
            &admin.token,
            None,
            &[("if-match", "\"3\"")],
        )
        .await;
    restored.assert_status(200);
    assert_eq!(restored.body["headline"], json!("Budget passes"));
    assert_eq!(
        restored.body["status"],
        json!("in_review"),
        "a restore keeps the workflow state"
    );
    assert_eq!(restored.body["version"], json!(4));
    let latest = app
        .get(
            &format!("/api/v1/articles/{id}/revisions?limit=1"),
            &admin.token,
        )
        .await;
    assert_eq!(latest.body["items"][0]["action"], json!("restore"));
    assert!(latest.body["next"].is_string());
}

#[actix_web::test]
async fn a_restore_obeys_the_edit_rules() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let id = id_str(&app.draft(&writer, &desk, "Mine").await);
    app.edit(&writer.token, &id, 1, json!({"headline": "Mine, edited"}))
        .await
        .assert_status(200);
    app.act(&writer.token, &id, 2, "submit", None)
        .await
        .assert_status(200);
    let res = app
        .call_with(
            Method::POST,
            &format!("/api/v1/articles/{id}/revisions/1/restore"),
            &writer.token,
            None,
            &[("if-match", "\"3\"")],
        )
        .await;
    res.assert_problem(403);
    let outsider = app.user(Role::Editor, &[]).await;
    app.get(&format!("/api/v1/articles/{id}/revisions"), &outsider.token)
        .await
        .assert_problem(404);
}
