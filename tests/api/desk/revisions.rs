//! A story's history in the desk: the versions, what one changed, and restoring one.

use newsroom::domain::Role;
use serde_json::json;

use super::Browser;
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn an_editor_reads_the_history_and_restores_an_earlier_version() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let story = app.draft(&editor, &dawn, "Floods").await;
    let id = id_str(&story);
    app.edit(
        &editor.token,
        &id,
        1,
        json!({"body": "A <b>second</b> text."}),
    )
    .await
    .assert_status(200);
    let path = format!("/admin/stories/{id}/revisions");
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let page = browser.get(&path).await;
    page.assert_status(200)
        .assert_contains("Restore version 1")
        .assert_lacks("Restore version 2")
        .assert_contains(&editor.email);
    browser
        .get(&format!("{path}?show=2"))
        .await
        .assert_status(200)
        .assert_contains("What version 2 changed")
        .assert_contains("&lt;b&gt;second&lt;&#x2f;b&gt;");
    let csrf = page.hidden("csrf");
    let restore = format!("{path}/1/restore");
    browser
        .post(&restore, &[("version", "2")])
        .await
        .assert_status(403);
    browser
        .post(&restore, &[("csrf", &csrf), ("version", "2")])
        .await
        .assert_status(303);
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(stored.body["version"], json!(3));
    assert_eq!(stored.body["body"], json!("The body of the story."));
}

#[actix_web::test]
async fn a_writer_may_not_restore_a_story_they_cannot_edit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&admin, &dawn, "Floods").await;
    let id = id_str(&story);
    app.edit(&admin.token, &id, 1, json!({"body": "Second."}))
        .await
        .assert_status(200);
    let path = format!("/admin/stories/{id}/revisions");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let page = browser.get(&path).await;
    page.assert_status(200).assert_lacks("Restore version");
    let csrf = page.hidden("csrf");
    browser
        .post(
            &format!("{path}/1/restore"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await
        .assert_status(403);
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["version"], json!(2));
}
