//! The partner screens in a real browser, by keyboard: an admin creates a partner (its
//! webhook secret shown once) and an API key, whose text is on that answer and on no page
//! after it (a reload, the partner's page), then revokes the key after its confirm step; a
//! partner paused by hand (a refused reason first), a paused partner's banner, webhook log and
//! one delivery's attempts. Every screen fits a
//! phone's width (and a desktop's) and axe-core finds nothing on it, a refused form's
//! messages included.

use chrono::Duration;
use fantoccini::Locator;
use newsroom::webhooks::Worker;
use serde_json::{json, Value};

use crate::desk::{sign_in, submit_for_a_new_page};
use crate::harness::Browser;
use crate::helpers::{id_str, TestApp};

/// Focuses the element `css` names and presses Enter, waiting for the page that answers.
async fn press(browser: &Browser, css: &str) {
    let focus = "document.querySelector(arguments[0]).focus(); \
                 return document.activeElement === document.querySelector(arguments[0]);";
    match browser.client().execute(focus, vec![json!(css)]).await {
        Ok(Value::Bool(true)) => {}
        other => panic!("focusing {css}: {other:?}"),
    }
    submit_for_a_new_page(browser).await;
}

/// The page's HTML as the browser holds it now.
async fn source(browser: &Browser) -> String {
    browser.client().source().await.expect("the page's source")
}

/// The value of the secret or key the page shows once.
async fn shown_once(browser: &Browser) -> String {
    let field = browser
        .client()
        .find(Locator::Id("once-value"))
        .await
        .expect("a value shown once");
    field
        .prop("value")
        .await
        .expect("its value")
        .expect("a value")
}

async fn check(browser: &Browser, page: &str) {
    browser.assert_fits_width(page).await;
    browser.assert_accessible(page).await;
}

