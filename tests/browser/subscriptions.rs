//! The reader's subscription pages in a real browser: the link from the confirmation email,
//! the unsubscribe link of an issue, and the page a used, expired or broken link leads to.
//! Every page is pressed by keyboard, checked by axe-core, and read at a phone's width.

use actix_web::http::Method;
use chrono::Duration;
use newsroom::config::Rate;

use crate::harness::{Browser, Key};
use crate::helpers::TestApp;
use crate::reader::{
    confirmation_link, confirmed_reader, newsletter, sign_up, status, unsubscribe_link,
};

/// The page a refused confirmation or unsubscribe link shows.
const PROBLEM: &str = "This link cannot be used";

#[actix_web::test]
async fn a_reader_confirms_by_keyboard_from_the_email_link() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    newsletter(&app).await;
    sign_up(&app, "mei@example.org").await;
    let link = confirmation_link(&app, "mei@example.org").await;

    browser
        .checked("confirm-by-keyboard", async {
            browser.goto(&link).await;
            assert_eq!(browser.heading().await, "Confirm your subscription");
            browser.assert_accessible("the confirm page").await;
            // Opening the link changes nothing (mail scanners open links too).
            assert_eq!(status(&app, "mei@example.org").await, "pending");

            let tabs = browser.tab_to("Confirm my subscription").await;
            assert_eq!(tabs, 1, "the button is the page's first stop");
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Subscription confirmed").await;
            browser.assert_accessible("the confirmed page").await;
            assert_eq!(status(&app, "mei@example.org").await, "confirmed");
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_reader_unsubscribes_by_keyboard_from_an_issue_link() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let briefings = newsletter(&app).await;
    confirmed_reader(&app, "leaving@example.org").await;
    let link = unsubscribe_link(&app, briefings, "leaving@example.org").await;

    browser
        .checked("unsubscribe-by-keyboard", async {
            browser.goto(&link).await;
            assert_eq!(browser.heading().await, "Unsubscribe");
            browser.assert_accessible("the unsubscribe page").await;
            assert_eq!(status(&app, "leaving@example.org").await, "confirmed");

            browser.tab_to("Unsubscribe").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("You have unsubscribed").await;
            browser.assert_accessible("the unsubscribed page").await;
            assert_eq!(status(&app, "leaving@example.org").await, "unsubscribed");
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_used_confirmation_link_shows_the_problem_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    newsletter(&app).await;
    sign_up(&app, "twice@example.org").await;
    let link = confirmation_link(&app, "twice@example.org").await;

    browser
        .checked("used-confirmation-link", async {
            browser.goto(&link).await;
            browser.tab_to("Confirm my subscription").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Subscription confirmed").await;

            // The reader opens the email again and presses the button a second time.
            browser.goto(&link).await;
            browser.tab_to("Confirm my subscription").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading(PROBLEM).await;
            let text = browser.page_text().await;
            assert!(
                text.contains("your subscription is confirmed: there is nothing more to do"),
                "{text}"
            );
            browser.assert_accessible("the problem page").await;
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn an_expired_confirmation_link_shows_the_problem_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    newsletter(&app).await;
    sign_up(&app, "late@example.org").await;
    let link = confirmation_link(&app, "late@example.org").await;
    app.clock.advance(Duration::hours(49));

    browser
        .checked("expired-confirmation-link", async {
            browser.goto(&link).await;
            browser.tab_to("Confirm my subscription").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading(PROBLEM).await;
            let text = browser.page_text().await;
            assert!(text.contains("sign up again to get a new link"), "{text}");
            browser.assert_accessible("the problem page").await;
            assert_eq!(status(&app, "late@example.org").await, "pending");
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_cut_short_unsubscribe_link_shows_the_problem_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let briefings = newsletter(&app).await;
    confirmed_reader(&app, "cut@example.org").await;
    let link = unsubscribe_link(&app, briefings, "cut@example.org").await;
    let cut = &link[..link.len() - 10];

    browser
        .checked("cut-short-unsubscribe-link", async {
            browser.goto(cut).await;
            browser.tab_to("Unsubscribe").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading(PROBLEM).await;
            let text = browser.page_text().await;
            assert!(text.contains("Open it again from the email"), "{text}");
            browser.assert_accessible("the problem page").await;
            assert_eq!(status(&app, "cut@example.org").await, "confirmed");
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_reader_pressing_too_often_gets_a_page_that_says_to_wait() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn_with(|c| {
        c.public_rate = Rate {
            per_second: 1,
            burst: 1,
        }
    })
    .await;
    let token = "nrsub_pressed-too-often";
    let link = app.url(&format!("/public/v1/subscriptions/confirm?token={token}"));

    browser
        .checked("too-many-requests", async {
            browser.goto(&link).await;
            browser.tab_to("Confirm my subscription").await;
            // Another press from the same address a moment earlier spends the allowance.
            app.call_raw(
                Method::POST,
                "/public/v1/subscriptions/confirm",
                None,
                Some("application/x-www-form-urlencoded"),
                format!("token={token}").into_bytes(),
            )
            .await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Too many requests").await;
            let text = browser.page_text().await;
            assert!(
                text.contains("Wait a minute, then press the button again"),
                "{text}"
            );
            browser
                .assert_accessible("the too-many-requests page")
                .await;
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn every_reader_page_fits_a_375_pixel_screen() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let briefings = newsletter(&app).await;
    sign_up(&app, "phone@example.org").await;
    let confirm = confirmation_link(&app, "phone@example.org").await;

    browser
        .checked("pages-at-375px", async {
            browser.goto(&confirm).await;
            browser.assert_fits_width("the confirm page").await;
            browser.assert_accessible("the confirm page").await;
            browser.tab_to("Confirm my subscription").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("Subscription confirmed").await;
            browser.assert_fits_width("the confirmed page").await;

            browser.goto(&confirm).await;
            browser.tab_to("Confirm my subscription").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading(PROBLEM).await;
            browser.assert_fits_width("the problem page").await;
            browser.assert_accessible("the problem page").await;

            let unsubscribe = unsubscribe_link(&app, briefings, "phone@example.org").await;
            browser.goto(&unsubscribe).await;
            browser.assert_fits_width("the unsubscribe page").await;
            browser.assert_accessible("the unsubscribe page").await;
            browser.tab_to("Unsubscribe").await;
            browser.press(Key::Enter).await;
            browser.wait_for_heading("You have unsubscribed").await;
            browser.assert_fits_width("the unsubscribed page").await;
        })
        .await;
    browser.close().await;
}
