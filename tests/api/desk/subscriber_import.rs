//! Importing subscribers from the desk: the upload's dry run changes nothing and reports
//! exactly what the real run then does (same tallies, same rows); the real run imports that
//! same file once; bad files (empty, not CSV, no header, too many rows, too big, none) are
//! refused with the message next to the file field and nothing changes. The API's
//! `?dry_run=true` answers the same report as the import that follows it.

use actix_web::http::Method;
use newsroom::subscribers::csv_import::MAX_ROWS;

use super::subscribers::{newsletters, sign_up};
use super::{Browser, Page};
use crate::helpers::TestApp;
use crate::media::form;

pub(super) const FILE: &[u8] = b"email,name,newsletter,consent_time,consent_source\n\
    ana@example.org,Ana,eastern-briefings,2026-01-05T10:00:00Z,paper form\n\
    bo@example.org,Bo,markets,,\n\
    not-an-address,Cy,markets,,\n\
    dee@example.org,Dee,gardening,,\n\
    bo@example.org,Bo,markets,,\n\
    mei@example.org,Mei,markets,,\n";

/// Rows of every table an import writes to.
pub(super) async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "subscribers",
        "subscriptions",
        "consent_events",
        "confirmation_tokens",
        "email_outbox",
        "suppressions",
    ] {
        out.push(app.count(table).await);
    }
    out
}

/// The report's tallies and rows as the page shows them (a dry run's "would be" aside).
pub(super) fn report(page: &Page) -> (String, String) {
    let between = |from: &str, to: &str| {
        let start = page.text.find(from).expect("the report") + from.len();
        let len = page.text[start..].find(to).expect("its end");
        page.text[start..start + len].to_owned()
    };
    (
        between("<dl class=\"facts tallies\">", "</dl>").replace(" would be", ""),
        between("<tbody>", "</tbody>"),
    )
}

#[actix_web::test]
async fn a_dry_run_changes_nothing_and_reports_what_the_real_run_then_does() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    sign_up(&app, "markets", "mei@example.org", "Mei Tan").await;
    // Mei has confirmed markets already: her row is skipped.
    sqlx::query("update subscriptions set status = 'confirmed'")
        .execute(&app.state.db)
        .await
        .expect("confirmed");
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let form_page = browser.get("/admin/subscribers/import").await;
    form_page
        .assert_status(200)
        .assert_contains("enctype=\"multipart/form-data\"")
        .assert_contains("Check the file (dry run)")
        .assert_contains("<progress id=\"upload-progress\"");
    let csrf = form_page.hidden("csrf");
    let before = counts(&app).await;

    let (ct, body) = form(FILE, "spring.csv", "text/csv", &[("csrf", &csrf)]);
    let dry = browser
        .post_raw("/admin/subscribers/import", &ct, body)
        .await;
    dry.assert_status(200)
        .assert_contains("Dry run of <strong>spring.csv</strong>")
        .assert_contains("Nothing has been changed yet.")
        .assert_contains("Import 2 rows")
        .assert_contains("<dt>Confirmed</dt><dd>1 would be subscribed at once")
        .assert_contains("<dt>Pending</dt><dd>1 would be sent the confirmation email")
        .assert_contains("<dt>Skipped</dt><dd>1 already confirmed")
        .assert_contains("<dt>Rejected</dt><dd>3,")
        .assert_contains("not a valid email address")
        .assert_contains("no newsletter `gardening`")
        .assert_contains("appear earlier in the file");
    assert_eq!(counts(&app).await, before, "the dry run changed something");
    assert_eq!(app.count("subscriber_imports").await, 1);

    let staged = dry
        .text
        .split("action=\"/admin/subscribers/import/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the import button")
        .to_owned();
    let run = format!("/admin/subscribers/import/{staged}");
    // Without the CSRF token nothing is imported.
    browser.post(&run, &[]).await.assert_status(403);
    assert_eq!(counts(&app).await, before);

    let real = browser.post(&run, &[("csrf", &csrf)]).await;
    real.assert_redirect(&run);
    let done = super::subscriber_import_run::wait_done(&mut browser, &run).await;
    done.assert_contains("spring.csv was imported: 2 of 6 rows.")
        .assert_lacks("Nothing has been changed yet.")
        .assert_contains("<progress id=\"import-bar\" max=\"6\" value=\"6\"")
        .assert_contains("<dd id=\"tally-confirmed\">1 subscribed at once")
        .assert_contains("<dd id=\"tally-pending\">1 sent the confirmation email")
        .assert_contains("<dd id=\"tally-skipped\">1 already confirmed")
        .assert_contains("<dd id=\"tally-rejected\">3,");
    assert_eq!(report(&done).1, report(&dry).1, "the rows' reports differ");
    let after = counts(&app).await;
    assert_eq!(after[0], before[0] + 2, "Ana and Bo are subscribers now");
    assert!(after[4] > before[4], "Bo gets the confirmation email");
    // The file is emptied once imported; sending the form again imports nothing again.
    let body: Option<Vec<u8>> = sqlx::query_scalar("select body from subscriber_imports")
        .fetch_one(&app.state.db)
        .await
        .expect("the staged file");
    assert_eq!(body, None);
    browser
        .post(&run, &[("csrf", &csrf)])
        .await
        .assert_status(409)
        .assert_contains("This file was imported already");
    assert_eq!(counts(&app).await, after);
    assert_eq!(app.count("subscriber_import_runs").await, 1);
}

