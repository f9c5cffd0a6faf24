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

#[actix_web::test]
async fn any_two_versions_are_compared_field_by_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let story = app.draft(&editor, &dawn, "Floods in Sindh").await;
    let id = id_str(&story);
    let second =
        json!({"headline": "Floods in Punjab", "body": "The body of the story.\nThe river rose."});
    app.edit(&editor.token, &id, 1, second)
        .await
        .assert_status(200);
    let third = json!({"body": "The body of the story.\nThe river fell.", "tags": ["floods"], "section_id": null});
    app.edit(&editor.token, &id, 2, third)
        .await
        .assert_status(200);
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let history = format!("/admin/stories/{id}/revisions");
    browser
        .get(&history)
        .await
        .assert_status(200)
        .assert_contains(&format!(
            "<form method=\"get\" action=\"/admin/stories/{id}/revisions/compare\""
        ))
        .assert_contains("<label for=\"compare-from\">From version</label>");

    let compare = format!("{history}/compare");
    let page = browser.get(&format!("{compare}?from=1&to=3")).await;
    page.assert_status(200)
        .assert_contains("From version 1 to version 3")
        .assert_contains("<h3>Headline</h3>")
        .assert_contains("<del>Sindh</del>")
        .assert_contains("<ins>Punjab</ins>")
        .assert_contains("<h3>Body</h3>")
        .assert_contains("only in version 3: </span><ins>The river fell.</ins>")
        .assert_contains("<th scope=\"row\">tags</th><td>none</td><td>floods</td>")
        .assert_contains("<th scope=\"row\">section</th><td>News</td><td>none</td>")
        .assert_contains("<option value=\"1\" selected>1</option>")
        .assert_lacks("<h3>Standfirst</h3>");
    // Only the body changed from 2 to 3 among the texts, the older way round too.
    browser
        .get(&format!("{compare}?from=3&to=2"))
        .await
        .assert_status(200)
        .assert_contains("<del>fell.</del>")
        .assert_lacks("<h3>Headline</h3>");
    browser
        .get(&format!("{compare}?from=2&to=2"))
        .await
        .assert_contains("No field differs between these versions.");
    browser
        .get(&format!("{compare}?from=1&to=9"))
        .await
        .assert_status(404)
        .assert_contains("There is no such page");
}

#[actix_web::test]
async fn versions_the_user_may_not_see_are_refused_as_the_api_refuses_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let geo = app.newsroom(&admin, "geo").await;
    let outsider = app.user(Role::Editor, &[geo.outlet]).await;
    let story = app.draft(&admin, &dawn, "Floods").await;
    let id = id_str(&story);
    app.edit(&admin.token, &id, 1, json!({"body": "Second."}))
        .await
        .assert_status(200);
    let api = app
        .get(
            &format!("/api/v1/articles/{id}/revisions/2/diff?against=1"),
            &outsider.token,
        )
        .await;
    let mut browser = Browser::signed_in(&app, &outsider.email).await;
    let page = browser
        .get(&format!(
            "/admin/stories/{id}/revisions/compare?from=1&to=2"
        ))
        .await;
    assert_eq!(page.status, api.status);
    page.assert_status(404)
        .assert_contains("There is no such page")
        .assert_lacks("Second.");
}
