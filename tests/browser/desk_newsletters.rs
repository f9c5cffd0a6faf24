//! The newsletter screens in a real browser, by keyboard: an admin opens the newsletters and
//! one newsletter, composes an issue (two published stories added and reordered with the
//! buttons, a subject), previews it (the HTML frame at desktop and 375 px, the plain text),
//! confirms the send (the recipient count) and watches the progress bar, refreshed without a
//! reload while the email worker sends to an SMTP sink this test runs, reach "sent = 3".
//! Every screen fits the viewport and axe-core finds nothing on it.

use std::time::Duration;

use fantoccini::Locator;
use newsroom::email::Worker;
use serde_json::{json, Value};

use crate::desk::{sign_in, submit_for_a_new_page, wait_for_text};
use crate::harness::Browser;
use crate::helpers::{id_str, TestApp};
use crate::reader::{confirmed_reader, newsletter};
use crate::smtp_sink::SmtpSink;

/// Focuses the element `css` names and presses Enter, waiting for the page that answers.
async fn press(browser: &Browser, css: &str) {
    let focus = "document.querySelector(arguments[0]).focus(); \
                 return document.activeElement === document.querySelector(arguments[0]);";
    match browser.client().execute(focus, vec![json!(css)]).await {
        Ok(Value::Bool(true)) => {}
        other => panic!("focusing {css}: {other:?}"),
    }
    submit_for_a_new_page(browser).await;
}

async fn check(browser: &Browser, page: &str) {
    browser.assert_fits_width(page).await;
    browser.assert_accessible(page).await;
}

/// The headlines of the stories the compose form lists, in order.
async fn picked(browser: &Browser) -> Vec<String> {
    let items = browser
        .client()
        .find_all(Locator::Css("ol.picks .pick-text"))
        .await
        .expect("the picked stories");
    let mut said = Vec::new();
    for item in items {
        said.push(item.text().await.expect("a headline"));
    }
    said
}

async fn every_screen(browser: &Browser, name: &str) {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app).await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    for headline in ["Monsoon season opens", "Rice harvest doubles"] {
        let id = id_str(&app.draft(&admin, &desk, headline).await);
        app.act(&admin.token, &id, 1, "publish", None)
            .await
            .assert_status(200);
    }
    for reader in ["ana@example.org", "bo@example.org", "chen@example.org"] {
        confirmed_reader(&app, reader).await;
    }
    // The confirmations go out before the issue, so the sink then counts the issue alone.
    let worker = Worker::new(&app.state.config).expect("an email worker");
    worker.run_once(&app.state).await.expect("a pass");
    let before = sink.messages().len();

    browser
        .checked(name, async {
            sign_in(browser, &app, &admin.email).await;
            browser.goto(&app.url("/admin/newsletters")).await;
            browser.wait_for_heading("Newsletters").await;
            check(browser, "the newsletter list").await;
            press(browser, "a[href='/admin/newsletters/eastern-briefings']").await;
            browser.wait_for_heading("Eastern Briefings").await;
            check(browser, "a newsletter's page").await;

            // Compose: add both stories, move the second up, give a subject, save.
            press(browser, "a[href$='/issues/new']").await;
            browser
                .wait_for_heading("A new issue of Eastern Briefings")
                .await;
            check(browser, "the compose form").await;
            press(browser, "ul.picker li:first-child button").await;
            press(browser, "ul.picker li:first-child button").await;
            let first = picked(browser).await;
            assert_eq!(first.len(), 2, "{first:?}");
            press(browser, "#up-1").await;
            let moved = picked(browser).await;
            assert_eq!(moved, [first[1].clone(), first[0].clone()]);
            let focused = browser.focused().await;
            assert!(
                focused.starts_with("Down"),
                "focus after the move: {focused}"
            );
            check(browser, "the compose form with two stories").await;
            let form = browser
                .client()
                .form(Locator::Css("form.compose"))
                .await
                .expect("the compose form");
            form.set_by_name("subject", "Eastern Briefings, 2 March")
                .await
                .expect("typing the subject");
            press(browser, "button[value='save']").await;
            browser
                .wait_for_heading("Issue 1 of Eastern Briefings")
                .await;
            assert!(browser.page_text().await.contains("Saved."));

            // Preview: the HTML frame at both widths, the plain text.
            press(browser, "a[href$='/issues/1/preview']").await;
            browser.wait_for_heading("Preview of issue 1").await;
            let said = browser.page_text().await;
            assert!(said.contains(&moved[0]), "{said}");
            check(browser, "the preview").await;
            press(browser, "a[href*='width=375']").await;
            browser.wait_for_heading("Preview of issue 1").await;
            let frame_width = browser
                .client()
                .execute(
                    "return document.querySelector('iframe.email-frame').clientWidth;",
                    vec![],
                )
                .await
                .expect("the frame's width");
            assert!(
                frame_width
                    .as_u64()
                    .is_some_and(|w| (300..=375).contains(&w)),
                "{frame_width}"
            );
            check(browser, "the preview at 375 px").await;

            // Send: the count first, then the bar that fills without a reload.
            browser
                .goto(&app.url("/admin/newsletters/eastern-briefings/issues/1/send"))
                .await;
            browser
                .wait_for_heading("Send issue 1 of Eastern Briefings")
                .await;
            let said = browser.page_text().await;
            assert!(said.contains("to 3 readers"), "{said}");
            check(browser, "the send confirm step").await;
            press(browser, "form[action$='/send'] button.primary").await;
            browser
                .wait_for_heading("Sending issue 1 of Eastern Briefings")
                .await;
            let mark = "window.__newsroom_same_page = true;";
            browser
                .client()
                .execute(mark, vec![])
                .await
                .expect("a mark");
            check(browser, "the sending progress").await;
            let state = app.state.clone();
            let sending = actix_web::rt::spawn(async move {
                for _ in 0..100 {
                    let _ = worker.run_once(&state).await;
                    let _ = newsroom::newsletters::issues::resume_sending(&state).await;
                    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
                }
            });
            wait_for_text(browser, "final-tally", "Done: 3 sent").await;
            sending.abort();
            let same = browser
                .client()
                .execute("return window.__newsroom_same_page === true;", vec![])
                .await
                .expect("the mark");
            assert_eq!(same, json!(true), "the page was reloaded");
            wait_for_text(browser, "tally-sent", "3").await;
            wait_for_text(browser, "tally-queued", "0").await;
            let bar = browser
                .client()
                .execute("return document.getElementById('send-bar').value;", vec![])
                .await
                .expect("the bar");
            assert_eq!(bar, json!(100));
            check(browser, "the final tally").await;
            assert_eq!(sink.messages().len(), before + 3);
        })
        .await;
}

#[actix_web::test]
async fn an_admin_composes_previews_and_sends_an_issue_on_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    every_screen(&browser, "desk-newsletters-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn an_admin_composes_previews_and_sends_an_issue_on_a_desktop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    every_screen(&browser, "desk-newsletters-desktop").await;
    browser.close().await;
}