#[actix_web::test]
async fn the_apis_dry_run_answers_the_report_of_the_import_that_follows() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let before = counts(&app).await;
    let import = |path: &'static str| {
        app.call_raw(
            Method::POST,
            path,
            Some(&admin.token),
            Some("text/csv"),
            FILE.to_vec(),
        )
    };
    let dry = import("/api/v1/subscribers/import?dry_run=true").await;
    dry.assert_status(200);
    assert_eq!(counts(&app).await, before);
    let real = import("/api/v1/subscribers/import").await;
    real.assert_status(200);
    assert_eq!(dry.body, real.body);
    assert_eq!(real.body["confirmed"], 1);
    assert_ne!(counts(&app).await, before);
}

#[actix_web::test]
async fn bad_files_are_refused_with_a_message_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csrf = browser
        .get("/admin/subscribers/import")
        .await
        .hidden("csrf");
    let before = counts(&app).await;
    let mut long = b"email,newsletter\n".to_vec();
    for n in 0..=MAX_ROWS {
        long.extend_from_slice(format!("r{n}@example.org,markets\n").as_bytes());
    }
    let mut huge = b"email,newsletter\n".to_vec();
    huge.resize(21 * 1024 * 1024, b'x');
    let cases: [(&[u8], &str, u16, &str); 6] = [
        (b"", "empty.csv", 422, "is empty"),
        (
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            "photo.png",
            422,
            "is not a CSV text file",
        ),
        (
            b"ana@example.org,markets\n",
            "no-header.csv",
            422,
            "needs a header row naming its columns, with an `email` column",
        ),
        (
            b"email,name\nana@example.org,Ana\n",
            "no-newsletter.csv",
            422,
            "needs a `newsletter` column",
        ),
        (
            &long,
            "long.csv",
            422,
            "has more than 100000 rows; split it",
        ),
        (&huge, "huge.csv", 413, "is larger than 20 MiB; split it"),
    ];
    for (file, name, status, message) in cases {
        let (ct, body) = form(file, name, "text/csv", &[("csrf", &csrf)]);
        browser
            .post_raw("/admin/subscribers/import", &ct, body)
            .await
            .assert_status(status)
            .assert_contains("Nothing was imported: see the message next to the file.")
            .assert_contains(message)
            .assert_contains("aria-describedby=\"i-file-hint file-error\"");
    }
    // No file part at all.
    let body = format!(
        "--newsroom-test-7d1f3a\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--newsroom-test-7d1f3a--\r\n"
    );
    browser
        .post_raw(
            "/admin/subscribers/import",
            crate::media::FORM,
            body.into_bytes(),
        )
        .await
        .assert_status(422)
        .assert_contains("choose a CSV file");
    assert_eq!(counts(&app).await, before);
    assert_eq!(app.count("subscriber_imports").await, 0);
}
