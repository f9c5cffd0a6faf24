//! The desk at a phone's width (375 px): each screen fits and axe-core finds nothing on it
//! (the conflict page is checked at 375 px in `desk_editor.rs`): the sign-in page, the list,
//! the editor (ordered byline, links), the compare screen, the problem page and the bar.

use serde_json::json;

use crate::desk::{newsroom, sign_in, sign_out, take};
use crate::harness::Browser;
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn the_desk_fits_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let story = app
        .draft(
            &staff.writer,
            &staff.desk,
            "A long headline about the river's floods",
        )
        .await;
    let id = id_str(&story);
    let renamed = json!({"headline": "The river in flood", "standfirst": "Rising.",
        "body": "The body of the story.\nThe river rose a metre overnight."});
    app.edit(&staff.writer.token, &id, 1, renamed)
        .await
        .assert_status(200);
    // A story in review, for the editor's workflow bar (a note field and three buttons).
    let review = app.draft(&staff.writer, &staff.desk, "Bridge").await;
    let review = id_str(&review);
    app.act(&staff.writer.token, &review, 1, "submit", None)
        .await
        .assert_status(200);

    browser
        .checked("desk-phone", async {
            browser.goto(&app.url("/admin/login")).await;
            browser.assert_fits_width("the sign-in page").await;
            browser.assert_accessible("the sign-in page").await;
            sign_in(&browser, &app, &staff.writer.email).await;
            browser.assert_fits_width("the story list").await;
            browser.assert_accessible("the story list").await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("The river in flood").await;
            browser.assert_fits_width("the editor").await;
            browser.assert_accessible("the editor").await;
            // A story that is not there: the desk's problem page.
            let missing = "/admin/stories/00000000-0000-7000-8000-000000000000";
            browser.goto(&app.url(missing)).await;
            browser.wait_for_heading("Not found").await;
            let said = browser.page_text().await;
            assert!(said.contains("There is no such page"), "{said}");
            browser.assert_fits_width("the problem page").await;
            browser.assert_accessible("the problem page").await;

            // Two versions compared (the draft, then a new headline).
            let compare = format!("/admin/stories/{id}/revisions/compare?from=1&to=2");
            browser.goto(&app.url(&compare)).await;
            browser
                .wait_for_heading("Compare versions: The river in flood")
                .await;
            browser.assert_fits_width("the compare screen").await;
            browser.assert_accessible("the compare screen").await;
            // A problem page has the header: signing out from it.
            browser.goto(&app.url(missing)).await;
            browser.wait_for_heading("Not found").await;
            sign_out(&browser).await;
            sign_in(&browser, &app, &staff.editor.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{review}")))
                .await;
            browser.wait_for_heading("Bridge").await;
            browser.assert_fits_width("the editor's bar").await;
            browser.assert_accessible("the editor's bar").await;
            take(&browser, "Approve", "approve").await;
            browser.assert_fits_width("the schedule field").await;
            browser.assert_accessible("the schedule field").await;
        })
        .await;
    browser.close().await;
}
