//! Hostile text served back: stories and newsletter issues escaped in every output (feeds,
//! sitemap, pages), and names escaped in subscription emails.

use serde_json::{json, Value};

use super::{footprint, PAYLOADS};
use crate::helpers::{id_str, TestApp, TestUser};

/// Every text construct of an Atom feed is plain text, and every HTML one (a reader renders
/// it) is free of scripts and event handlers once unescaped.
#[track_caller]
fn atom_is_safe(xml: &str) {
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("a valid Atom feed");
    assert!(!feed.entries().is_empty());
    for entry in feed.entries() {
        assert_eq!(entry.title().r#type, atom_syndication::TextType::Text);
        if let Some(summary) = entry.summary() {
            assert_eq!(summary.r#type, atom_syndication::TextType::Text);
        }
        if let Some(content) = entry.content() {
            if content.content_type() == Some("html") {
                let html = content.value().unwrap_or_default().to_lowercase();
                // Serialised attributes are always double-quoted.
                for bad in [
                    "<script",
                    " onerror=\"",
                    " onload=\"",
                    "=\"javascript:",
                    "<svg",
                    "<iframe",
                ] {
                    assert!(!html.contains(bad), "{bad} in {html}");
                }
            }
        }
    }
}

/// A published story whose every text field carries `payload` (or a plain stand-in where
/// the field refuses it), by `admin` in `outlet`.
async fn hostile_story(
    app: &TestApp,
    admin: &TestUser,
    desk: &crate::helpers::Desk,
    i: usize,
    payload: &str,
) -> Result<Value, String> {
    let body = json!({
        "outlet_id": desk.outlet, "slug": format!("story-{i}"), "headline": payload,
        "standfirst": payload, "body": payload, "section_id": desk.section,
        "author_ids": [desk.author], "tags": [payload],
    });
    let before = footprint(app).await;
    let res = app.post("/api/v1/articles", &admin.token, body).await;
    if res.status.as_u16() != 201 {
        res.assert_problem(422);
        assert_eq!(footprint(app).await, before);
        return Err(res.text);
    }
    let stored = app
        .get(
            &format!("/api/v1/articles/{}", id_str(&res.body)),
            &admin.token,
        )
        .await;
    assert_eq!(stored.body["headline"], json!(payload.trim()));
    assert_eq!(stored.body["standfirst"], json!(payload.trim()));
    assert_eq!(stored.body["body"], json!(payload));
    assert_eq!(stored.body["tags"], json!([payload.trim().to_lowercase()]));
    let published = app
        .act(&admin.token, &id_str(&res.body), 1, "publish", None)
        .await;
    published.assert_status(200);
    let note = app
        .edit(
            &admin.token,
            &id_str(&res.body),
            2,
            json!({"correction_note": payload}),
        )
        .await;
    assert!(
        note.status.as_u16() == 200 || note.status.as_u16() == 422,
        "{}",
        note.text
    );
    Ok(published.body)
}

#[actix_web::test]
async fn hostile_text_in_stories_and_issues_is_served_escaped_everywhere() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Partner"})).await;
    let mut stories = Vec::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        match hostile_story(&app, &admin, &desk, i, payload).await {
            Ok(story) => stories.push(story["id"].clone()),
            // A headline is one line: control characters and line breaks are refused.
            Err(problem) => assert!(
                payload.chars().any(char::is_control),
                "{payload:?} refused: {problem}"
            ),
        }
    }
    // Markup never reaches an HTML or XML output unescaped; JSON outputs are JSON (served
    // with `nosniff`), so the text in them is data, not markup.
    let banned: &[&str] = &["<script", "<img", "<svg", "<iframe"];
    for path in [
        "/syndication/v1/feeds/dawn.atom",
        "/public/v1/sections/dawn-news/feed.atom",
        "/public/v1/sitemap.xml",
    ] {
        let out = if path.starts_with("/syndication") {
            app.syndication(&key, path).await
        } else {
            app.get_with(path, &[]).await
        };
        out.assert_status(200);
        let lower = out.text.to_lowercase();
        for b in banned {
            assert!(!lower.contains(b), "{b} in {path}: {}", out.text);
        }
        if path.ends_with(".atom") {
            atom_is_safe(&out.text);
        }
    }
    let atom = app
        .syndication(&key, "/syndication/v1/feeds/dawn.atom")
        .await;
    assert!(atom.text.contains("&lt;script&gt;"), "escaped, not dropped");
    for path in ["/syndication/v1/feeds/dawn.json", "/public/v1/articles"] {
        let out = if path.starts_with("/syndication") {
            app.syndication(&key, path).await
        } else {
            app.get_with(path, &[]).await
        };
        out.assert_status(200);
        assert!(out.header("content-type").unwrap_or("").contains("json"));
        assert_eq!(out.header("x-content-type-options"), Some("nosniff"));
        assert!(out.body.is_object(), "{path} is well-formed JSON");
    }

    // A newsletter issue with hostile subject and intro, and the page that shows it.
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings"}),
    )
    .await
    .assert_status(201);
    let mut last = 0;
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let body = json!({"subject": payload, "intro": payload, "article_ids": stories});
        let before = footprint(&app).await;
        let res = app
            .post(
                "/api/v1/newsletters/eastern-briefings/issues",
                &admin.token,
                body,
            )
            .await;
        if res.status.as_u16() != 201 {
            res.assert_problem(422);
            assert_eq!(footprint(&app).await, before, "{payload:?}");
            continue;
        }
        let number = res.body["number"].as_i64().unwrap();
        assert_eq!(res.body["subject"], json!(payload.trim()), "{i}");
        let preview = app
            .get(
                &format!("/api/v1/newsletters/eastern-briefings/issues/{number}/preview"),
                &admin.token,
            )
            .await;
        preview.assert_status(200);
        let html = preview.body["html"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        assert!(!html.is_empty(), "{}", preview.text);
        for b in banned {
            assert!(!html.contains(b), "{b} in {html}");
        }
        if payload.contains("{{") {
            assert!(
                html.contains("{{ 7 * 7 }}"),
                "templates in text are text: {html}"
            );
        }
        last = number;
    }
    app.post(
        &format!("/api/v1/newsletters/eastern-briefings/issues/{last}/send"),
        &admin.token,
        json!({}),
    )
    .await
    .assert_status(200);
    let page = app
        .get_with("/public/v1/newsletters/eastern-briefings/latest", &[])
        .await;
    page.assert_status(200);
    let lower = page.text.to_lowercase();
    for b in banned {
        assert!(!lower.contains(b), "{b} in {}", page.text);
    }
}

