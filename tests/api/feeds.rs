//! Partner feeds (Atom 1.0 and JSON Feed 1.1 per outlet, with an API key) and the public
//! section feed: valid documents with every field, entitlements, the 50-story cap and caching.

use atom_syndication::Feed;
use chrono::Duration;
use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn an_outlet_atom_feed_parses_back_with_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let older = app
        .published(
            &admin,
            &desk,
            "Rates & <prices>",
            json!({"tags": ["economy", "rates"], "canonical_url": "https://dawn.example/rates",
                   "body": "Rates **rose**."}),
        )
        .await;
    app.clock.advance(Duration::minutes(10));
    let newer = app.published(&admin, &desk, "Floods", json!({})).await;

    let res = app
        .syndication(&key, "/syndication/v1/feeds/dawn.atom")
        .await;
    res.assert_status(200);
    assert_eq!(
        res.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    assert_eq!(res.header("cache-control"), Some("private, max-age=60"));
    assert_eq!(
        res.header("last-modified"),
        Some("Mon, 02 Mar 2026 09:10:00 GMT")
    );
    let feed = Feed::read_from(res.text.as_bytes()).expect("valid Atom");
    assert_eq!(feed.title().as_str(), "The dawn");
    assert_eq!(feed.updated().to_rfc3339(), "2026-03-02T09:10:00+00:00");
    assert!(feed
        .links()
        .iter()
        .any(|l| l.rel() == "self"
            && l.href() == "http://newsroom.test/syndication/v1/feeds/dawn.atom"));
    let entries = feed.entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].id(),
        format!("urn:newsroom:article:{}", id_str(&newer))
    );
    assert_eq!(
        entries[0].links()[0].href(),
        "https://news.test/dawn/floods"
    );
    let e = &entries[1];
    assert_eq!(e.id(), format!("urn:newsroom:article:{}", id_str(&older)));
    assert_eq!(e.title().as_str(), "Rates & <prices>");
    assert_eq!(e.summary().map(|s| s.as_str()), Some("A standfirst."));
    let content = e.content().expect("content");
    assert_eq!(content.content_type(), Some("html"));
    assert_eq!(
        content.value(),
        Some("<p>Rates <strong>rose</strong>.</p>\n")
    );
    assert_eq!(e.authors()[0].name(), "Desk");
    let terms: Vec<(&str, Option<&str>)> = e
        .categories()
        .iter()
        .map(|c| (c.term(), c.label()))
        .collect();
    assert_eq!(
        terms,
        [
            ("dawn-news", Some("News")),
            ("economy", None),
            ("rates", None)
        ]
    );
    assert_eq!(e.links()[0].href(), "https://dawn.example/rates");
    assert_eq!(e.updated().to_rfc3339(), "2026-03-02T09:00:00+00:00");
    assert_eq!(
        e.published().map(|p| p.to_rfc3339()),
        Some("2026-03-02T09:00:00+00:00".into())
    );

    let by_id = app
        .syndication(&key, &format!("/syndication/v1/feeds/{}.atom", desk.outlet))
        .await;
    by_id.assert_status(200);
    assert_eq!(
        Feed::read_from(by_id.text.as_bytes())
            .unwrap()
            .entries()
            .len(),
        2
    );
}

