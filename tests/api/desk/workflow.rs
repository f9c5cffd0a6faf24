//! The workflow bar: exactly the rule book's actions for this user and story, each taken
//! through the service; a forged action is refused with nothing changed.

use newsroom::domain::Role;
use serde_json::json;

use super::Browser;
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_writer_has_no_publish_button_and_a_forged_publish_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let id = id_str(&story);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let page = browser.get(&path).await;
    page.assert_status(200)
        .assert_contains(&format!("action=\"{path}/actions/submit\""))
        .assert_lacks("/actions/publish")
        .assert_lacks("/actions/approve");
    let csrf = page.hidden("csrf");
    let forged = browser
        .post(
            &format!("{path}/actions/publish"),
            &[("csrf", &csrf), ("version", "1")],
        )
        .await;
    forged
        .assert_status(403)
        .assert_contains("You may not do this to this story.");
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &writer.token)
        .await;
    assert_eq!(stored.body["status"], json!("draft"));
    assert_eq!(stored.body["version"], json!(1));

    // Without the CSRF token even an allowed action is refused.
    browser
        .post(&format!("{path}/actions/submit"), &[("version", "1")])
        .await
        .assert_status(403);
    browser
        .post(
            &format!("{path}/actions/submit"),
            &[("csrf", &csrf), ("version", "1")],
        )
        .await
        .assert_redirect(&format!("{path}?done=submit"));
    let submitted = browser.get(&format!("{path}?done=submit")).await;
    submitted
        .assert_contains("badge-in_review")
        .assert_contains("Done: submit.")
        .assert_lacks("/actions/");
}

#[actix_web::test]
async fn an_editor_returns_approves_schedules_and_publishes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let id = id_str(&story);
    app.act(&writer.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let page = browser.get(&path).await;
    page.assert_contains("/actions/approve")
        .assert_contains("/actions/return")
        .assert_contains("<label for=\"note-return\">");
    let csrf = page.hidden("csrf");

    // A return needs a note: the refusal is a sentence, nothing changes.
    let refused = browser
        .post(
            &format!("{path}/actions/return"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await;
    refused.assert_status(422).assert_contains("note");
    browser
        .post(
            &format!("{path}/actions/approve"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await
        .assert_status(303);
    let approved = browser.get(&path).await;
    approved
        .assert_contains("badge-approved")
        .assert_contains("<label for=\"at-schedule\">Publish at (UTC time)</label>");

    // A stale action (the page's version is old) is refused as a sentence.
    browser
        .post(
            &format!("{path}/actions/publish"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await
        .assert_status(412)
        .assert_contains("Someone changed the story since you opened it");

    browser
        .post(
            &format!("{path}/actions/schedule"),
            &[
                ("csrf", &csrf),
                ("version", "3"),
                ("at", "2026-03-03T08:30"),
            ],
        )
        .await
        .assert_status(303);
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(stored.body["status"], json!("scheduled"));
    assert_eq!(stored.body["scheduled_at"], json!("2026-03-03T08:30:00Z"));
    let scheduled = browser.get(&path).await;
    scheduled.assert_contains("scheduled for 2026-03-03 08:30 UTC");
    browser
        .post(
            &format!("{path}/actions/unschedule"),
            &[("csrf", &csrf), ("version", "4")],
        )
        .await
        .assert_status(303);
    browser
        .post(
            &format!("{path}/actions/publish"),
            &[("csrf", &csrf), ("version", "5")],
        )
        .await
        .assert_status(303);
    let published = browser.get(&path).await;
    published
        .assert_contains("badge-published")
        .assert_contains("/actions/unpublish")
        .assert_contains("Public correction note");
}

#[actix_web::test]
async fn the_bar_matches_the_rule_book_for_every_role_on_a_draft() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let id = id_str(&story);
    for (email, token) in [
        (writer.email.clone(), writer.token.clone()),
        (admin.email.clone(), admin.token.clone()),
    ] {
        let api = app.get(&format!("/api/v1/articles/{id}"), &token).await;
        let allowed: Vec<String> = api.body["allowed_actions"]
            .as_array()
            .expect("actions")
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect();
        let mut browser = Browser::signed_in(&app, &email).await;
        let page = browser.get(&format!("/admin/stories/{id}")).await;
        let shown = page.text.matches("/actions/").count();
        assert_eq!(shown, allowed.len(), "{email}: {allowed:?}");
        for action in &allowed {
            page.assert_contains(&format!("/actions/{action}\""));
        }
    }
}

#[actix_web::test]
async fn a_schedule_is_taken_and_shown_on_the_outlets_clock_and_stored_in_utc() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let path = format!("/api/v1/outlets/{}", dawn.outlet);
    app.call(
        actix_web::http::Method::PATCH,
        &path,
        Some(&admin.token),
        Some(json!({"timezone": "Mars/Olympus"})),
    )
    .await
    .assert_status(422);
    let set = app
        .call(
            actix_web::http::Method::PATCH,
            &path,
            Some(&admin.token),
            Some(json!({"timezone": "Asia/Karachi"})),
        )
        .await;
    set.assert_status(200);
    assert_eq!(set.body["timezone"], json!("Asia/Karachi"));
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let story = app.draft(&editor, &dawn, "Floods").await;
    let id = id_str(&story);
    app.act(&editor.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(&editor.token, &id, 2, "approve", None)
        .await
        .assert_status(200);
    let page_path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let page = browser.get(&page_path).await;
    page.assert_contains("Publish at (Asia&#x2f;Karachi time)");
    let csrf = page.hidden("csrf");
    browser
        .post(
            &format!("{page_path}/actions/schedule"),
            &[
                ("csrf", &csrf),
                ("version", "3"),
                ("at", "2026-03-03T13:30"),
            ],
        )
        .await
        .assert_status(303);
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(stored.body["scheduled_at"], json!("2026-03-03T08:30:00Z"));
    browser
        .get(&page_path)
        .await
        .assert_contains("scheduled for 2026-03-03 13:30 Asia&#x2f;Karachi");
}
