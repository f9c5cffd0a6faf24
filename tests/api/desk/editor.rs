//! The editor: saving on the version read, the stale save's conflict page, field errors next
//! to the field with the text kept, CSRF, the preview, and hostile text escaped everywhere.

use newsroom::domain::Role;
use serde_json::json;

use super::{Browser, Page};
use crate::helpers::{id_str, TestApp};

/// The editor's form fields for `headline` and `body` on `version`, the rest as the page had.
fn story_form<'a>(
    page: &'a Page,
    csrf: &'a str,
    version: &'a str,
    headline: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let _ = page;
    vec![
        ("csrf", csrf),
        ("version", version),
        ("headline", headline),
        ("standfirst", "A standfirst."),
        ("body", body),
        ("slug", ""),
        ("tags", "floods, sindh"),
        ("language", "en"),
        ("embargo_until", ""),
    ]
}

#[actix_web::test]
async fn a_save_makes_a_new_version_and_an_autosave_answers_with_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let id = id_str(&story);
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let path = format!("/admin/stories/{id}");
    let page = browser.get(&path).await;
    page.assert_status(200)
        .assert_contains("Version 1")
        .assert_contains("words · 1 min read")
        .assert_contains("<p>The body of the story.</p>");
    let csrf = page.hidden("csrf");
    let form = story_form(&page, &csrf, "1", "Floods in Sindh", "New *body* text.");
    browser
        .post(&path, &form)
        .await
        .assert_redirect(&format!("{path}?saved"));
    let saved = browser.get(&format!("{path}?saved")).await;
    saved
        .assert_contains("Saved.")
        .assert_contains("Version 2")
        .assert_contains("<em>body</em>");
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &writer.token)
        .await;
    assert_eq!(stored.body["headline"], json!("Floods in Sindh"));
    assert_eq!(stored.body["tags"], json!(["floods", "sindh"]));

    let form = story_form(&page, &csrf, "2", "Floods in Sindh", "Autosaved text.");
    let auto = browser
        .post_with(&path, &form, &[("x-desk-autosave", "1")])
        .await;
    auto.assert_status(200).assert_contains("\"version\":3");
}

#[actix_web::test]
async fn a_stale_save_shows_who_changed_the_story_and_both_texts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let story = app.draft(&editor, &dawn, "Floods").await;
    let id = id_str(&story);
    let path = format!("/admin/stories/{id}");
    let mut mine = Browser::signed_in(&app, &editor.email).await;
    let page = mine.get(&path).await;
    let csrf = page.hidden("csrf");

    // Someone else saves first (through the API; the desk would do the same).
    let other = app.user(Role::Editor, &[dawn.outlet]).await;
    app.edit(
        &other.token,
        &id,
        1,
        json!({"body": "Their line.\nShared line."}),
    )
    .await
    .assert_status(200);

    let form = story_form(&page, &csrf, "1", "Floods", "My line.\nShared line.");
    let conflict = mine.post(&path, &form).await;
    conflict
        .assert_status(409)
        .assert_contains(&other.email)
        .assert_contains("it is now version 2")
        .assert_contains("Their line.")
        .assert_contains("My line.")
        .assert_contains("class=\"diff-old\"")
        .assert_contains("class=\"diff-new\"")
        .assert_contains("Keep mine");
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(
        stored.body["body"],
        json!("Their line.\nShared line."),
        "nothing overwritten"
    );

    // The autosave path answers the same way (desk.js then posts the form for this page).
    let auto = mine
        .post_with(&path, &form, &[("x-desk-autosave", "1")])
        .await;
    auto.assert_status(409).assert_contains("Their line.");

    // "Keep mine": the page's form sends my fields again on the current version.
    assert_eq!(conflict.hidden("version"), "2");
    let resent = vec![
        ("csrf", csrf.as_str()),
        ("version", "2"),
        ("headline", "Floods"),
        ("standfirst", "A standfirst."),
        ("body", "My line.\nShared line."),
        ("slug", ""),
        ("tags", "floods, sindh"),
        ("language", "en"),
        ("embargo_until", ""),
    ];
    mine.post(&path, &resent).await.assert_status(303);
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(stored.body["body"], json!("My line.\nShared line."));
}

