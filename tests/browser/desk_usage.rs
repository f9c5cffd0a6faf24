//! A partner's syndication usage in a real browser: the admin follows the link from the
//! partner's page to the usage screen (its two-series chart with its legend, and tables), then asks for a range with no
//! fetches (a sentence, no chart). Both fit a phone's width (and a desktop's) and axe-core
//! finds nothing on them.

use fantoccini::Locator;
use serde_json::json;

use crate::desk::sign_in;
use crate::harness::Browser;
use crate::helpers::{id_str, TestApp};

async fn check(browser: &Browser, page: &str) {
    browser.assert_fits_width(page).await;
    browser.assert_accessible(page).await;
}

async fn the_usage_screen(browser: &Browser, name: &str) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (partner, key) = app.partner(&admin, json!({"name": "Wire Asia"})).await;
    for headline in ["Floods in the delta", "A long night at the port"] {
        let story = id_str(&app.draft(&admin, &desk, headline).await);
        app.act(&admin.token, &story, 1, "publish", None)
            .await
            .assert_status(200);
        for _ in 0..2 {
            app.syndication(&key, &format!("/syndication/v1/articles/{story}"))
                .await
                .assert_status(200);
        }
    }
    app.state.usage.flush(&app.state.db).await.expect("a flush");

    browser
        .checked(name, async {
            sign_in(browser, &app, &admin.email).await;
            browser
                .goto(&app.url(&format!("/admin/partners/{partner}")))
                .await;
            browser.wait_for_heading("Wire Asia").await;
            browser
                .client()
                .find(Locator::LinkText("Syndication usage"))
                .await
                .expect("the usage link")
                .click()
                .await
                .expect("following it");
            browser
                .wait_for_heading("Syndication usage of Wire Asia")
                .await;
            let said = browser.page_text().await;
            assert!(
                said.contains("4 requests; 4 stories fetched in all"),
                "{said}"
            );
            assert!(
                said.contains("Orange dots and line: requests per day."),
                "{said}"
            );
            let bars = browser
                .client()
                .find_all(Locator::Css("svg rect.usage-bar"))
                .await
                .expect("the bars");
            assert_eq!(bars.len(), 30);
            check(browser, "the usage screen").await;

            browser
                .goto(&app.url(&format!(
                    "/admin/partners/{partner}/usage?from=2020-01-01&to=2020-01-31"
                )))
                .await;
            browser
                .wait_for_heading("Syndication usage of Wire Asia")
                .await;
            let said = browser.page_text().await;
            assert!(
                said.contains("Wire Asia made no requests and fetched no stories"),
                "{said}"
            );
            check(browser, "an empty range").await;
        })
        .await;
}

#[actix_web::test]
async fn desk_usage_fits_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    the_usage_screen(&browser, "desk-usage-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn desk_usage_is_accessible_on_a_desktop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    the_usage_screen(&browser, "desk-usage-desktop").await;
    browser.close().await;
}
