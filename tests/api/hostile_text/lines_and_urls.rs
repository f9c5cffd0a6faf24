//! Single-line fields refuse line breaks and control characters (they would reach email
//! headers and plain-text bodies), a URL with markup in it is refused, and a URL stored raw
//! before that rule is still escaped in every XML output.

use serde_json::json;

use super::footprint;
use crate::helpers::TestApp;
use crate::public::locs;

const BROKEN_LINES: &[&str] = &[
    "Dawn\r\nBcc: victim@example.org",
    "Dawn\nSecond line",
    "Dawn\u{1b}[31m",
    "Dawn\u{2028}Second",
];

#[actix_web::test]
async fn line_breaks_and_control_characters_in_single_line_fields_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    crate::subscriptions::newsletter(&app, "eastern-briefings").await;
    let before = footprint(&app).await;
    for bad in BROKEN_LINES {
        let attempts = [
            (
                "/api/v1/outlets",
                json!({"slug": "o", "name": bad, "country": "PK", "language": "en"}),
                "name",
            ),
            (
                "/api/v1/sections",
                json!({"slug": "s", "name": bad}),
                "name",
            ),
            ("/api/v1/partners", json!({"name": bad}), "name"),
            (
                "/api/v1/users",
                json!({"email": "u@test.example", "display_name": bad, "role": "writer", "password": "long enough password"}),
                "display_name",
            ),
            (
                "/api/v1/articles",
                json!({"outlet_id": desk.outlet, "headline": bad, "body": "B"}),
                "headline",
            ),
            (
                "/api/v1/articles",
                json!({"outlet_id": desk.outlet, "headline": "H", "body": "B", "tags": [bad]}),
                "tags",
            ),
            (
                "/api/v1/newsletters/eastern-briefings/issues",
                json!({"subject": bad, "article_ids": []}),
                "subject",
            ),
        ];
        for (path, body, field) in attempts {
            let res = app.post(path, &admin.token, body).await;
            res.assert_problem(422);
            assert!(
                !res.field_errors(field).is_empty(),
                "{path} {field}={bad:?}: {}",
                res.body
            );
        }
        let res = app
            .call(
                actix_web::http::Method::POST,
                "/public/v1/newsletters/eastern-briefings/subscribe",
                None,
                Some(json!({"email": "reader@example.org", "name": bad, "consent": true, "policy_version": "2026-01"})),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors("name").is_empty(), "{}", res.body);
    }
    assert_eq!(footprint(&app).await, before, "nothing was written");
    // Fields that hold text blocks keep their line breaks.
    let author = app
        .post(
            "/api/v1/authors",
            &admin.token,
            json!({"slug": "two-lines", "name": "Two Lines", "bio": "First line.\nSecond line.", "outlet_id": desk.outlet}),
        )
        .await;
    author.assert_status(201);
    assert_eq!(author.body["bio"], "First line.\nSecond line.");
}

#[actix_web::test]
async fn a_canonical_url_with_markup_or_spaces_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let before = app.count("articles").await;
    for bad in [
        "https://dawn.example/a<b",
        "https://dawn.example/\"><script>alert(1)</script>",
        "https://dawn.example/a b",
        "not a url",
    ] {
        let res = app
            .post(
                "/api/v1/articles",
                &admin.token,
                json!({"outlet_id": desk.outlet, "headline": "H", "body": "B", "canonical_url": bad}),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors("canonical_url").is_empty(), "{bad}");
    }
    assert_eq!(app.count("articles").await, before);
}

#[actix_web::test]
async fn a_url_stored_raw_before_the_rule_is_escaped_in_the_sitemap_and_the_atom_feed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = app.published(&admin, &desk, "Legacy", json!({})).await;
    let raw = r#"https://dawn.example/a?b=1&c=<2>"x"'y"#;
    sqlx::query("update articles set canonical_url = $1 where id = $2::uuid")
        .bind(raw)
        .bind(story["id"].as_str().unwrap())
        .execute(&app.state.db)
        .await
        .unwrap();

    let sitemap = app.get_with("/public/v1/sitemap.xml", &[]).await;
    sitemap.assert_status(200);
    assert!(!sitemap.text.contains("<2>"), "{}", sitemap.text);
    assert_eq!(locs(&sitemap.text), [raw]);

    let feed = app
        .get_with("/public/v1/sections/dawn-news/feed.atom", &[])
        .await;
    feed.assert_status(200);
    let parsed = atom_syndication::Feed::read_from(feed.text.as_bytes()).expect("well-formed Atom");
    assert_eq!(parsed.entries()[0].links()[0].href(), raw);
}
