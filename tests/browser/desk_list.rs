//! The story list's saved views, counts per status and date range in a real browser, at a
//! phone's width: a writer saves the list's filters under a name and picks the view again
//! from the menu, by keyboard; axe-core finds nothing and the page fits 375 px, also with a
//! refused date range.

use crate::desk::{newsroom, sign_in, submit_for_a_new_page};
use crate::harness::Browser;
use crate::helpers::{id_str, TestApp};

/// The query string of the address the browser shows.
async fn query(browser: &Browser) -> String {
    let url = browser
        .client()
        .current_url()
        .await
        .unwrap_or_else(|err| panic!("reading the address: {err}"));
    url.query().unwrap_or_default().to_owned()
}

#[actix_web::test]
async fn a_writer_saves_a_view_and_picks_it_again() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    app.draft(&staff.writer, &staff.desk, "Rain draft").await;
    let review = app.draft(&staff.writer, &staff.desk, "Bridge").await;
    app.act(&staff.writer.token, &id_str(&review), 1, "submit", None)
        .await
        .assert_status(200);

    browser
        .checked("desk-list-views", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser.goto(&app.url("/admin/stories?status=draft")).await;
            browser.wait_for_heading("Stories").await;
            browser.tab_to("Name of this view").await;
            browser.type_text("My drafts").await;
            submit_for_a_new_page(&browser).await;
            browser.wait_for_heading("Stories").await;
            assert_eq!(query(&browser).await, "status=draft");

            browser.goto(&app.url("/admin/stories")).await;
            browser.wait_for_heading("Stories").await;
            let all = browser.page_text().await;
            assert!(
                all.contains("Bridge") && all.contains("in review (1)"),
                "{all}"
            );
            browser
                .assert_fits_width("the list with a saved view")
                .await;
            browser
                .assert_accessible("the list with a saved view")
                .await;
            browser.tab_to("My drafts").await;
            submit_for_a_new_page(&browser).await;
            browser.wait_for_heading("Stories").await;
            assert_eq!(query(&browser).await, "status=draft");
            let drafts = browser.page_text().await;
            assert!(drafts.contains("Rain draft"), "{drafts}");
            assert!(!drafts.contains("Bridge"), "{drafts}");

            browser
                .goto(&app.url("/admin/stories?from=2026-03-05&to=2026-03-04"))
                .await;
            browser.wait_for_heading("Stories").await;
            let refused = browser.page_text().await;
            assert!(refused.contains("is before the first day"), "{refused}");
            browser.assert_fits_width("a refused date range").await;
            browser.assert_accessible("a refused date range").await;
        })
        .await;
    browser.close().await;
}
