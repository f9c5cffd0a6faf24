//! The subscriber screens per role: the list (search by the start of an address or name,
//! filters by newsletter and state, older/newest pages), the CSV export, and writers and
//! editors refused on every subscriber screen (403 pages, forged posts change nothing).
//! One subscriber's page and erasure are in `subscriber.rs`, the import in
//! `subscriber_import.rs`.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;
use uuid::Uuid;

use super::{href, Browser};
use crate::helpers::{TestApp, TestUser};
use crate::media::form;

/// Creates the newsletters `eastern-briefings` and `markets`.
pub(super) async fn newsletters(app: &TestApp, admin: &TestUser) {
    for (slug, name) in [
        ("eastern-briefings", "Eastern Briefings"),
        ("markets", "Markets"),
    ] {
        app.post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": slug, "name": name}),
        )
        .await
        .assert_status(201);
    }
}

/// A reader signs up through the public API.
pub(super) async fn sign_up(app: &TestApp, newsletter: &str, email: &str, name: &str) {
    app.call_raw(
        Method::POST,
        &format!("/public/v1/newsletters/{newsletter}/subscribe"),
        None,
        Some("application/json"),
        json!({"email": email, "name": name, "consent": true, "policy_version": "2026-11"})
            .to_string()
            .into_bytes(),
    )
    .await
    .assert_status(202);
}

/// The id of the subscriber with `email`.
pub(super) async fn subscriber_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from subscribers where email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .expect("the subscriber")
}

#[actix_web::test]
async fn an_admin_searches_filters_and_pages_subscribers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    sign_up(&app, "eastern-briefings", "mei@example.org", "Mei Tan").await;
    sign_up(&app, "markets", "mei@example.org", "Mei Tan").await;
    sign_up(&app, "markets", "ravi@example.org", "Ravi Kumar").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;

    let all = browser.get("/admin/subscribers").await;
    all.assert_status(200)
        .assert_contains("<a href=\"/admin/subscribers\">Subscribers</a>")
        .assert_contains("mei@example.org")
        .assert_contains("ravi@example.org")
        .assert_contains("eastern-briefings: pending; markets: pending")
        .assert_contains(&href("/admin/subscribers/export.csv"))
        .assert_contains(&href("/admin/subscribers/import"))
        .assert_lacks("rel=\"next\"");
    // The start of the address or of the name, in any case.
    browser
        .get("/admin/subscribers?q=RAVI")
        .await
        .assert_status(200)
        .assert_contains("ravi@example.org")
        .assert_lacks("mei@example.org");
    browser
        .get("/admin/subscribers?q=mei+t")
        .await
        .assert_contains("mei@example.org")
        .assert_lacks("ravi@example.org");
    browser
        .get("/admin/subscribers?q=example")
        .await
        .assert_contains("No subscribers match.");
    browser
        .get("/admin/subscribers?newsletter=eastern-briefings")
        .await
        .assert_contains("mei@example.org")
        .assert_lacks("ravi@example.org")
        .assert_contains("<option value=\"eastern-briefings\" selected>");
    browser
        .get("/admin/subscribers?newsletter=markets&status=confirmed")
        .await
        .assert_status(200)
        .assert_contains("No subscribers match.");
    // Bad filters: a 422 page with the field's message, nothing listed.
    browser
        .get("/admin/subscribers?status=gone")
        .await
        .assert_status(422)
        .assert_contains("is not one of the choices")
        .assert_contains("aria-describedby=\"status-error\"")
        .assert_lacks("mei@example.org");
    browser
        .get("/admin/subscribers?newsletter=nothing")
        .await
        .assert_status(422)
        .assert_contains("names no newsletter")
        .assert_lacks("mei@example.org");
    browser
        .get("/admin/subscribers?cursor=broken")
        .await
        .assert_status(422)
        .assert_contains("The link to this page is broken");

    // 60 more readers: 50 on the first page, then the older ones and a link back.
    let now = app.clock.now();
    for n in 0..60 {
        sqlx::query(
            "insert into subscribers (id, email, created_at, updated_at) values ($1, $2, $3, $3)",
        )
        .bind(Uuid::now_v7())
        .bind(format!("reader{n:02}@example.net"))
        .bind(now)
        .execute(&app.state.db)
        .await
        .expect("a reader");
    }
    let first = browser.get("/admin/subscribers?q=reader").await;
    first
        .assert_status(200)
        .assert_contains("reader59@example.net");
    assert_eq!(first.text.matches("@example.net</a>").count(), 50);
    let marker = "<a href=\"";
    let next = first
        .text
        .split(marker)
        .find(|s| s.contains("rel=\"next\""))
        .and_then(|s| s.split('"').next())
        .expect("an older page")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    assert!(next.contains("q=reader"), "{next}");
    let older = browser.get(&next).await;
    older
        .assert_status(200)
        .assert_contains("reader00@example.net")
        .assert_lacks("reader59@example.net")
        .assert_contains("The newest subscribers")
        .assert_lacks("rel=\"next\"");
    assert_eq!(older.text.matches("@example.net</a>").count(), 10);
}

