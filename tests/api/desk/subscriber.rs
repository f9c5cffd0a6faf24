//! One subscriber's page: the subscriptions' states and the whole consent ledger as a
//! timeline; the GDPR export as the API's JSON download; erasure, which needs the address
//! typed out (a wrong text is refused with the message and erases nothing) and then says
//! what was done.

use serde_json::Value;

use super::subscribers::{newsletters, sign_up, subscriber_id};
use super::Browser;
use crate::helpers::TestApp;
use crate::media::form;

#[actix_web::test]
async fn a_subscribers_page_shows_the_subscriptions_and_the_whole_ledger_as_a_timeline() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    sign_up(&app, "eastern-briefings", "mei@example.org", "Mei Tan").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    // A second event: an import with consent evidence confirms her to markets.
    let csrf = browser
        .get("/admin/subscribers/import")
        .await
        .hidden("csrf");
    let file = b"email,newsletter,consent_time,consent_source\n\
        mei@example.org,markets,2026-01-05T10:00:00Z,paper form at the book fair\n";
    let (ct, body) = form(file, "fair.csv", "text/csv", &[("csrf", &csrf)]);
    let dry = browser
        .post_raw("/admin/subscribers/import", &ct, body)
        .await;
    dry.assert_status(200);
    let staged = dry
        .text
        .split("action=\"/admin/subscribers/import/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the import button")
        .to_owned();
    let run = format!("/admin/subscribers/import/{staged}");
    browser
        .post(&run, &[("csrf", &csrf)])
        .await
        .assert_redirect(&run);
    super::subscriber_import_run::wait_done(&mut browser, &run).await;

    let id = subscriber_id(&app, "mei@example.org").await;
    let page = browser.get(&format!("/admin/subscribers/{id}")).await;
    page.assert_status(200)
        .assert_contains("<h1>mei@example.org</h1>")
        .assert_contains("Mei Tan")
        .assert_contains("<span class=\"badge badge-pending\">Pending</span>")
        .assert_contains("<span class=\"badge badge-confirmed\">Confirmed</span>")
        .assert_contains("<ol class=\"timeline\">")
        .assert_contains(
            "<strong class=\"event-subscribed\">Subscribed</strong> · eastern-briefings",
        )
        .assert_contains("<strong class=\"event-imported\">Imported</strong> · markets")
        .assert_contains("paper form at the book fair")
        .assert_contains("2026-11")
        .assert_contains(&format!("/admin/subscribers/{id}/export.json"))
        .assert_contains(&format!("/admin/subscribers/{id}/erase"));
    let events = app.count("consent_events").await;
    assert_eq!(events, 2);
    let timeline = page
        .text
        .split("<ol class=\"timeline\">")
        .nth(1)
        .unwrap_or("");
    let timeline = timeline.split("</ol>").next().unwrap_or("");
    assert_eq!(timeline.matches("<li>").count() as i64, events);
    // Ledger rows keep the sign-up's evidence: the policy version and the user agent.
    assert!(
        timeline.contains("<dt>Policy version</dt><dd>2026-11</dd>"),
        "{timeline}"
    );

    browser
        .get(&format!("/admin/subscribers/{}", uuid::Uuid::now_v7()))
        .await
        .assert_status(404);
    browser
        .get("/admin/subscribers/not-an-id")
        .await
        .assert_status(404);
}

#[actix_web::test]
async fn the_gdpr_export_is_the_apis_json_as_a_download() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    sign_up(&app, "markets", "mei@example.org", "Mei Tan").await;
    let id = subscriber_id(&app, "mei@example.org").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let download = browser
        .get(&format!("/admin/subscribers/{id}/export.json"))
        .await;
    download.assert_status(200);
    assert_eq!(
        download.header("content-disposition"),
        Some(format!("attachment; filename=\"subscriber-{id}.json\"").as_str())
    );
    assert_eq!(download.header("cache-control"), Some("no-store"));
    let json: Value = serde_json::from_str(&download.text).expect("JSON");
    let api = app
        .get(&format!("/api/v1/subscribers/{id}/export"), &admin.token)
        .await;
    assert_eq!(json, api.body);
    assert_eq!(json["email"], "mei@example.org");
    assert_eq!(json["ledger"].as_array().map(Vec::len), Some(1));
}