#[actix_web::test]
async fn bad_input_is_shown_next_to_its_field_with_the_text_kept() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let path = format!("/admin/stories/{}", id_str(&story));
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let page = browser.get(&path).await;
    let csrf = page.hidden("csrf");
    let mut form = story_form(&page, &csrf, "1", "Floods", "Text I must not lose.");
    form.retain(|(k, _)| *k != "language" && *k != "embargo_until");
    form.push(("language", "not a language!"));
    form.push(("embargo_until", "tomorrow"));
    let refused = browser.post(&path, &form).await;
    refused
        .assert_status(422)
        .assert_contains("Text I must not lose.")
        .assert_contains("id=\"embargo_until-error\"")
        .assert_contains("value=\"tomorrow\"")
        .assert_contains("aria-invalid=\"true\"");
    let mut form = story_form(&page, &csrf, "1", "Floods", "Text I must not lose.");
    form.retain(|(k, _)| *k != "language");
    form.push(("language", "not a language!"));
    browser
        .post(&path, &form)
        .await
        .assert_status(422)
        .assert_contains("id=\"language-error\"")
        .assert_contains("value=\"not a language!\"");
    let stored = app
        .get(
            &format!("/api/v1/articles/{}", id_str(&story)),
            &writer.token,
        )
        .await;
    assert_eq!(stored.body["version"], json!(1));
}

#[actix_web::test]
async fn a_save_or_preview_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let path = format!("/admin/stories/{}", id_str(&story));
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let page = browser.get(&path).await;
    let form = story_form(&page, "wrong", "1", "Forged", "Forged");
    browser
        .post(&path, &form)
        .await
        .assert_status(403)
        .assert_contains("Refused");
    let stored = app
        .get(
            &format!("/api/v1/articles/{}", id_str(&story)),
            &writer.token,
        )
        .await;
    assert_eq!(stored.body["headline"], json!("Floods"));
    browser
        .post(&format!("{path}/preview"), &[("body", "*x*")])
        .await
        .assert_status(403);
    let csrf = page.hidden("csrf");
    browser
        .post_with(
            &format!("{path}/preview"),
            &[("body", "*hi* <script>alert(1)</script>")],
            &[("x-csrf-token", &csrf)],
        )
        .await
        .assert_status(200)
        .assert_contains("<em>hi</em>")
        .assert_lacks("<script>alert");
}

#[actix_web::test]
async fn hostile_text_is_escaped_in_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let hostile = "\"><script>alert(1)</script>'";
    let story = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({
                "outlet_id": dawn.outlet, "headline": hostile, "standfirst": hostile,
                "body": hostile, "tags": [hostile], "section_id": dawn.section,
                "author_ids": [dawn.author],
            }),
        )
        .await;
    story.assert_status(201);
    // The catalogue's names are shown too: a hostile author name.
    app.post(
        "/api/v1/authors",
        &admin.token,
        json!({"slug": "hostile", "name": hostile, "outlet_id": dawn.outlet}),
    )
    .await
    .assert_status(201);
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let list = browser.get("/admin/stories").await;
    list.assert_status(200).assert_lacks("<script>alert(1)");
    let path = format!("/admin/stories/{}", id_str(&story.body));
    let editor = browser.get(&path).await;
    editor
        .assert_status(200)
        .assert_lacks("<script>alert(1)")
        .assert_lacks("\"><script")
        .assert_contains("&quot;&gt;&lt;script&gt;alert(1)&lt;&#x2f;script&gt;&#x27;");
    // My hostile text on the conflict page (shown, and resent in hidden fields).
    let csrf = editor.hidden("csrf");
    let form = story_form(&editor, &csrf, "0", hostile, hostile);
    let conflict = browser.post(&path, &form).await;
    conflict.assert_status(409).assert_lacks("<script>alert(1)");
    // And on the sign-in page, which shows the email back.
    let mut stranger = Browser::new(&app);
    let res = stranger.sign_in(hostile, "whatever").await;
    res.assert_status(401).assert_lacks("<script>alert(1)");
}