#[actix_web::test]
async fn the_csv_export_downloads_every_subscription() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    sign_up(&app, "markets", "=cmd@example.org", "Eve").await;
    sign_up(&app, "eastern-briefings", "mei@example.org", "Mei Tan").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csv = browser.get("/admin/subscribers/export.csv").await;
    csv.assert_status(200)
        .assert_contains("subscriber_id,email,name,newsletter,status")
        .assert_contains("mei@example.org,Mei Tan,eastern-briefings,pending,2026-11")
        .assert_contains("'=cmd@example.org");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"subscribers.csv\"")
    );
    assert_eq!(csv.text.lines().count(), 3);
}

#[actix_web::test]
async fn writers_and_editors_are_refused_every_subscriber_screen_and_forged_posts_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    newsletters(&app, &admin).await;
    sign_up(&app, "markets", "mei@example.org", "Mei Tan").await;
    let id = subscriber_id(&app, "mei@example.org").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    browser
        .get("/admin/stories")
        .await
        .assert_contains(&href("/admin/subscribers"));
    // A file staged by the admin, which no one else may import.
    let csrf = browser
        .get("/admin/subscribers/import")
        .await
        .hidden("csrf");
    let file = b"email,newsletter\nravi@example.org,markets\n";
    let (ct, body) = form(file, "list.csv", "text/csv", &[("csrf", &csrf)]);
    browser
        .post_raw("/admin/subscribers/import", &ct, body)
        .await
        .assert_status(200);
    let staged: Uuid = sqlx::query_scalar("select id from subscriber_imports")
        .fetch_one(&app.state.db)
        .await
        .expect("the staged file");
    let counts = (
        app.count("subscribers").await,
        app.count("consent_events").await,
    );

    let subscriber = format!("/admin/subscribers/{id}");
    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[dawn]).await;
        let mut browser = Browser::signed_in(&app, &user.email).await;
        let stories = browser.get("/admin/stories").await;
        stories
            .assert_status(200)
            .assert_lacks("/admin/subscribers");
        let csrf = stories.hidden("csrf");
        for path in [
            "/admin/subscribers".to_owned(),
            "/admin/subscribers?status=gone".to_owned(),
            "/admin/subscribers/export.csv".to_owned(),
            "/admin/subscribers/import".to_owned(),
            format!("/admin/subscribers/import/{staged}"),
            subscriber.clone(),
            format!("{subscriber}/export.json"),
            format!("{subscriber}/erase"),
        ] {
            browser
                .get(&path)
                .await
                .assert_status(403)
                .assert_contains("You may not see or change subscribers.")
                .assert_lacks("mei@example.org");
        }
        browser
            .post(
                &format!("{subscriber}/erase"),
                &[("csrf", &csrf), ("confirm", "mei@example.org")],
            )
            .await
            .assert_status(403);
        browser
            .post(
                &format!("/admin/subscribers/import/{staged}"),
                &[("csrf", &csrf)],
            )
            .await
            .assert_status(403);
        let (ct, body) = form(file, "list.csv", "text/csv", &[("csrf", &csrf)]);
        browser
            .post_raw("/admin/subscribers/import", &ct, body)
            .await
            .assert_status(403);
    }
    assert_eq!(
        (
            app.count("subscribers").await,
            app.count("consent_events").await
        ),
        counts
    );
    assert_eq!(app.count("subscriber_imports").await, 1);
    let stored = app
        .get(&format!("/api/v1/subscribers/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["email"], json!("mei@example.org"));
}