async fn every_screen(browser: &Browser, name: &str) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    // A partner whose endpoint never answers: three failures in a row pause its webhooks.
    let flaky = app
        .post(
            "/api/v1/partners",
            &admin.token,
            json!({"name": "Flaky Wire", "webhook_url": "http://127.0.0.1:9/a/rather/long/path/for/a/webhook/endpoint"}),
        )
        .await;
    flaky.assert_status(201);
    let flaky = flaky.body["id"].as_str().expect("an id").to_owned();
    let story = id_str(&app.draft(&admin, &desk, "Floods in the delta").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    let worker = Worker::new(&app.state.config).expect("a worker");
    for _ in 0..3 {
        worker.run_once(&app.state).await.expect("a pass");
        app.clock.advance(Duration::hours(2));
    }

    browser
        .checked(name, async {
            sign_in(browser, &app, &admin.email).await;
            browser.goto(&app.url("/admin/partners")).await;
            browser.wait_for_heading("Partners").await;
            check(browser, "the partner list").await;

            // A new partner: its page, with the webhook secret shown once.
            let summary = browser
                .client()
                .find(Locator::Css("details.new-story summary"))
                .await
                .expect("the new-partner summary");
            summary.click().await.expect("opening the new-partner form");
            let form = browser
                .client()
                .form(Locator::Css(
                    "form[action='/admin/partners'][method='post']",
                ))
                .await
                .expect("the new-partner form");
            form.set_by_name("name", "Wire Asia")
                .await
                .expect("naming the partner");
            press(browser, "#p-name").await;
            browser.wait_for_heading("Wire Asia").await;
            let said = browser.page_text().await;
            assert!(said.contains("The new webhook secret"), "{said}");
            assert!(said.contains("Wire Asia may fetch the published stories of every outlet"));
            let secret = shown_once(browser).await;
            assert!(secret.starts_with("whsec_"), "{secret}");
            check(browser, "a new partner and its secret").await;

            // A key: on this answer, and on no page after it.
            press(browser, "form[action$='/keys'] button").await;
            let key = shown_once(browser).await;
            assert!(source(browser).await.contains(&key));
            let said = browser.page_text().await;
            assert!(said.contains("The new API key"), "{said}");
            check(browser, "a new API key").await;
            browser.client().refresh().await.expect("a reload");
            browser.wait_for_heading("Wire Asia").await;
            let reloaded = source(browser).await;
            assert!(
                !reloaded.contains(&key),
                "the key is shown again after a reload"
            );
            assert!(!reloaded.contains(&secret), "the secret is shown again");
            let partner = browser.client().current_url().await.expect("a URL");
            assert!(partner.path().starts_with("/admin/partners/"), "{partner}");
            browser.goto(partner.as_str()).await;
            browser.wait_for_heading("Wire Asia").await;
            assert!(!source(browser).await.contains(&key));
            check(browser, "a partner's page").await;

            // Revoking: the confirm step, then the key stops.
            press(browser, "a[href$='/revoke']").await;
            let said = browser.page_text().await;
            assert!(
                said.contains("will stop working on its next request"),
                "{said}"
            );
            assert!(!source(browser).await.contains(&key));
            check(browser, "the revoke confirm step").await;
            press(browser, "form[action$='/revoke'] button.primary").await;
            browser.wait_for_heading("Wire Asia").await;
            let said = browser.page_text().await;
            assert!(said.contains("The key was revoked"), "{said}");
            assert!(said.contains("Revoked"), "{said}");
            app.syndication(&key, "/syndication/v1/articles")
                .await
                .assert_status(401);

            // Pausing by hand: the form, a refused reason by its field, then the banner.
            browser
                .goto(&format!("{}/deliveries", partner.as_str()))
                .await;
            browser
                .wait_for_heading("Webhook deliveries to Wire Asia")
                .await;
            check(browser, "the pause form").await;
            let pause = "form[action$='/webhooks/pause']";
            let form = browser
                .client()
                .form(Locator::Css(pause))
                .await
                .expect("the pause form");
            form.set_by_name("reason", &"z".repeat(201))
                .await
                .expect("typing a reason");
            press(browser, "#pause-reason").await;
            let said = browser.page_text().await;
            assert!(said.contains("must be at most 200 characters"), "{said}");
            check(browser, "a refused pause reason").await;
            let form = browser
                .client()
                .form(Locator::Css(pause))
                .await
                .expect("the pause form again");
            form.set_by_name("reason", "Endpoint moving on Monday")
                .await
                .expect("typing a reason");
            press(browser, &format!("{pause} button")).await;
            browser
                .wait_for_heading("Webhook deliveries to Wire Asia")
                .await;
            let said = browser.page_text().await;
            assert!(
                said.contains("by hand: Endpoint moving on Monday"),
                "{said}"
            );
            check(browser, "a partner paused by hand").await;

            // The paused partner: the banner on its page and its webhook log.
            browser
                .goto(&app.url(&format!("/admin/partners/{flaky}")))
                .await;
            browser.wait_for_heading("Flaky Wire").await;
            let said = browser.page_text().await;
            assert!(said.contains("Webhooks are paused"), "{said}");
            check(browser, "a paused partner's page").await;
            press(browser, "a[href$='/deliveries']").await;
            browser
                .wait_for_heading("Webhook deliveries to Flaky Wire")
                .await;
            let said = browser.page_text().await;
            assert!(said.contains("Floods in the delta"), "{said}");
            check(browser, "the webhook log").await;
            press(browser, "td[data-label='Attempts'] a").await;
            browser
                .wait_for_heading("article.published of Floods in the delta")
                .await;
            check(browser, "one delivery's attempts").await;

            // A refused webhook URL: the sentence by the field.
            browser
                .goto(&app.url(&format!("/admin/partners/{flaky}")))
                .await;
            browser.wait_for_heading("Flaky Wire").await;
            let form = browser
                .client()
                .form(Locator::Css(&format!(
                    "form[method='post'][action='/admin/partners/{flaky}']"
                )))
                .await
                .expect("the settings form");
            form.set_by_name("webhook_url", "ftp://files.example/in")
                .await
                .expect("typing a URL");
            press(browser, "#p-webhook").await;
            let said = browser.page_text().await;
            assert!(
                said.contains("Newsroom will not send webhooks to this address"),
                "{said}"
            );
            check(browser, "a refused webhook URL").await;
        })
        .await;
}

#[actix_web::test]
async fn the_partner_screens_fit_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    every_screen(&browser, "desk-partners-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn the_partner_screens_are_accessible_on_a_desktop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    every_screen(&browser, "desk-partners-desktop").await;
    browser.close().await;
}
