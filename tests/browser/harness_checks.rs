//! The harness's own checks catch what they are for, so that a page passing them means
//! something: axe-core reports a careless page, the width check fails a page wider than a
//! phone, Tab never reaches a control made of a `<div>`, a control that hides its focus is
//! caught, and a failed check leaves a screenshot behind.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use base64::Engine;
use futures_util::FutureExt;

use crate::harness::{screens_dir, Browser};

/// `html` as a `data:` URL, a page that needs no server.
fn page(html: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(html);
    format!("data:text/html;charset=utf-8;base64,{encoded}")
}

/// The panic message of `check`, or `None` if it passed.
async fn failure_of(check: impl Future<Output = ()>) -> Option<String> {
    let panic = AssertUnwindSafe(check).catch_unwind().await.err()?;
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()));
    Some(message.unwrap_or_default())
}

#[actix_web::test]
async fn axe_core_reports_what_a_careless_page_gets_wrong() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser
        .goto(&page(
            "<!doctype html><html><body><img src='x.png'>\
             <input type='text' name='email'></body></html>",
        ))
        .await;
    let ids: Vec<String> = browser
        .violations()
        .await
        .into_iter()
        .map(|v| v.id)
        .collect();
    for rule in ["html-has-lang", "document-title", "image-alt", "label"] {
        assert!(ids.iter().any(|id| id == rule), "{rule} not in {ids:?}");
    }
    let failure = failure_of(browser.assert_accessible("a careless page")).await;
    let message = failure.expect("the accessibility check fails");
    assert!(
        message.contains("image-alt") && message.contains("<img"),
        "{message}"
    );
    browser.close().await;
}

#[actix_web::test]
async fn a_page_wider_than_a_phone_fails_the_width_check() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    browser
        .goto(&page(
            "<!doctype html><html lang='en'><title>Wide</title>\
             <meta name='viewport' content='width=device-width, initial-scale=1'>\
             <main><div style='width: 600px'>A table too wide</div></main></html>",
        ))
        .await;
    let failure = failure_of(browser.assert_fits_width("a wide page")).await;
    let message = failure.expect("the width check fails");
    assert!(message.contains("does not fit 375 px"), "{message}");
    browser.close().await;
}

#[actix_web::test]
async fn tab_never_reaches_a_button_made_of_a_div() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser
        .goto(&page(
            "<!doctype html><html lang='en'><title>Fake</title><main>\
             <a href='#top'>Top</a><div class='button' onclick='go()'>Send</div></main></html>",
        ))
        .await;
    assert_eq!(browser.tab_to("Top").await, 1);
    let failure = failure_of(async {
        browser.tab_to("Send").await;
    })
    .await;
    let message = failure.expect("Tab does not reach the div");
    assert!(message.contains("Tab never reached \"Send\""), "{message}");
    browser.close().await;
}

#[actix_web::test]
async fn a_form_is_filled_by_keyboard_and_fields_are_found_by_their_labels() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser
        .goto(&page(
            "<!doctype html><html lang='en'><title>Sign in</title><main>\
             <input name='search' placeholder='Search'>\
             <label for='email'>Email</label><input id='email' name='email'>\
             <button type='button'>Sign in</button></main></html>",
        ))
        .await;
    // The first field has only a placeholder: Tab passes it by its name, not as "Search".
    assert_eq!(browser.tab_to("Email").await, 2);
    browser.type_text("editor@example.org").await;
    let value = browser
        .client()
        .execute("return document.getElementById('email').value;", vec![])
        .await
        .expect("the field's value");
    assert_eq!(value, "editor@example.org");
    assert_eq!(browser.tab_to("Sign in").await, 1);
    browser.close().await;
}

#[actix_web::test]
async fn a_button_that_hides_its_focus_fails_the_keyboard_check() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser
        .goto(&page(
            "<!doctype html><html lang='en'><title>Hidden focus</title>\
             <style>button:focus { outline: none }</style>\
             <main><button>Send</button></main></html>",
        ))
        .await;
    let failure = failure_of(async {
        browser.tab_to("Send").await;
    })
    .await;
    let message = failure.expect("the hidden focus is caught");
    assert!(message.contains("does not show it"), "{message}");
    browser.close().await;
}

#[actix_web::test]
async fn a_failed_check_leaves_a_screenshot_and_the_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let name = "harness-self-test-failure";
    let png = screens_dir().join(format!("{name}.png"));
    let html = screens_dir().join(format!("{name}.html"));
    browser
        .goto(&page(
            "<!doctype html><html lang='en'><title>Shot</title><h1>Shot</h1></html>",
        ))
        .await;
    let failure = failure_of(browser.checked(name, async { panic!("on purpose") })).await;
    assert_eq!(failure.as_deref(), Some("on purpose"));
    let shot = std::fs::read(&png).expect("a screenshot");
    assert!(shot.starts_with(b"\x89PNG"), "not a PNG");
    let source = std::fs::read_to_string(&html).expect("the page's HTML");
    assert!(source.contains("<h1>Shot</h1>"), "{source}");
    let _ = std::fs::remove_file(png);
    let _ = std::fs::remove_file(html);
    browser.close().await;
}
