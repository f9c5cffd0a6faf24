//! The catalogue's screens (outlets, the section tree, authors, their edit pages, the delete
//! confirmation and a form with a field message) at a phone's width: each fits 375 px and
//! axe-core finds nothing on it. A bad time zone is typed and sent by keyboard.

use fantoccini::Locator;
use serde_json::json;

use crate::desk::{sign_in, submit_for_a_new_page};
use crate::harness::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn the_catalogue_screens_fit_a_phone_and_pass_axe() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let body = json!({"slug": "dawn-city", "name": "City news of a very long name", "parent_id": dawn.section});
    app.post("/api/v1/sections", &admin.token, body)
        .await
        .assert_status(201);
    let body =
        json!({"bio": "Covers the port and the long, winding politics of the harbour board."});
    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        body,
    )
    .await
    .assert_status(200);

    let screens = [
        ("/admin/outlets".to_owned(), "Outlets", "the outlets"),
        (
            format!("/admin/outlets/{}", dawn.outlet),
            "The dawn",
            "an outlet",
        ),
        ("/admin/sections".to_owned(), "Sections", "the section tree"),
        (
            format!("/admin/sections/{}", dawn.section),
            "News",
            "a section",
        ),
        ("/admin/authors".to_owned(), "Authors", "the authors"),
        (
            format!("/admin/authors/{}", dawn.author),
            "Desk",
            "an author",
        ),
        (
            format!("/admin/sections/{}/delete", dawn.section),
            "Delete the section “News”?",
            "the delete confirmation",
        ),
    ];
    browser
        .checked("desk-catalogue", async {
            sign_in(&browser, &app, &admin.email).await;
            for (path, heading, name) in &screens {
                browser.goto(&app.url(path)).await;
                browser.wait_for_heading(heading).await;
                browser.assert_fits_width(name).await;
                browser.assert_accessible(name).await;
            }
            // A field message: the outlet's time zone, typed wrong and sent with Enter.
            browser
                .goto(&app.url(&format!("/admin/outlets/{}", dawn.outlet)))
                .await;
            browser.wait_for_heading("The dawn").await;
            let field = browser
                .client()
                .find(Locator::Id("timezone"))
                .await
                .expect("the time zone field");
            field.clear().await.expect("cleared");
            field.send_keys("Mars/Olympus").await.expect("typed");
            submit_for_a_new_page(&browser).await;
            let said = browser.page_text().await;
            assert!(said.contains("must be an IANA time zone name"), "{said}");
            browser
                .assert_fits_width("an outlet with a field message")
                .await;
            browser
                .assert_accessible("an outlet with a field message")
                .await;
        })
        .await;
    browser.close().await;
}
