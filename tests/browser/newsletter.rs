//! "View today's newsletter": the newest sent issue as a public web page, read in a real
//! browser on a laptop and on a phone, by keyboard, and checked by axe-core.

use crate::harness::Browser;
use crate::helpers::TestApp;
use crate::reader::{sent_issue, HEADLINE, SUBJECT};

#[actix_web::test]
async fn a_reader_reads_the_latest_issue_on_the_web_by_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let latest = sent_issue(&app).await;

    browser
        .checked("latest-issue", async {
            browser.goto(&latest).await;
            assert_eq!(browser.heading().await, SUBJECT);
            let text = browser.page_text().await;
            assert!(text.contains("Rain & rivers."), "{text}");
            assert!(
                !text.contains("Unsubscribe"),
                "no one's unsubscribe link: {text}"
            );
            browser.assert_accessible("the latest issue").await;
            assert_eq!(
                browser.tab_to(HEADLINE).await,
                1,
                "the story is the first stop"
            );
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn the_latest_issue_fits_a_375_pixel_screen() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let latest = sent_issue(&app).await;

    browser
        .checked("latest-issue-at-375px", async {
            browser.goto(&latest).await;
            assert_eq!(browser.heading().await, SUBJECT);
            browser.assert_fits_width("the latest issue").await;
            browser.assert_accessible("the latest issue").await;
        })
        .await;
    browser.close().await;
}
