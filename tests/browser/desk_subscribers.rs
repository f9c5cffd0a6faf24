//! The subscriber screens in a real browser: an admin uploads a CSV with good and bad rows,
//! sees the dry run's report (the progress bar shown while it is sent, nothing imported yet),
//! imports it for real and watches the progress bar fill without a reload (the run held
//! at its first batch by a row locked in the test, then let go), then the same report; finds a reader, reads the consent ledger's
//! timeline, and erases them after typing the address (a wrong address refused first).
//! Every screen fits a phone's width (and a desktop's) and axe-core finds nothing on it.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::desk::{sign_in, submit_for_a_new_page, wait_for_text};
use crate::harness::Browser;
use crate::helpers::TestApp;

const FILE: &str = "email,name,newsletter,consent_time,consent_source\n\
    ana@example.org,Ana Lim,eastern-briefings,2026-01-05T10:00:00Z,paper form at the book fair\n\
    bo@example.org,Bo,eastern-briefings,,\n\
    not-an-address,Cy,eastern-briefings,,\n\
    dee@example.org,Dee,gardening,,\n";

/// Focuses the element `css` names and presses Enter, waiting for the page that answers.
async fn press(browser: &Browser, css: &str) {
    focus(browser, css).await;
    submit_for_a_new_page(browser).await;
}

async fn focus(browser: &Browser, css: &str) {
    let focus = "document.querySelector(arguments[0]).focus(); \
                 return document.activeElement === document.querySelector(arguments[0]);";
    match browser.client().execute(focus, vec![json!(css)]).await {
        Ok(Value::Bool(true)) => {}
        other => panic!("focusing {css}: {other:?}"),
    }
}

async fn check(browser: &Browser, page: &str) {
    browser.assert_fits_width(page).await;
    browser.assert_accessible(page).await;
}

async fn every_screen(browser: &Browser, name: &str) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings"}),
    )
    .await
    .assert_status(201);
    let dir = std::env::temp_dir().join(format!("newsroom-import-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("a folder for the file");
    let file = dir.join("spring-sign-ups.csv");
    std::fs::write(&file, FILE).expect("the CSV file");

    browser
        .checked(name, async {
            sign_in(browser, &app, &admin.email).await;
            browser.goto(&app.url("/admin/subscribers")).await;
            browser.wait_for_heading("Subscribers").await;
            check(browser, "the empty subscriber list").await;

            // The import: a dry run first, nothing changed.
            press(browser, "a[href='/admin/subscribers/import']").await;
            browser.wait_for_heading("Import subscribers").await;
            check(browser, "the import form").await;
            let input = browser
                .client()
                .find(Locator::Id("i-file"))
                .await
                .expect("the file field");
            input
                .send_keys(&file.display().to_string())
                .await
                .expect("choosing the file");
            let button = browser
                .client()
                .find(Locator::Css("form[data-progress] button.primary"))
                .await
                .expect("the dry-run button");
            button.click().await.expect("sending the file");
            browser
                .wait_for_heading("Import subscribers: dry run")
                .await;
            let said = browser.page_text().await;
            assert!(said.contains("Nothing has been changed yet."), "{said}");
            assert!(said.contains("not a valid email address"), "{said}");
            assert!(said.contains("no newsletter `gardening`"), "{said}");
            assert_eq!(app.count("subscribers").await, 0);
            check(browser, "the dry run's report").await;

            // The real run, in the background: a row held by another transaction stops it
            // at its first batch, so the bar is seen at 0, then filling without a reload.
            let mut holder = app.state.db.begin().await.expect("a transaction");
            sqlx::query(
                "insert into subscribers (id, email, created_at, updated_at)
                 values (gen_random_uuid(), 'ana@example.org', now(), now())",
            )
            .execute(&mut *holder)
            .await
            .expect("holding Ana's row");
            press(
                browser,
                "form[action^='/admin/subscribers/import/'] button.primary",
            )
            .await;
            browser
                .wait_for_heading("Importing spring-sign-ups.csv")
                .await;
            let mark = "window.__newsroom_same_page = true;";
            browser
                .client()
                .execute(mark, vec![])
                .await
                .expect("a mark");
            let said = browser.page_text().await;
            assert!(said.contains("Rows of the file done: 0 of 4"), "{said}");
            check(browser, "the import's progress").await;
            holder.rollback().await.expect("letting the import go");
            wait_for_text(browser, "import-done", "spring-sign-ups.csv was imported").await;
            let same = browser
                .client()
                .execute("return window.__newsroom_same_page === true;", vec![])
                .await
                .expect("the mark");
            assert_eq!(same, json!(true), "the page was reloaded");
            let bar = browser
                .client()
                .execute(
                    "const b = document.getElementById('import-bar'); return [b.value, b.max];",
                    vec![],
                )
                .await
                .expect("the bar");
            assert_eq!(bar, json!([4, 4]));
            wait_for_text(browser, "tally-confirmed", "1").await;
            wait_for_text(browser, "tally-rejected", "2").await;
            assert_eq!(app.count("subscribers").await, 2);
            check(browser, "the import done").await;
            // The rows' report, on the run's page reloaded (as without JavaScript).
            press(browser, "#import-run a").await;
            browser
                .wait_for_heading("Importing spring-sign-ups.csv")
                .await;
            let said = browser.page_text().await;
            assert!(said.contains("not a valid email address"), "{said}");
            check(browser, "the import's report").await;

            // A reader: search, the page with the ledger's timeline.
            browser.goto(&app.url("/admin/subscribers?q=ana")).await;
            browser.wait_for_heading("Subscribers").await;
            let said = browser.page_text().await;
            assert!(
                said.contains("ana@example.org") && !said.contains("bo@example.org"),
                "{said}"
            );
            check(browser, "a search of the subscribers").await;
            press(browser, "td a[href^='/admin/subscribers/']").await;
            browser.wait_for_heading("ana@example.org").await;
            let said = browser.page_text().await;
            assert!(said.contains("paper form at the book fair"), "{said}");
            check(browser, "a subscriber's page").await;

            // Erasure: a wrong address is refused, the right one erases.
            press(browser, "a[href$='/erase']").await;
            browser.wait_for_heading("Erase a subscriber").await;
            check(browser, "the erasure's confirm step").await;
            focus(browser, "#e-confirm").await;
            browser.type_text("ana@example.com").await;
            submit_for_a_new_page(browser).await;
            let said = browser.page_text().await;
            assert!(said.contains("Nothing was erased"), "{said}");
            assert_eq!(app.count("subscribers where email is not null").await, 2);
            check(browser, "a wrong address refused").await;
            let field = browser
                .client()
                .find(Locator::Id("e-confirm"))
                .await
                .expect("the field");
            field.clear().await.expect("clearing the field");
            focus(browser, "#e-confirm").await;
            browser.type_text("ana@example.org").await;
            submit_for_a_new_page(browser).await;
            browser.wait_for_heading("Subscriber erased").await;
            assert_eq!(app.count("subscribers where email is not null").await, 1);
            check(browser, "the erasure's result").await;
        })
        .await;
    std::fs::remove_dir_all(&dir).ok();
}

#[actix_web::test]
async fn the_subscriber_screens_fit_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    every_screen(&browser, "desk-subscribers-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn the_subscriber_screens_are_accessible_on_a_desktop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    every_screen(&browser, "desk-subscribers-desktop").await;
    browser.close().await;
}
