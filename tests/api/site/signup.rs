//! The newsletter sign-up from the site hands the form to the double opt-in flow: a pending
//! subscription and a confirmation email, a "check your inbox" page; a bad address or no
//! consent is a 422 with the message next to the field, the address kept, nothing stored.

use crate::desk::Browser;
use crate::helpers::TestApp;
use crate::subscriptions::{confirmation_link, newsletter, status};

#[actix_web::test]
async fn a_reader_signs_up_from_the_site_into_the_double_opt_in_flow() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let mut browser = Browser::new(&app);
    let front = super::get(&mut browser, "/").await;
    front
        .assert_status(200)
        .assert_contains("action=\"/newsletter/eastern-briefings\"")
        .assert_contains("By providing us with your email address, you agree to our Privacy Policy and Terms of Service")
        .assert_contains("name=\"policy_version\" value=\"2026-11\"")
        .assert_contains("href=\"/public/v1/newsletters/eastern-briefings/latest\"");

    let done = browser
        .post(
            "/newsletter/eastern-briefings",
            &[
                ("email", "reader@example.com"),
                ("consent", "yes"),
                ("policy_version", "2026-11"),
            ],
        )
        .await;
    done.assert_status(200).assert_contains("Check your inbox");
    assert_eq!(
        status(&app, "reader@example.com").await.as_deref(),
        Some("pending")
    );
    let (token, sent) = confirmation_link(&app, "reader@example.com").await;
    assert_eq!(sent, 1);
    browser
        .post("/public/v1/subscriptions/confirm", &[("token", &token)])
        .await
        .assert_status(200);
    assert_eq!(
        status(&app, "reader@example.com").await.as_deref(),
        Some("confirmed")
    );
}

#[actix_web::test]
async fn a_bad_address_or_no_consent_is_said_next_to_the_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let mut browser = Browser::new(&app);
    let bad = browser
        .post(
            "/newsletter/eastern-briefings",
            &[
                ("email", "not an address"),
                ("consent", "yes"),
                ("policy_version", "2026-11"),
            ],
        )
        .await;
    bad.assert_status(422)
        .assert_contains("id=\"signup-email-error\"")
        .assert_contains("value=\"not an address\"")
        .assert_contains("aria-invalid=\"true\"");
    let no_consent = browser
        .post(
            "/newsletter/eastern-briefings",
            &[
                ("email", "reader@example.com"),
                ("policy_version", "2026-11"),
            ],
        )
        .await;
    no_consent
        .assert_status(422)
        .assert_contains("id=\"signup-consent-error\"")
        .assert_contains("value=\"reader@example.com\"");
    assert_eq!(app.count("subscriptions").await, 0);
    assert_eq!(app.count("email_outbox").await, 0);
    browser
        .post(
            "/newsletter/nope",
            &[("email", "reader@example.com"), ("consent", "yes")],
        )
        .await
        .assert_status(404);
}