#[actix_web::test]
async fn erasure_needs_the_address_typed_out_and_then_says_what_was_done() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    sign_up(&app, "markets", "mei@example.org", "Mei Tan").await;
    let id = subscriber_id(&app, "mei@example.org").await;
    let path = format!("/admin/subscribers/{id}/erase");
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let confirm = browser.get(&path).await;
    confirm
        .assert_status(200)
        .assert_contains("Type the address to confirm")
        .assert_contains("This cannot be undone.");
    let csrf = confirm.hidden("csrf");
    let kept = || async {
        let email: Option<String> =
            sqlx::query_scalar("select email from subscribers where id = $1")
                .bind(id)
                .fetch_one(&app.state.db)
                .await
                .expect("the subscriber");
        (
            email,
            app.count("subscriptions").await,
            app.count("suppressions").await,
        )
    };
    let before = kept().await;
    assert_eq!(before.0.as_deref(), Some("mei@example.org"));

    for wrong in ["", "mei@example.com", "mei"] {
        browser
            .post(&path, &[("csrf", &csrf), ("confirm", wrong)])
            .await
            .assert_status(422)
            .assert_contains("Nothing was erased")
            .assert_contains("is not the subscriber&#x27;s address: type it exactly to erase")
            .assert_contains("aria-invalid=\"true\"");
    }
    // Without the session's CSRF token: refused, nothing erased.
    browser
        .post(&path, &[("confirm", "mei@example.org")])
        .await
        .assert_status(403);
    assert_eq!(kept().await, before);

    let done = browser
        .post(&path, &[("csrf", &csrf), ("confirm", "  MEI@example.org ")])
        .await;
    done.assert_status(200)
        .assert_contains("The subscriber was erased")
        .assert_contains("never mailed again")
        .assert_lacks("mei@example.org");
    let after = kept().await;
    assert_eq!(after, (None, 0, before.2 + 1));
    let erased: i64 =
        sqlx::query_scalar("select count(*) from consent_events where action = 'erased'")
            .fetch_one(&app.state.db)
            .await
            .expect("the ledger");
    assert_eq!(erased, 1);
    browser
        .get(&format!("/admin/subscribers/{id}"))
        .await
        .assert_status(200)
        .assert_contains("<h1>Erased subscriber</h1>")
        .assert_contains("<strong class=\"event-erased\">Erased</strong>")
        .assert_lacks("mei@example.org");
    browser
        .get(&path)
        .await
        .assert_status(200)
        .assert_contains("already erased");
}

#[actix_web::test]
async fn hostile_names_and_addresses_are_escaped_on_every_subscriber_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let hostile = "<script>alert(1)</script>";
    sign_up(&app, "markets", "mei@example.org", hostile).await;
    let id = subscriber_id(&app, "mei@example.org").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csrf = browser
        .get("/admin/subscribers/import")
        .await
        .hidden("csrf");
    let file = "email,name,newsletter\n\"<img src=x onerror=alert(2)>\",x,markets\n";
    let (ct, body) = form(file.as_bytes(), "<b>.csv", "text/csv", &[("csrf", &csrf)]);
    let dry = browser
        .post_raw("/admin/subscribers/import", &ct, body)
        .await;
    let mut pages = vec![dry];
    for path in [
        "/admin/subscribers".to_owned(),
        format!("/admin/subscribers/{id}"),
        format!("/admin/subscribers/{id}/erase"),
    ] {
        pages.push(browser.get(&path).await);
    }
    pages[0].assert_contains("&lt;img src=x onerror=alert(2)&gt;");
    pages[1].assert_contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;");
    pages[2].assert_contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;");
    for page in pages {
        page.assert_status(200)
            .assert_lacks("<script>alert")
            .assert_lacks("<img src=x")
            .assert_lacks("<b>.csv");
    }
}
