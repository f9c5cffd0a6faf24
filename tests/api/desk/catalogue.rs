//! The catalogue screens (outlets, the section tree, authors) per role: what each offers,
//! the services' refusals of forged posts with nothing changed, bad input next to its field
//! with the text kept, deletes that ask first, and hostile text escaped.

use newsroom::domain::Role;
use serde_json::json;

use super::{Browser, Page};
use crate::helpers::TestApp;

const LINK: &str = "href=\"/admin/outlets\">Catalogue</a>";

/// The id in a `Location` such as `/admin/outlets/{id}?saved`.
#[track_caller]
fn created_id(page: &Page, prefix: &str) -> String {
    page.assert_status(303);
    let to = page.header("location").expect("a location");
    let rest = to.strip_prefix(prefix).expect("the prefix");
    rest.split('?').next().expect("an id").to_owned()
}

#[actix_web::test]
async fn an_admin_creates_edits_and_deletes_an_outlet_after_confirming() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let list = boss.get("/admin/stories").await;
    list.assert_contains(LINK);
    let page = boss.get("/admin/outlets").await;
    page.assert_status(200)
        .assert_contains("method=\"post\" action=\"/admin/outlets\"")
        .assert_contains("No outlets yet.");
    let csrf = page.hidden("csrf");
    let created = boss
        .post(
            "/admin/outlets",
            &[
                ("csrf", &csrf),
                ("name", "Karachi Daily"),
                ("slug", ""),
                ("country", "PK"),
                ("language", "ur"),
                ("timezone", "Asia/Karachi"),
                ("website", ""),
                ("description", ""),
            ],
        )
        .await;
    let id = created_id(&created, "/admin/outlets/");
    let stored = app
        .get(&format!("/api/v1/outlets/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["slug"], json!("karachi-daily"));
    assert_eq!(stored.body["timezone"], json!("Asia/Karachi"));

    let edit = boss.get(&format!("/admin/outlets/{id}?saved")).await;
    edit.assert_status(200)
        .assert_contains("Saved.")
        .assert_contains("value=\"Asia&#x2f;Karachi\"");
    boss.post(
        &format!("/admin/outlets/{id}"),
        &[
            ("csrf", &csrf),
            ("name", "Karachi Evening"),
            ("slug", "karachi-evening"),
            ("country", "PK"),
            ("language", "en"),
            ("timezone", "UTC"),
            ("website", "https://evening.example"),
            ("description", "An evening paper."),
        ],
    )
    .await
    .assert_redirect(&format!("/admin/outlets/{id}?saved"));
    let stored = app
        .get(&format!("/api/v1/outlets/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["name"], json!("Karachi Evening"));
    assert_eq!(stored.body["website"], json!("https://evening.example"));

    let ask = boss.get(&format!("/admin/outlets/{id}/delete")).await;
    ask.assert_status(200)
        .assert_contains("Delete the outlet “Karachi Evening”?")
        .assert_contains(&format!(
            "action=\"&#x2f;admin&#x2f;outlets&#x2f;{id}&#x2f;delete\""
        ));
    assert_eq!(app.count("outlets").await, 1, "asking deletes nothing");
    boss.post(&format!("/admin/outlets/{id}/delete"), &[("csrf", &csrf)])
        .await
        .assert_redirect("/admin/outlets?deleted");
    assert_eq!(app.count("outlets").await, 0);
}

#[actix_web::test]
async fn bad_outlet_input_is_422_next_to_its_field_with_the_text_kept() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.outlet(&admin, "dawn").await;
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let csrf = boss.get("/admin/outlets").await.hidden("csrf");
    let form = |tz: &'static str, slug: &'static str| {
        vec![
            ("name", "Tide Times"),
            ("slug", slug),
            ("country", "SG"),
            ("language", "en"),
            ("timezone", tz),
            ("website", ""),
            ("description", "Kept text"),
        ]
    };
    let mut bad_zone = form("Mars/Olympus", "tide");
    bad_zone.push(("csrf", &csrf));
    let page = boss.post("/admin/outlets", &bad_zone).await;
    page.assert_status(422)
        .assert_contains("id=\"timezone-error\"")
        .assert_contains("must be an IANA time zone name")
        .assert_contains("aria-describedby=\"timezone-error\"")
        .assert_contains("value=\"Mars&#x2f;Olympus\"")
        .assert_contains("value=\"Tide Times\"")
        .assert_contains(">Kept text</textarea>");
    let mut taken = form("UTC", "dawn");
    taken.push(("csrf", &csrf));
    boss.post("/admin/outlets", &taken)
        .await
        .assert_status(422)
        .assert_contains("is already taken by another outlet");
    assert_eq!(app.count("outlets").await, 1, "nothing was created");
}

#[actix_web::test]
async fn an_outlet_in_use_is_not_deleted_and_the_page_says_why() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let csrf = boss.get("/admin/outlets").await.hidden("csrf");
    let path = format!("/admin/outlets/{}/delete", dawn.outlet);
    boss.post(&path, &[("csrf", &csrf)])
        .await
        .assert_status(409)
        .assert_contains(
            "Not deleted: the outlet is in use (members, authors or articles refer to it).",
        );
    assert_eq!(app.count("outlets").await, 1);
}

#[actix_web::test]
async fn a_writer_has_no_catalogue_link_and_every_forged_catalogue_post_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let stories = browser.get("/admin/stories").await;
    stories.assert_status(200).assert_lacks(LINK);
    let csrf = stories.hidden("csrf");
    // Reading is the services' to allow (everyone signed in); no form is offered.
    browser
        .get("/admin/outlets")
        .await
        .assert_status(200)
        .assert_contains("The dawn")
        .assert_lacks("method=\"post\" action=\"/admin/outlets\"");
    browser
        .get("/admin/sections")
        .await
        .assert_status(200)
        .assert_lacks("method=\"post\" action=\"/admin/sections\"");
    browser
        .get("/admin/authors")
        .await
        .assert_status(200)
        .assert_lacks("method=\"post\" action=\"/admin/authors\"")
        .assert_lacks(&format!("/admin/authors/{}", dawn.author));
    for page in [
        format!("/admin/outlets/{}", dawn.outlet),
        format!("/admin/sections/{}/delete", dawn.section),
        format!("/admin/authors/{}", dawn.author),
    ] {
        browser
            .get(&page)
            .await
            .assert_status(403)
            .assert_contains("Not allowed");
    }
    let outlet = [
        ("csrf", csrf.as_str()),
        ("name", "Forged"),
        ("country", "SG"),
        ("language", "en"),
        ("timezone", "UTC"),
    ];
    let section = [
        ("csrf", csrf.as_str()),
        ("name", "Forged"),
        ("slug", "forged"),
    ];
    let author = [
        ("csrf", csrf.as_str()),
        ("name", "Forged"),
        ("slug", "forged"),
        ("outlet_id", &dawn.outlet.to_string()),
        ("bio", "Forged"),
    ];
    let forged: Vec<(String, &[(&str, &str)])> = vec![
        ("/admin/outlets".into(), &outlet),
        (format!("/admin/outlets/{}", dawn.outlet), &outlet),
        (format!("/admin/outlets/{}/delete", dawn.outlet), &outlet),
        ("/admin/sections".into(), &section),
        (format!("/admin/sections/{}", dawn.section), &section),
        (format!("/admin/sections/{}/delete", dawn.section), &section),
        ("/admin/authors".into(), &author),
        (format!("/admin/authors/{}", dawn.author), &author),
        (format!("/admin/authors/{}/delete", dawn.author), &author),
    ];
    for (path, form) in forged {
        let page = browser.post(&path, form).await;
        assert_eq!(page.status.as_u16(), 403, "{path}: {}", page.text);
    }
    let outlet = app
        .get(&format!("/api/v1/outlets/{}", dawn.outlet), &admin.token)
        .await;
    assert_eq!(outlet.body["name"], json!("The dawn"));
    let section = app
        .get(&format!("/api/v1/sections/{}", dawn.section), &admin.token)
        .await;
    assert_eq!(section.body["name"], json!("News"));
    let author = app
        .get(&format!("/api/v1/authors/{}", dawn.author), &admin.token)
        .await;
    assert_eq!(author.body["name"], json!("Desk"));
    for (table, rows) in [("outlets", 1), ("sections", 1), ("authors", 1)] {
        assert_eq!(app.count(table).await, rows, "{table} unchanged");
    }
}

#[actix_web::test]
async fn catalogue_posts_without_the_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    for path in [
        "/admin/outlets".to_owned(),
        format!("/admin/sections/{}", dawn.section),
        format!("/admin/authors/{}/delete", dawn.author),
    ] {
        boss.post(
            &path,
            &[("name", "No token"), ("country", "SG"), ("language", "en")],
        )
        .await
        .assert_status(403)
        .assert_contains("This form was not sent from a desk page");
    }
    assert_eq!(app.count("outlets").await, 1);
    assert_eq!(app.count("authors").await, 1);
    let section = app
        .get(&format!("/api/v1/sections/{}", dawn.section), &admin.token)
        .await;
    assert_eq!(section.body["name"], json!("News"));
}
