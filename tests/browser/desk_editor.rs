//! The desk's editor in a real browser: a writer starts a story from the list, types, saves
//! with Ctrl+S and finds the text after a reload; two browsers edit the same story and the
//! one that saves second sees both texts and chooses.

use serde_json::json;

use crate::desk::{ctrl_s, newsroom, sign_in, stored, story_id, wait_for_text};
use crate::harness::{Browser, Key};
use crate::helpers::{id_str, TestApp};

/// The conflict page's heading.
const CONFLICT: &str = "This story changed while you were editing";

#[actix_web::test]
async fn a_writer_starts_a_story_types_saves_and_finds_it_after_a_reload() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;

    browser
        .checked("desk-write-and-save", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            // "New story" is a disclosure; Enter opens it.
            browser.tab_to("New story").await;
            browser.press(Key::Enter).await;
            browser.tab_to("Headline").await;
            browser.type_text("Tides at the harbour").await;
            browser.tab_to("Start the draft").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Tides at the harbour").await;
            browser.assert_accessible("the editor of a new draft").await;
            let id = story_id(&browser).await;

            browser.tab_to("Body (Markdown)").await;
            browser.type_text("The tide came in at noon.").await;
            ctrl_s(&browser).await;
            wait_for_text(&browser, "autosave-state", "Saved at").await;
            browser.assert_accessible("the editor after a save").await;

            browser
                .client()
                .refresh()
                .await
                .unwrap_or_else(|e| panic!("reload: {e}"));
            browser.wait_for_heading("Tides at the harbour").await;
            let body = browser
                .client()
                .execute("return document.getElementById('body').value;", vec![])
                .await
                .unwrap_or_else(|err| panic!("reading the body: {err}"));
            assert_eq!(body, json!("The tide came in at noon."));
            let row = stored(&app, &staff.writer, &id).await;
            assert_eq!(row["body"], json!("The tide came in at noon."));
            assert_eq!(row["status"], json!("draft"));
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn the_second_save_of_a_story_sees_both_texts_and_chooses() {
    let Some(first) = Browser::start_phone().await else {
        return;
    };
    let Some(second) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let story = app.draft(&staff.writer, &staff.desk, "Floods").await;
    let id = id_str(&story);
    let path = app.url(&format!("/admin/stories/{id}"));

    // The writer (on a phone) and the editor (at a desk) both open the story.
    first
        .checked("desk-conflict-open", async {
            sign_in(&first, &app, &staff.writer.email).await;
            first.goto(&path).await;
            first.wait_for_heading("Floods").await;
        })
        .await;
    second
        .checked("desk-conflict-other-save", async {
            sign_in(&second, &app, &staff.editor.email).await;
            second.goto(&path).await;
            second.wait_for_heading("Floods").await;
            second.tab_to("Body (Markdown)").await;
            second.press(Key::End).await;
            second.type_text(" The editor's line.").await;
            ctrl_s(&second).await;
            wait_for_text(&second, "autosave-state", "Saved at").await;
        })
        .await;
    let theirs = "The body of the story. The editor's line.";
    assert_eq!(
        stored(&app, &staff.writer, &id).await["body"],
        json!(theirs)
    );

    first
        .checked("desk-conflict", async {
            first.tab_to("Body (Markdown)").await;
            first.press(Key::End).await;
            first.type_text(" The writer's line.").await;
            ctrl_s(&first).await;
            first.wait_for_heading(CONFLICT).await;
            first.assert_accessible("the conflict page").await;
            first.assert_fits_width("the conflict page").await;
            let text = first.page_text().await;
            assert!(text.contains(theirs), "their text: {text}");
            let mine = "The body of the story. The writer's line.";
            assert!(text.contains(mine), "my text: {text}");
            // Nothing was written over their save.
            assert_eq!(
                stored(&app, &staff.writer, &id).await["body"],
                json!(theirs)
            );

            first.tab_to("Keep mine (save it over theirs)").await;
            first.press(Key::Enter).await;
            first.wait_for_heading("Floods").await;
            wait_for_text(&first, "status", "Saved.").await;
            let row = stored(&app, &staff.writer, &id).await;
            assert_eq!(row["body"], json!(mine));
        })
        .await;

    // The editor's page is now stale in turn: its next save conflicts, and it takes theirs.
    second
        .checked("desk-conflict-take-theirs", async {
            second.tab_to("Body (Markdown)").await;
            second.press(Key::End).await;
            second.type_text(" Another line.").await;
            ctrl_s(&second).await;
            second.wait_for_heading(CONFLICT).await;
            second.assert_accessible("the conflict page").await;
            second.tab_to("Take theirs (drop my changes)").await;
            second.press(Key::Enter).await;
            second.wait_for_heading("Floods").await;
            let body = second
                .client()
                .execute("return document.getElementById('body').value;", vec![])
                .await
                .unwrap_or_else(|err| panic!("reading the body: {err}"));
            assert_eq!(body, json!("The body of the story. The writer's line."));
            // The dropped text is not put back from the browser's storage either.
            let said = second.page_text().await;
            assert!(!said.contains("Unsaved text"), "{said}");
        })
        .await;
    first.close().await;
    second.close().await;
}

/// A workflow button pressed right after an autosave (or Ctrl+S) is taken: the bar's forms
/// act on the version just saved (`assets/desk.js` updates them), not the one the page was
/// rendered with, so the user's own save never makes their action "stale".
#[actix_web::test]
async fn a_workflow_action_right_after_an_autosave_is_taken() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let story = app.draft(&staff.writer, &staff.desk, "Floods").await;
    let id = id_str(&story);

    browser
        .checked("desk-act-after-autosave", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("Floods").await;
            browser.tab_to("Body (Markdown)").await;
            browser.press(Key::End).await;
            browser.type_text(" More.").await;
            ctrl_s(&browser).await;
            wait_for_text(&browser, "autosave-state", "Saved at").await;
            browser.tab_to("Submit for review").await;
            browser.press(Key::Enter).await;
            wait_for_text(&browser, "status", "Done: submit.").await;
            assert_eq!(
                stored(&app, &staff.writer, &id).await["status"],
                json!("in_review")
            );
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn text_typed_while_the_server_cannot_be_reached_survives_a_reload() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let story = app.draft(&staff.writer, &staff.desk, "Floods").await;
    let id = id_str(&story);

    browser
        .checked("desk-offline-text-kept", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("Floods").await;
            // The network fails for this page's requests (as when the server is down).
            browser
                .client()
                .execute(
                    "window.fetch = () => Promise.reject(new TypeError('offline'));",
                    vec![],
                )
                .await
                .unwrap_or_else(|err| panic!("cutting the network: {err}"));
            browser.tab_to("Body (Markdown)").await;
            browser.press(Key::End).await;
            browser.type_text(" Typed offline.").await;
            ctrl_s(&browser).await;
            wait_for_text(&browser, "autosave-state", "Not saved").await;
            assert_eq!(
                stored(&app, &staff.writer, &id).await["body"],
                json!("The body of the story.")
            );

            // Leaving now would ask first (the page cancels `beforeunload`); a reload by
            // WebDriver goes on regardless, as a person who confirms would.
            let asks = browser
                .client()
                .execute(
                    "const e = new Event('beforeunload', {cancelable: true});
                     window.dispatchEvent(e);
                     return e.defaultPrevented;",
                    vec![],
                )
                .await
                .unwrap_or_else(|err| panic!("asking to leave: {err}"));
            assert_eq!(asks, json!(true), "leaving with unsaved text does not ask");
            browser
                .client()
                .refresh()
                .await
                .unwrap_or_else(|err| panic!("reload: {err}"));
            browser.wait_for_heading("Floods").await;
            wait_for_text(&browser, "autosave-state", "Unsaved text from this browser").await;
            let body = browser
                .client()
                .execute("return document.getElementById('body').value;", vec![])
                .await
                .unwrap_or_else(|err| panic!("reading the body: {err}"));
            assert_eq!(body, json!("The body of the story. Typed offline."));
            // Put back, it is saved once the server answers again.
            wait_for_text(&browser, "autosave-state", "Saved at").await;
            assert_eq!(
                stored(&app, &staff.writer, &id).await["body"],
                json!("The body of the story. Typed offline.")
            );
        })
        .await;
    browser.close().await;
}
