//! The staff screens and the audit log in a real browser, at a phone's width and a desktop's:
//! each fits and axe-core finds nothing on it (a refusal's field messages included).

use fantoccini::Locator;
use serde_json::json;

use crate::desk::{sign_in, submit_for_a_new_page};
use crate::harness::Browser;
use crate::helpers::TestApp;

/// Visits every staff and audit screen as an admin, checking width and accessibility.
async fn every_screen(browser: &Browser, name: &str) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let created = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "amna.riaz.with.a.long.address@dawn.example", "role": "writer",
                   "display_name": "Amna Riaz", "outlet_ids": [dawn],
                   "password": "a long enough initial password"}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().expect("an id").to_owned();
    app.patch(
        &format!("/api/v1/users/{id}"),
        &admin.token,
        json!({"role": "editor", "display_name": "Amna R."}),
    )
    .await
    .assert_status(200);

    browser
        .checked(name, async {
            sign_in(browser, &app, &admin.email).await;
            let screens = [
                ("the staff list", "/admin/staff".to_owned(), "Staff"),
                ("an account", format!("/admin/staff/{id}"), "Amna R."),
                (
                    "the deactivation's confirm step",
                    format!("/admin/staff/{id}/deactivate"),
                    "Deactivate Amna R.",
                ),
                ("the audit log", "/admin/audit".to_owned(), "Audit log"),
                (
                    "the audit log's refused filters",
                    "/admin/audit?entity_id=nope&from=2026-02-30".to_owned(),
                    "Audit log",
                ),
            ];
            for (page, path, heading) in screens {
                browser.goto(&app.url(&path)).await;
                browser.wait_for_heading(heading).await;
                browser.assert_fits_width(page).await;
                browser.assert_accessible(page).await;
            }
            let said = browser.page_text().await;
            assert!(said.contains("is not an id"), "{said}");

            // The new-account form sent with a short password: open, with its message.
            browser.goto(&app.url("/admin/staff")).await;
            browser.wait_for_heading("Staff").await;
            let summary = browser
                .client()
                .find(Locator::Css("details.new-story summary"))
                .await
                .expect("the new-account summary");
            summary.click().await.expect("opening the new-account form");
            let form = browser
                .client()
                .form(Locator::Css("form[action='/admin/staff'][method='post']"))
                .await
                .expect("the new-account form");
            let filled = async {
                form.set_by_name("display_name", "Kept name").await?;
                form.set_by_name("email", "new.person@dawn.example").await?;
                form.set_by_name("password", "short").await?;
                let password = browser.client().find(Locator::Id("new-password")).await?;
                password.click().await
            };
            filled.await.expect("filling the form");
            // The answer has the same heading: wait for the new page, not the heading.
            submit_for_a_new_page(browser).await;
            let said = browser.page_text().await;
            assert!(said.contains("must be 12 to 128"), "{said}");
            browser.assert_fits_width("the refused new account").await;
            browser.assert_accessible("the refused new account").await;
        })
        .await;
}

#[actix_web::test]
async fn the_staff_screens_and_the_audit_log_fit_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    every_screen(&browser, "desk-staff-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn the_staff_screens_and_the_audit_log_are_accessible_on_a_desktop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    every_screen(&browser, "desk-staff-desktop").await;
    browser.close().await;
}
