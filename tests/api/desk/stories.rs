//! The story list per role, its filters, and starting a new story from it.

use newsroom::domain::Role;

use super::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn each_role_sees_the_stories_it_may_see_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "star").await;
    let dawn_writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let star_editor = app.user(Role::Editor, &[star.outlet]).await;
    app.draft(&dawn_writer, &dawn, "Dawn draft on trade").await;
    app.clock.advance(chrono::Duration::minutes(1));
    app.published(
        &admin,
        &dawn,
        "Dawn published on rain",
        serde_json::json!({}),
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(1));
    app.draft(&star_editor, &star, "Star draft on tea").await;

    let mut writer = Browser::signed_in(&app, &dawn_writer.email).await;
    let page = writer.get("/admin/stories").await;
    page.assert_status(200)
        .assert_contains("Dawn draft on trade")
        .assert_contains("Dawn published on rain")
        .assert_lacks("Star draft on tea")
        .assert_contains("badge-draft")
        .assert_contains("The dawn");
    let rain = page.text.find("Dawn published on rain").expect("row");
    let trade = page.text.find("Dawn draft on trade").expect("row");
    assert!(rain < trade, "newest first");

    let mut editor = Browser::signed_in(&app, &star_editor.email).await;
    editor
        .get("/admin/stories")
        .await
        .assert_contains("Star draft on tea")
        .assert_contains("Dawn published on rain")
        .assert_lacks("Dawn draft on trade");

    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let all = boss.get("/admin/stories").await;
    for headline in [
        "Star draft on tea",
        "Dawn published on rain",
        "Dawn draft on trade",
    ] {
        all.assert_contains(headline);
    }
    let drafts = boss.get("/admin/stories?status=draft").await;
    drafts
        .assert_lacks("Dawn published on rain")
        .assert_contains("Star draft on tea");
    let of_dawn = boss
        .get(&format!("/admin/stories?outlet={}", dawn.outlet))
        .await;
    of_dawn
        .assert_lacks("Star draft on tea")
        .assert_contains("Dawn draft on trade");
    let searched = boss.get("/admin/stories?q=tea").await;
    searched
        .assert_contains("Star draft on tea")
        .assert_lacks("Dawn draft on trade");
    let tagged = boss.get("/admin/stories?tag=&language=en&q=").await;
    tagged
        .assert_status(200)
        .assert_contains("Star draft on tea");
    let bad_language = boss.get("/admin/stories?language=not%20a%20language").await;
    bad_language.assert_status(400).assert_contains("language:");
    let bad = boss.get("/admin/stories?status=lost").await;
    bad.assert_status(400)
        .assert_contains("status: is not a status.");
}

#[actix_web::test]
async fn the_list_pages_with_the_api_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    for n in 0..51 {
        app.draft(&admin, &dawn, &format!("Story number {n}")).await;
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let first = boss.get("/admin/stories").await;
    first
        .assert_contains("Story number 50")
        .assert_lacks("Story number 0<");
    let end = first.text.find("\" rel=\"next\"").expect("a next link");
    let start = first.text[..end].rfind("href=\"").expect("its href") + 6;
    let next = first.text[start..end]
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    boss.get(&next)
        .await
        .assert_status(200)
        .assert_contains("Story number 0<")
        .assert_lacks("Story number 50");
}

#[actix_web::test]
async fn a_writer_starts_a_story_and_bad_input_keeps_the_text() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "star").await;
    let (_, email) = app.account(Role::Writer, &[dawn.outlet]).await;
    let mut writer = Browser::signed_in(&app, &email).await;
    let list = writer.get("/admin/stories").await;
    let csrf = list.hidden("csrf");
    let outlet = dawn.outlet.to_string();

    let long = "x".repeat(301);
    let refused = writer
        .post(
            "/admin/stories",
            &[("csrf", &csrf), ("outlet", &outlet), ("headline", &long)],
        )
        .await;
    refused
        .assert_status(422)
        .assert_contains("id=\"headline-error\"")
        .assert_contains(&format!("value=\"{long}\""));

    // Another outlet's id, forged into the form, is refused by the service.
    let star_id = star.outlet.to_string();
    writer
        .post(
            "/admin/stories",
            &[("csrf", &csrf), ("outlet", &star_id), ("headline", "Mine")],
        )
        .await
        .assert_status(422)
        .assert_contains("must be an outlet you belong to");

    // Without the CSRF token nothing is made.
    writer
        .post(
            "/admin/stories",
            &[("outlet", &outlet), ("headline", "Forged")],
        )
        .await
        .assert_status(403);
    assert_eq!(app.count("articles").await, 0);

    let made = writer
        .post(
            "/admin/stories",
            &[
                ("csrf", &csrf),
                ("outlet", &outlet),
                ("headline", "Floods in Sindh"),
            ],
        )
        .await;
    made.assert_status(303);
    let location = made.header("location").expect("the editor").to_owned();
    assert!(location.starts_with("/admin/stories/"));
    let editor = writer.get(&location).await;
    editor
        .assert_status(200)
        .assert_contains("value=\"Floods in Sindh\"");
}
