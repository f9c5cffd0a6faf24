//! Drafting: a draft gets a derived slug (within the limit), rendered HTML without script
//! and an ETag; a body cannot set the fields the server owns.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_draft_is_created_with_a_derived_slug_rendered_html_and_an_etag() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let body = json!({"outlet_id": desk.outlet, "headline": "Trade talks resume in Jakarta", "body": "## Talks\n\nMinisters *met*.",
        "author_ids": [desk.author], "tags": ["ASEAN", "trade", "asean"]});
    let res = app.post("/api/v1/articles", &writer.token, body).await;
    res.assert_status(201);
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(res.body["slug"], json!("trade-talks-resume-in-jakarta"));
    assert_eq!(res.body["status"], json!("draft"));
    assert_eq!(res.body["version"], json!(1));
    assert_eq!(
        res.body["language"],
        json!("en"),
        "the outlet's language by default"
    );
    assert_eq!(res.body["tags"], json!(["asean", "trade"]));
    assert_eq!(
        res.body["body_html"],
        json!("<h2>Talks</h2>\n<p>Ministers <em>met</em>.</p>\n")
    );
    assert_eq!(res.body["allowed_actions"], json!(["submit"]));
    assert_eq!(res.body["created_by"], json!(writer.id));

    let again = app
        .post(
            "/api/v1/articles",
            &writer.token,
            json!({"outlet_id": desk.outlet, "headline": "Trade talks resume in Jakarta"}),
        )
        .await;
    assert_eq!(
        again.body["slug"],
        json!("trade-talks-resume-in-jakarta-2"),
        "derived slugs stay unique"
    );
    let taken = app.post("/api/v1/articles", &writer.token, json!({"outlet_id": desk.outlet, "headline": "Other", "slug": "trade-talks-resume-in-jakarta"})).await;
    taken.assert_problem(409);
    assert!(!taken.field_errors("slug").is_empty());
    let chinese = app.post("/api/v1/articles", &writer.token, json!({"outlet_id": desk.outlet, "headline": "中国经济稳步增长", "language": "zh-Hans"})).await;
    assert_eq!(chinese.body["slug"], json!("中国经济稳步增长"));
}

#[actix_web::test]
async fn script_never_survives_into_body_html() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let attacks = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<svg onload=alert(1)></svg>";
    let res = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "XSS", "body": attacks}),
        )
        .await;
    res.assert_status(201);
    let html = res.body["body_html"].as_str().unwrap().to_lowercase();
    for banned in ["<script", "onerror", "javascript:", "<svg", "onload"] {
        assert!(!html.contains(banned), "{banned} survived: {html}");
    }
    assert_eq!(
        res.body["body"],
        json!(attacks),
        "the Markdown source is kept verbatim"
    );
}

#[actix_web::test]
async fn a_body_cannot_set_status_version_ids_timestamps_or_outlet() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let other = app.newsroom(&admin, "the-star").await;
    let created = app.draft(&admin, &desk, "Story").await;
    let id = id_str(&created);
    let revisions_before = app.count("article_revisions").await;
    for (field, value) in [
        ("status", json!("published")),
        ("version", json!(9)),
        ("id", json!(uuid::Uuid::now_v7())),
        ("created_at", json!("2020-01-01T00:00:00Z")),
        ("published_at", json!("2020-01-01T00:00:00Z")),
        ("first_published_at", json!("2020-01-01T00:00:00Z")),
        ("outlet_id", json!(other.outlet)),
        ("created_by", json!(admin.id)),
        ("body_html", json!("<b>x</b>")),
    ] {
        let res = app
            .edit(
                &admin.token,
                &id,
                1,
                json!({"headline": "Changed", field: value}),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let create = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "X", "status": "published"}),
        )
        .await;
    create.assert_problem(422);
    let now = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    assert_eq!(now.body["headline"], json!("Story"));
    assert_eq!(now.body["version"], json!(1));
    assert_eq!(app.count("article_revisions").await, revisions_before);
}

#[actix_web::test]
async fn derived_slugs_of_long_headlines_stay_within_the_limit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let headline = "word ".repeat(40);
    let mut slugs = Vec::new();
    for _ in 0..3 {
        let res = app
            .post(
                "/api/v1/articles",
                &admin.token,
                json!({"outlet_id": desk.outlet, "headline": headline}),
            )
            .await;
        res.assert_status(201);
        slugs.push(res.body["slug"].as_str().unwrap().to_owned());
    }
    assert!(slugs.iter().all(|s| s.chars().count() <= 100), "{slugs:?}");
    assert!(
        slugs[1].ends_with("-2") && slugs[2].ends_with("-3"),
        "{slugs:?}"
    );
}

#[actix_web::test]
async fn a_derived_slug_fills_the_first_gap_and_is_found_past_the_first_batch_of_probes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    // `gap-story` and `gap-story-2` to `-70` but `-40`: more than one batch of 64 probes.
    for n in (1..=70).filter(|n| *n != 40) {
        let slug = if n == 1 {
            "gap-story".to_owned()
        } else {
            format!("gap-story-{n}")
        };
        let body = json!({"outlet_id": desk.outlet, "headline": "Other", "slug": slug});
        app.post("/api/v1/articles", &admin.token, body)
            .await
            .assert_status(201);
    }
    for expected in ["gap-story-40", "gap-story-71"] {
        let body = json!({"outlet_id": desk.outlet, "headline": "Gap story"});
        let res = app.post("/api/v1/articles", &admin.token, body).await;
        res.assert_status(201);
        assert_eq!(res.body["slug"], json!(expected), "{}", res.text);
    }
}

#[actix_web::test]
async fn a_slug_typed_in_nfc_or_nfd_is_one_slug_and_look_alikes_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let create =
        |slug: &str| json!({"outlet_id": desk.outlet, "headline": "Cafe culture", "slug": slug});
    let nfd = app
        .post(
            "/api/v1/articles",
            &admin.token,
            create("cafe\u{301}-culture"),
        )
        .await;
    nfd.assert_status(201);
    assert_eq!(
        nfd.body["slug"],
        json!("caf\u{e9}-culture"),
        "stored in NFC"
    );
    let nfc = app
        .post(
            "/api/v1/articles",
            &admin.token,
            create("caf\u{e9}-culture"),
        )
        .await;
    nfc.assert_problem(409);
    assert!(!nfc.field_errors("slug").is_empty(), "the same slug");

    let derived = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "Cafe\u{301} prices rise"}),
        )
        .await;
    assert_eq!(derived.body["slug"], json!("caf\u{e9}-prices-rise"));

    let before = app.count("articles").await;
    for look_alike in [
        "\u{ff54}\u{ff52}\u{ff41}\u{ff44}\u{ff45}",
        "p\u{430}ypal-results",
    ] {
        let res = app
            .post("/api/v1/articles", &admin.token, create(look_alike))
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors("slug").is_empty(), "{look_alike}");
    }
    assert_eq!(app.count("articles").await, before);
}
