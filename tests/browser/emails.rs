//! The emails a reader gets, opened in the browser as pages (as a webmail shows them, or a
//! phone's mail app): the confirmation and an issue with its unsubscribe footer, at a
//! phone's width, by keyboard, checked by axe-core.

use crate::harness::Browser;
use crate::helpers::TestApp;
use crate::reader::{email_as_page, newsletter, sent_issue, sign_up, HEADLINE, SUBJECT};

#[actix_web::test]
async fn the_confirmation_email_reads_well_on_a_phone_and_its_button_is_reached_by_keyboard() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    newsletter(&app).await;
    sign_up(&app, "mei@example.org").await;
    let email = email_as_page(&app, "confirm", "mei@example.org").await;

    browser
        .checked("confirmation-email-at-375px", async {
            browser.goto(&email).await;
            assert_eq!(
                browser.heading().await,
                "Please confirm your subscription to Eastern Briefings"
            );
            browser.assert_fits_width("the confirmation email").await;
            browser.assert_accessible("the confirmation email").await;
            assert_eq!(browser.tab_to("Confirm my subscription").await, 1);
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn the_issue_email_reads_well_on_a_phone_and_its_unsubscribe_link_is_reached_by_keyboard() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    sent_issue(&app).await;
    let email = email_as_page(&app, "newsletter", "reader@example.org").await;

    browser
        .checked("issue-email-at-375px", async {
            browser.goto(&email).await;
            assert_eq!(browser.heading().await, SUBJECT);
            browser.assert_fits_width("the issue's email").await;
            browser.assert_accessible("the issue's email").await;
            assert_eq!(browser.tab_to(HEADLINE).await, 1);
            assert_eq!(browser.tab_to("Unsubscribe").await, 1);
        })
        .await;
    browser.close().await;
}