#[actix_web::test]
async fn the_json_feed_has_the_required_fields() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let story = app
        .published(&admin, &desk, "Heat wave", json!({"tags": ["climate"]}))
        .await;
    let res = app
        .syndication(&key, "/syndication/v1/feeds/dawn.json")
        .await;
    res.assert_status(200);
    assert_eq!(res.header("content-type"), Some("application/feed+json"));
    let feed = &res.body;
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "The dawn");
    assert_eq!(
        feed["feed_url"],
        "http://newsroom.test/syndication/v1/feeds/dawn.json"
    );
    assert_eq!(feed["language"], "en");
    let item = &feed["items"][0];
    assert_eq!(
        item["id"],
        format!("urn:newsroom:article:{}", id_str(&story))
    );
    assert_eq!(item["title"], "Heat wave");
    assert_eq!(item["summary"], "A standfirst.");
    assert_eq!(item["content_html"], "<p>The body of the story.</p>\n");
    assert_eq!(item["url"], "https://news.test/dawn/heat-wave");
    assert_eq!(item["date_published"], "2026-03-02T09:00:00Z");
    assert_eq!(item["date_modified"], "2026-03-02T09:00:00Z");
    assert_eq!(item["authors"], json!([{"name": "Desk"}]));
    assert_eq!(item["tags"], json!(["News", "climate"]));
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn entitlements_hide_outlets_and_refuse_sections() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    app.published(&admin, &dawn, "From Dawn", json!({})).await;
    app.published(&admin, &star, "From The Star", json!({}))
        .await;
    let (_, dawn_only) = app
        .partner(
            &admin,
            json!({"name": "Dawn reader", "outlet_ids": [dawn.outlet]}),
        )
        .await;
    let (_, dawn_news) = app
        .partner(
            &admin,
            json!({"name": "Dawn news", "section_ids": [dawn.section]}),
        )
        .await;

    for ext in ["atom", "json"] {
        app.syndication(&dawn_only, &format!("/syndication/v1/feeds/dawn.{ext}"))
            .await
            .assert_status(200);
        app.syndication(&dawn_only, &format!("/syndication/v1/feeds/the-star.{ext}"))
            .await
            .assert_problem(404);
        app.syndication(&dawn_only, &format!("/syndication/v1/feeds/nowhere.{ext}"))
            .await
            .assert_problem(404);
        app.get_with(&format!("/syndication/v1/feeds/dawn.{ext}"), &[])
            .await
            .assert_problem(401);
        app.syndication(
            &dawn_news,
            &format!("/syndication/v1/feeds/dawn.{ext}?section=the-star-news"),
        )
        .await
        .assert_problem(403);
        let unknown = app
            .syndication(
                &dawn_news,
                &format!("/syndication/v1/feeds/dawn.{ext}?section=nowhere"),
            )
            .await;
        unknown.assert_problem(422);
        assert!(!unknown.field_errors("section").is_empty());
        app.syndication(
            &dawn_news,
            &format!("/syndication/v1/feeds/dawn.{ext}?since=x"),
        )
        .await
        .assert_problem(422);
    }
    // A section-entitled key sees only its sections, even in an outlet's feed.
    let star_feed = app
        .syndication(&dawn_news, "/syndication/v1/feeds/the-star.json")
        .await;
    star_feed.assert_status(200);
    assert_eq!(star_feed.body["items"], json!([]));
    let filtered = app
        .syndication(
            &dawn_news,
            &format!("/syndication/v1/feeds/dawn.json?section={}", dawn.section),
        )
        .await;
    filtered.assert_status(200);
    assert_eq!(filtered.body["items"][0]["title"], "From Dawn");
    let feed_id = |text: &str| Feed::read_from(text.as_bytes()).unwrap().id().to_owned();
    let by_slug = app
        .syndication(
            &dawn_news,
            "/syndication/v1/feeds/dawn.atom?section=dawn-news",
        )
        .await;
    let by_id = app
        .syndication(
            &dawn_news,
            &format!("/syndication/v1/feeds/dawn.atom?section={}", dawn.section),
        )
        .await;
    assert_eq!(
        feed_id(&by_slug.text),
        format!(
            "urn:newsroom:feed:outlet:{}:section:{}",
            dawn.outlet, dawn.section
        )
    );
    assert_eq!(feed_id(&by_id.text), feed_id(&by_slug.text));
}

#[actix_web::test]
async fn a_feed_holds_the_latest_fifty_and_answers_304() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    for n in 1..=51 {
        app.published(&admin, &desk, &format!("Story {n}"), json!({}))
            .await;
        app.clock.advance(Duration::minutes(1));
    }
    let json_feed = app
        .syndication(&key, "/syndication/v1/feeds/dawn.json")
        .await;
    let items = json_feed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["title"], "Story 51");
    assert_eq!(items[49]["title"], "Story 2");
    for path in [
        "/syndication/v1/feeds/dawn.atom",
        "/syndication/v1/feeds/dawn.json",
    ] {
        let first = app.syndication(&key, path).await;
        let etag = first.header("etag").unwrap().to_owned();
        assert!(!etag.starts_with("W/"));
        let again = app
            .get_with(path, &[("x-api-key", &key), ("if-none-match", &etag)])
            .await;
        again.assert_status(304);
        assert!(again.text.is_empty());
    }
}

#[actix_web::test]
async fn a_section_has_a_public_atom_feed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    app.published(&admin, &dawn, "In the section", json!({}))
        .await;
    app.published(&admin, &star, "Elsewhere", json!({})).await;
    let res = app
        .get_with("/public/v1/sections/dawn-news/feed.atom", &[])
        .await;
    res.assert_status(200);
    assert_eq!(
        res.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let feed = Feed::read_from(res.text.as_bytes()).expect("valid Atom");
    assert_eq!(feed.title().as_str(), "News");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["In the section"]);
    let by_id = app
        .get_with(
            &format!("/public/v1/sections/{}/feed.atom", dawn.section),
            &[],
        )
        .await;
    assert_eq!(by_id.text, res.text);
    app.get_with("/public/v1/sections/nowhere/feed.atom", &[])
        .await
        .assert_problem(404);
}
