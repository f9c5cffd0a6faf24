//! The newsletter screens per role: the list and a new newsletter, its settings (bad input
//! said next to its field, nothing changed), its issues with their tallies; writers refused
//! every issue screen and editors the settings (403 pages, forged posts change nothing).

use newsroom::domain::Role;
use serde_json::json;

use super::Browser;
use crate::helpers::{id_str, TestApp};
use crate::subscriptions::newsletter;

#[actix_web::test]
async fn an_admin_creates_and_renames_a_newsletter_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let list = browser.get("/admin/newsletters").await;
    list.assert_status(200)
        .assert_contains("<a href=\"/admin/newsletters\">Newsletters</a>")
        .assert_contains("No newsletters yet.")
        .assert_contains("Create the newsletter");
    let csrf = list.hidden("csrf");

    let refused = browser
        .post(
            "/admin/newsletters",
            &[("csrf", &csrf), ("name", " "), ("slug", "")],
        )
        .await;
    refused
        .assert_status(422)
        .assert_contains("Nothing was created")
        .assert_contains("id=\"name-error\"")
        .assert_contains("aria-invalid=\"true\"");
    assert_eq!(app.count("newsletters").await, 0);

    browser
        .post(
            "/admin/newsletters",
            &[
                ("csrf", &csrf),
                ("name", "Weekly Digest"),
                ("slug", ""),
                ("description", "The week."),
            ],
        )
        .await
        .assert_redirect("/admin/newsletters/weekly-digest?created");
    browser
        .get("/admin/newsletters/weekly-digest?created")
        .await
        .assert_status(200)
        .assert_contains("The newsletter was created.")
        .assert_contains("No issues yet.")
        .assert_contains("Compose a new issue");
    browser
        .get("/admin/newsletters")
        .await
        .assert_contains("<a href=\"/admin/newsletters/weekly-digest\">Weekly Digest</a>");

    // A slug that is not one, a name left blank: said by their fields, nothing saved.
    let bad = browser
        .post(
            "/admin/newsletters/weekly-digest",
            &[
                ("csrf", &csrf),
                ("name", "Renamed"),
                ("slug", "Not a slug!"),
            ],
        )
        .await;
    bad.assert_status(422)
        .assert_contains("Nothing was saved")
        .assert_contains("id=\"slug-error\"")
        .assert_contains("value=\"Not a slug!\"");
    let stored = app
        .get("/api/v1/newsletters/weekly-digest", &admin.token)
        .await;
    stored.assert_status(200);
    assert_eq!(stored.body["name"], json!("Weekly Digest"));

    // A slug taken by another newsletter: a conflict, said above the form.
    newsletter(&app, "eastern-briefings").await;
    browser
        .post(
            "/admin/newsletters/weekly-digest",
            &[
                ("csrf", &csrf),
                ("name", "W"),
                ("slug", "eastern-briefings"),
            ],
        )
        .await
        .assert_status(409);

    browser
        .post(
            "/admin/newsletters/weekly-digest",
            &[
                ("csrf", &csrf),
                ("name", "Weekly Briefing"),
                ("slug", "weekly"),
                ("description", ""),
            ],
        )
        .await
        .assert_redirect("/admin/newsletters/weekly?saved");
    let stored = app.get("/api/v1/newsletters/weekly", &admin.token).await;
    assert_eq!(stored.body["name"], json!("Weekly Briefing"));
    assert_eq!(stored.body["description"], json!(null));
}

#[actix_web::test]
async fn writers_are_refused_issue_screens_and_editors_the_settings() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = id_str(&app.draft(&admin, &desk, "Floods in the delta").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    let issues = "/api/v1/newsletters/eastern-briefings/issues";
    app.post(
        issues,
        &admin.token,
        json!({"subject": "One", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    let base = "/admin/newsletters/eastern-briefings";

    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let stories = browser.get("/admin/stories").await;
    stories.assert_lacks("/admin/newsletters");
    let csrf = stories.hidden("csrf");
    // The service lets all staff read newsletters: the list, without a form or links.
    browser
        .get("/admin/newsletters")
        .await
        .assert_status(200)
        .assert_contains("Eastern Briefings")
        .assert_lacks("Create the newsletter")
        .assert_lacks(&format!("href=\"{base}\""));
    for path in [
        base.to_owned(),
        format!("{base}/issues/new"),
        format!("{base}/issues/1"),
        format!("{base}/issues/1/preview"),
        format!("{base}/issues/1/preview.html"),
        format!("{base}/issues/1/send"),
        format!("{base}/issues/1/progress"),
    ] {
        browser
            .get(&path)
            .await
            .assert_status(403)
            .assert_contains("You may not see or change newsletters and their issues.");
    }
    let forged: [(String, Vec<(&str, &str)>); 6] = [
        ("/admin/newsletters".into(), vec![("name", "Mine")]),
        (base.into(), vec![("name", "Mine"), ("slug", "mine")]),
        (
            format!("{base}/issues"),
            vec![("subject", "Mine"), ("article_ids", &story)],
        ),
        (format!("{base}/issues"), vec![("subject", " ")]),
        (
            format!("{base}/issues/1"),
            vec![("subject", "Mine"), ("article_ids", &story)],
        ),
        (format!("{base}/issues/1/send"), vec![]),
    ];
    for (path, fields) in forged {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields);
        browser.post(&path, &form).await.assert_status(403);
    }

    // Editors compose and send, but do not change the newsletter itself.
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let page = browser.get(base).await;
    page.assert_status(200)
        .assert_contains("<a href=\"/admin/newsletters\">Newsletters</a>")
        .assert_contains("One")
        .assert_lacks("id=\"n-name\"");
    let csrf = page.hidden("csrf");
    browser
        .post(base, &[("csrf", &csrf), ("name", "Mine"), ("slug", "mine")])
        .await
        .assert_status(403);
    browser
        .post(
            "/admin/newsletters",
            &[("csrf", &csrf), ("name", "Mine"), ("slug", "")],
        )
        .await
        .assert_status(403);

    assert_eq!(app.count("newsletters").await, 1);
    assert_eq!(app.count("newsletter_issues").await, 1);
    assert_eq!(app.count("issue_recipients").await, 0);
    let stored = app
        .get(
            "/api/v1/newsletters/eastern-briefings/issues/1",
            &admin.token,
        )
        .await;
    assert_eq!(stored.body["subject"], json!("One"));
    assert_eq!(stored.body["status"], json!("draft"));
}