#[actix_web::test]
async fn hostile_names_reach_subscription_emails_escaped() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "briefings", "name": "<script>alert(1)</script> \"Briefings\" <img src=x onerror=alert(1)>"}),
    )
    .await
    .assert_status(201);
    for (i, payload) in PAYLOADS.iter().enumerate() {
        for field in ["name", "policy_version"] {
            let mut body = json!({"email": format!("r{i}-{field}@example.org"), "consent": true, "policy_version": "2026-11"});
            body[field] = json!(payload);
            let before = footprint(&app).await;
            let res = app
                .call_raw(
                    actix_web::http::Method::POST,
                    "/public/v1/newsletters/briefings/subscribe",
                    None,
                    Some("application/json"),
                    body.to_string().into_bytes(),
                )
                .await;
            if res.status.as_u16() != 202 {
                res.assert_problem(422);
                assert_eq!(footprint(&app).await, before, "{field}={payload:?}");
            }
        }
    }
    let bodies: Vec<String> = sqlx::query_scalar("select html_body from email_outbox")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert!(bodies.len() >= PAYLOADS.len(), "the emails are queued");
    for html in bodies {
        let lower = html.to_lowercase();
        for bad in ["<script", "<img"] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
        assert!(
            lower.contains("&lt;script&gt;"),
            "the newsletter name is escaped: {html}"
        );
    }
}
