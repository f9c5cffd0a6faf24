//! The desk's workflow bar in a real browser, by keyboard alone: a writer completes a story
//! and submits it, and has no publish button; an editor approves, schedules, unschedules and
//! publishes it. A publish forged from the writer's page (with the page's CSRF token) is
//! refused by the server.

use serde_json::json;

use crate::desk::{
    buttons, newsroom, sign_in, sign_out, stored, story_id, tab_to_start, take, wait_for_text,
};
use crate::harness::{Browser, Key};
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_story_goes_from_draft_to_published_by_keyboard_alone() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;

    browser
        .checked("desk-keyboard-publish", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser.tab_to("New story").await;
            browser.press(Key::Enter).await;
            browser.tab_to("Headline").await;
            browser.type_text("Ferry back in service").await;
            browser.tab_to("Start the draft").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Ferry back in service").await;
            let id = story_id(&browser).await;

            // Everything a story needs before review, typed and chosen by keyboard.
            browser.tab_to("Standfirst").await;
            browser.type_text("The crossing reopens on Monday.").await;
            browser.tab_to("Body (Markdown)").await;
            browser.type_text("Repairs are done.").await;
            browser.tab_to("Section").await;
            browser.press(Key::Down).await;
            browser.tab_to("Desk").await;
            browser.press(Key::Space).await;
            // Enter in a text field sends the form (no wait long enough for an autosave).
            browser.tab_to("Tags (comma-separated)").await;
            browser.type_text("ferry").await;
            browser.press(Key::Enter).await;
            wait_for_text(&browser, "status", "Saved.").await;
            let row = stored(&app, &staff.writer, &id).await;
            assert_eq!(row["section_id"], json!(staff.desk.section));
            assert_eq!(row["author_ids"], json!([staff.desk.author]));
            assert_eq!(row["tags"], json!(["ferry"]));

            let offered = buttons(&browser).await;
            assert!(
                offered.iter().any(|b| b == "Submit for review"),
                "{offered:?}"
            );
            for never in ["Publish now", "Approve", "Schedule"] {
                assert!(!offered.iter().any(|b| b == never), "a writer sees {never}");
            }
            take(&browser, "Submit for review", "submit").await;
            browser
                .assert_accessible("the writer's submitted story")
                .await;
            let offered = buttons(&browser).await;
            assert!(!offered.iter().any(|b| b == "Publish now"), "{offered:?}");
            assert_eq!(
                stored(&app, &staff.writer, &id).await["status"],
                json!("in_review")
            );
            sign_out(&browser).await;

            // The editor finds it in the list and opens it by keyboard.
            sign_in(&browser, &app, &staff.editor.email).await;
            browser.tab_to("Ferry back in service").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Ferry back in service").await;
            browser
                .assert_accessible("the editor's story in review")
                .await;
            take(&browser, "Approve", "approve").await;

            // The schedule field is a datetime-local on the outlet's clock (UTC here), typed
            // as Chromium's en-US field reads it (month, day, year, hour, minute, AM/PM): it
            // holds 2026-03-03T08:30. The year takes up to six digits, so the arrow key moves
            // on from it.
            tab_to_start(&browser, "Publish at (UTC").await;
            browser.type_text("03032026").await;
            browser.press(Key::Right).await;
            browser.type_text("0830A").await;
            let typed = browser
                .client()
                .execute(
                    "return document.getElementById('at-schedule').value;",
                    vec![],
                )
                .await
                .unwrap_or_else(|err| panic!("reading the time: {err}"));
            assert_eq!(typed, json!("2026-03-03T08:30"));
            browser.assert_accessible("the approved story").await;
            take(&browser, "Schedule", "schedule").await;
            let row = stored(&app, &staff.editor, &id).await;
            assert_eq!(row["status"], json!("scheduled"));
            assert_eq!(row["scheduled_at"], json!("2026-03-03T08:30:00Z"));
            browser.assert_accessible("the scheduled story").await;

            // Published now instead: a scheduled story is unscheduled first (the rule book).
            take(&browser, "Unschedule", "unschedule").await;
            take(&browser, "Publish now", "publish").await;
            browser.assert_accessible("the published story").await;
            let row = stored(&app, &staff.editor, &id).await;
            assert_eq!(row["status"], json!("published"));
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_publish_forged_from_the_writers_page_is_refused() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let story = app.draft(&staff.writer, &staff.desk, "Floods").await;
    let id = id_str(&story);

    browser
        .checked("desk-forged-publish", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("Floods").await;
            let offered = buttons(&browser).await;
            assert!(!offered.iter().any(|b| b == "Publish now"), "{offered:?}");

            // The page's own script context: its session cookie and its CSRF token.
            let answer = browser
                .client()
                .execute_async(
                    "const [path, done] = arguments;
                     const csrf = document.querySelector('meta[name=\"csrf-token\"]').content;
                     fetch(path, {
                       method: 'POST',
                       credentials: 'same-origin',
                       redirect: 'manual',
                       headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                       body: new URLSearchParams({csrf: csrf, version: '1', do: 'publish'}),
                     }).then(async r => done([r.status, await r.text()]),
                             e => done([0, String(e)]));",
                    vec![json!(format!("/admin/stories/{id}/actions/publish"))],
                )
                .await
                .unwrap_or_else(|err| panic!("posting from the page: {err}"));
            assert_eq!(answer[0], json!(403), "the answer: {answer}");
            let said = answer[1].as_str().unwrap_or_default();
            assert!(
                said.contains("You may not do this to this story."),
                "{said}"
            );

            let row = stored(&app, &staff.writer, &id).await;
            assert_eq!(row["status"], json!("draft"));
            assert_eq!(row["version"], json!(1));
            assert!(row["published_at"].is_null(), "{row}");
        })
        .await;
    browser.close().await;
}
