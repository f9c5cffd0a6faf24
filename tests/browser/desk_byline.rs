//! The editor's ordered byline and the history's comparison in a real browser: a writer moves
//! an author up by keyboard alone (Tab to "Move Amna up", Enter), the new order is saved and
//! shown, and the compare screen of the two versions passes axe-core.

use serde_json::{json, Value};

use crate::desk::{newsroom, sign_in, stored, submit_for_a_new_page};
use crate::harness::{Browser, Key};
use crate::helpers::{id_str, TestApp};

/// Tabs until the focus is on the submit button `name` = `value`; fails after 80 stops.
async fn tab_to_button(browser: &Browser, name: &str, value: &str) {
    let which =
        "const e = document.activeElement; return e ? (e.name || '') + '=' + (e.value || '') : '';";
    let wanted = format!("{name}={value}");
    for _ in 0..80 {
        browser.press(Key::Tab).await;
        let focused = browser.client().execute(which, vec![]).await;
        if matches!(focused, Ok(Value::String(ref s)) if *s == wanted) {
            return;
        }
    }
    panic!("Tab never reached the button {wanted}");
}

/// The byline's ticked authors as the editor lists them, in order.
async fn byline(browser: &Browser) -> Value {
    let read = "return Array.from(document.querySelectorAll('.byline-list input:checked'))
                  .map(e => e.value);";
    browser
        .client()
        .execute(read, vec![])
        .await
        .unwrap_or_else(|err| panic!("reading the byline: {err}"))
}

#[actix_web::test]
async fn a_writer_moves_an_author_up_the_byline_by_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let admin = app.admin().await;
    let amna = app
        .post(
            "/api/v1/authors",
            &admin.token,
            json!({"slug": "amna", "name": "Amna", "outlet_id": staff.desk.outlet}),
        )
        .await;
    amna.assert_status(201);
    let amna = id_str(&amna.body);
    let desk = staff.desk.author.to_string();
    let story = app.draft(&staff.writer, &staff.desk, "Tides").await;
    let id = id_str(&story);
    app.edit(
        &staff.writer.token,
        &id,
        1,
        json!({"author_ids": [desk, amna]}),
    )
    .await
    .assert_status(200);

    browser
        .checked("desk-byline", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("Tides").await;
            assert_eq!(byline(&browser).await, json!([desk, amna]));
            browser
                .assert_accessible("the editor with its byline and links")
                .await;
            tab_to_button(&browser, "move_up", &amna).await;
            browser.assert_focus_visible("Move Amna up").await;
            submit_for_a_new_page(&browser).await;
            browser.wait_for_heading("Tides").await;
            assert_eq!(byline(&browser).await, json!([amna, desk]));
            let saved = stored(&app, &staff.writer, &id).await;
            assert_eq!(saved["author_ids"], json!([amna, desk]));
            // Enter in a field saves (the form's hidden first button), moving no one.
            browser.tab_to("Headline").await;
            browser.press(Key::End).await;
            browser.type_text(" at noon").await;
            submit_for_a_new_page(&browser).await;
            browser.wait_for_heading("Tides at noon").await;
            let saved = stored(&app, &staff.writer, &id).await;
            assert_eq!(saved["author_ids"], json!([amna, desk]));

            browser
                .goto(&app.url(&format!(
                    "/admin/stories/{id}/revisions/compare?from=2&to=4"
                )))
                .await;
            browser
                .wait_for_heading("Compare versions: Tides at noon")
                .await;
            let said = browser.page_text().await;
            assert!(said.contains("Amna and Desk"), "{said}");
            browser.assert_accessible("the compare screen").await;
        })
        .await;
    browser.close().await;
}
