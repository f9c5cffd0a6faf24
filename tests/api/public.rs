//! The public content API: the story list with filters and cursors, story pages, the
//! catalogue, the sitemap and HTTP caching. Visibility is in `visibility.rs`.

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{id_str, Desk, TestApp, TestUser};

/// The `<loc>` texts of a sitemap or sitemap index, read with an XML parser.
pub fn locs(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut loc) = (Vec::new(), None::<String>);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"loc" => loc = Some(String::new()),
            Event::Text(t) => {
                if let Some(loc) = loc.as_mut() {
                    loc.push_str(&String::from_utf8_lossy(&t));
                }
            }
            // Entity references (`&amp;`) come as events of their own.
            Event::GeneralRef(r) => {
                if let Some(loc) = loc.as_mut() {
                    loc.push_str(&format!("&{};", String::from_utf8_lossy(&r)));
                }
            }
            Event::End(e) if e.name().as_ref() == b"loc" => {
                let raw = loc.take().expect("inside <loc>");
                out.push(
                    quick_xml::escape::unescape(&raw)
                        .expect("valid escapes")
                        .into_owned(),
                );
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// Titles of an Atom feed's entries, parsed back with atom_syndication.
pub fn atom_titles(xml: &str) -> BTreeSet<String> {
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("a valid Atom feed");
    feed.entries()
        .iter()
        .map(|e| e.title().as_str().to_owned())
        .collect()
}

pub fn headlines(items: &Value) -> BTreeSet<String> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["headline"].as_str().expect("a headline").to_owned())
        .collect()
}

/// Creates a draft with `extra` fields; returns (id, slug).
pub async fn create(
    app: &TestApp,
    admin: &TestUser,
    desk: &Desk,
    headline: &str,
    extra: Value,
) -> (String, String) {
    let mut body = json!({
        "outlet_id": desk.outlet, "headline": headline, "standfirst": "A standfirst.",
        "body": "The body.", "section_id": desk.section, "author_ids": [desk.author],
        "tags": ["matrix"], "language": "en",
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let res = app.post("/api/v1/articles", &admin.token, body).await;
    res.assert_status(201);
    (
        id_str(&res.body),
        res.body["slug"].as_str().unwrap().to_owned(),
    )
}

#[actix_web::test]
async fn the_list_is_newest_first_filters_and_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let first = app
        .published(
            &admin,
            &dawn,
            "First",
            json!({"tags": ["trade"], "canonical_url": "https://dawn.example/first"}),
        )
        .await;
    app.clock.advance(Duration::minutes(5));
    app.published(&admin, &star, "Second", json!({"language": "ms"}))
        .await;
    app.clock.advance(Duration::minutes(5));
    app.published(&admin, &dawn, "Third", json!({})).await;

    let all = app.get_with("/public/v1/articles?limit=2", &[]).await;
    all.assert_status(200);
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["headline"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&all.body), ["Third", "Second"]);
    let next = all.body["next"].as_str().expect("a next cursor");
    let rest = app
        .get_with(&format!("/public/v1/articles?limit=2&cursor={next}"), &[])
        .await;
    assert_eq!(names(&rest.body), ["First"]);
    assert_eq!(rest.body["next"], Value::Null);

    let item = &rest.body["items"][0];
    assert_eq!(item["outlet"], "dawn");
    assert_eq!(item["slug"], "first");
    assert_eq!(
        item["section"],
        json!({"slug": "dawn-news", "name": "News"})
    );
    assert_eq!(
        item["authors"],
        json!([{"name": "Desk", "slug": "dawn-desk"}])
    );
    assert_eq!(item["tags"], json!(["trade"]));
    assert_eq!(item["canonical_url"], "https://dawn.example/first");
    assert_eq!(item["updated"], json!(false));
    for private in [
        "status",
        "version",
        "body",
        "body_html",
        "created_by",
        "outlet_id",
    ] {
        assert!(item.get(private).is_none(), "{private} is not public");
    }

    for (query, expected) in [
        ("outlet=dawn", vec!["Third", "First"]),
        (&format!("outlet={}", star.outlet), vec!["Second"]),
        ("section=the-star-news", vec!["Second"]),
        ("author=dawn-desk", vec!["Third", "First"]),
        ("tag=trade", vec!["First"]),
        ("language=ms", vec!["Second"]),
        ("outlet=dawn&tag=trade", vec!["First"]),
    ] {
        let res = app
            .get_with(&format!("/public/v1/articles?{query}"), &[])
            .await;
        res.assert_status(200);
        assert_eq!(names(&res.body), expected, "{query}");
    }

    // A correction moves published_at: the story comes first again, flagged as updated.
    let id = id_str(&first);
    app.clock.advance(Duration::minutes(5));
    app.edit(
        &admin.token,
        &id,
        2,
        json!({"body": "Fixed.", "correction_note": "A figure was wrong."}),
    )
    .await
    .assert_status(200);
    let after = app.get_with("/public/v1/articles", &[]).await;
    assert_eq!(names(&after.body), ["First", "Third", "Second"]);
    assert_eq!(after.body["items"][0]["updated"], json!(true));

    for field in ["outlet", "section", "author"] {
        let res = app
            .get_with(&format!("/public/v1/articles?{field}=nowhere"), &[])
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let bad = app
        .get_with("/public/v1/articles?cursor=not-a-cursor", &[])
        .await;
    bad.assert_problem(422);
    assert!(!bad.field_errors("cursor").is_empty());
    app.get_with("/public/v1/articles?limit=0", &[])
        .await
        .assert_problem(422);
    app.get_with("/public/v1/articles?status=draft", &[])
        .await
        .assert_problem(422);
}

#[actix_web::test]
async fn a_story_page_has_bios_corrections_translations_and_its_origin() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        json!({"bio": "Dawn's desk covers Pakistan."}),
    )
    .await
    .assert_status(200);
    let original = app
        .published(&admin, &dawn, "Budget passes", json!({}))
        .await;
    let id = id_str(&original);
    app.clock.advance(Duration::hours(1));
    let copy = app
        .published(
            &admin,
            &star,
            "Bajet diluluskan",
            json!({"language": "ms", "translation_of": id, "origin_outlet_id": dawn.outlet,
                   "origin_url": "https://dawn.example/budget"}),
        )
        .await;
    app.edit(
        &admin.token,
        &id,
        2,
        json!({"standfirst": "Late vote.", "correction_note": "The vote was late."}),
    )
    .await
    .assert_status(200);

    let page = app
        .get_with("/public/v1/outlets/dawn/articles/budget-passes", &[])
        .await;
    page.assert_status(200);
    let b = &page.body;
    assert_eq!(b["headline"], "Budget passes");
    assert_eq!(b["standfirst"], "Late vote.");
    assert_eq!(b["body_html"], "<p>The body of the story.</p>\n");
    assert_eq!(b["outlet"], json!({"slug": "dawn", "name": "The dawn"}));
    assert_eq!(
        b["authors"],
        json!([{"name": "Desk", "slug": "dawn-desk", "bio": "Dawn's desk covers Pakistan."}])
    );
    assert_eq!(b["corrections"][0]["note"], "The vote was late.");
    assert_eq!(b["updated"], json!(true));
    assert_ne!(b["first_published_at"], b["published_at"]);
    assert_eq!(
        b["translations"],
        json!([{"id": id_str(&copy), "language": "ms", "outlet": "the-star",
                "slug": "bajet-diluluskan", "headline": "Bajet diluluskan"}])
    );
    assert_eq!(b["origin"], Value::Null);

    let by_id = app
        .get_with(
            &format!(
                "/public/v1/outlets/{}/articles/bajet-diluluskan",
                star.outlet
            ),
            &[],
        )
        .await;
    by_id.assert_status(200);
    assert_eq!(by_id.body["translations"][0]["id"], json!(id));
    assert_eq!(
        by_id.body["origin"]["outlet"],
        json!({"slug": "dawn", "name": "The dawn"})
    );
    assert_eq!(by_id.body["origin"]["url"], "https://dawn.example/budget");
    assert_eq!(by_id.body["corrections"], json!([]));

    app.get_with("/public/v1/outlets/dawn/articles/bajet-diluluskan", &[])
        .await
        .assert_problem(404);
    app.get_with("/public/v1/outlets/nowhere/articles/budget-passes", &[])
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn outlets_sections_and_author_pages_show_public_fields_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.published(&admin, &dawn, "On the page", json!({})).await;
    let outlets = app.get_with("/public/v1/outlets", &[]).await;
    outlets.assert_status(200);
    assert_eq!(outlets.body["items"][0]["slug"], "dawn");
    assert_eq!(outlets.body["items"][0]["country"], "SG");
    assert!(outlets.body["items"][0].get("created_at").is_none());
    assert_eq!(outlets.body["next"], Value::Null);
    let sections = app.get_with("/public/v1/sections", &[]).await;
    sections.assert_status(200);
    assert_eq!(sections.body["items"][0]["slug"], "dawn-news");
    assert!(sections.body["items"][0].get("updated_at").is_none());

    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        json!({"bio": "About the desk."}),
    )
    .await
    .assert_status(200);
    let author = app.get_with("/public/v1/authors/dawn-desk", &[]).await;
    author.assert_status(200);
    assert_eq!(author.body["name"], "Desk");
    assert_eq!(author.body["bio"], "About the desk.");
    assert_eq!(
        author.body["outlet"],
        json!({"slug": "dawn", "name": "The dawn"})
    );
    assert_eq!(author.body["stories"][0]["headline"], "On the page");
    assert!(author.body.get("user_id").is_none());
    app.get_with(&format!("/public/v1/authors/{}", dawn.author), &[])
        .await
        .assert_status(200);
    app.get_with("/public/v1/authors/nobody", &[])
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn the_sitemap_becomes_an_index_of_pages_above_the_page_size() {
    let app = TestApp::spawn_with(|c| c.sitemap_page_size = 2).await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    app.published(
        &admin,
        &desk,
        "One",
        json!({"canonical_url": "https://dawn.example/one?a=1&b=2"}),
    )
    .await;
    app.published(&admin, &desk, "Two", json!({})).await;

    let small = app.get_with("/public/v1/sitemap.xml", &[]).await;
    small.assert_status(200);
    assert_eq!(
        small.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(small
        .text
        .contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(small.text.contains("&amp;b=2"), "escaped: {}", small.text);
    assert_eq!(
        locs(&small.text),
        [
            "https://dawn.example/one?a=1&b=2",
            "https://news.test/dawn/two"
        ]
    );
    assert!(small
        .text
        .contains("<lastmod>2026-03-02T09:00:00Z</lastmod>"));

    app.published(&admin, &desk, "Three", json!({})).await;
    let index = app.get_with("/public/v1/sitemap.xml", &[]).await;
    index.assert_status(200);
    assert!(index.text.contains("<sitemapindex"), "{}", index.text);
    assert_eq!(
        locs(&index.text),
        [
            "http://newsroom.test/public/v1/sitemap-1.xml",
            "http://newsroom.test/public/v1/sitemap-2.xml"
        ]
    );
    let mut all = Vec::new();
    for n in 1..=2 {
        let page = app
            .get_with(&format!("/public/v1/sitemap-{n}.xml"), &[])
            .await;
        page.assert_status(200);
        assert!(page.text.contains("<urlset"));
        all.extend(locs(&page.text));
    }
    assert_eq!(
        all,
        [
            "https://dawn.example/one?a=1&b=2",
            "https://news.test/dawn/two",
            "https://news.test/dawn/three"
        ]
    );
    for missing in ["sitemap-3.xml", "sitemap-0.xml", "sitemap-x.xml"] {
        app.get_with(&format!("/public/v1/{missing}"), &[])
            .await
            .assert_problem(404);
    }
}

#[actix_web::test]
async fn public_answers_carry_cache_headers_and_answer_304() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = app.published(&admin, &desk, "Cached", json!({})).await;
    let paths = [
        ("/public/v1/articles", true),
        ("/public/v1/outlets/dawn/articles/cached", true),
        ("/public/v1/outlets", true),
        ("/public/v1/sections", true),
        ("/public/v1/authors/dawn-desk", true),
        ("/public/v1/sections/dawn-news/feed.atom", true),
        ("/public/v1/sitemap.xml", true),
    ];
    for (path, modified) in paths {
        let first = app.get_with(path, &[]).await;
        first.assert_status(200);
        assert_eq!(
            first.header("cache-control"),
            Some("public, max-age=60, stale-while-revalidate=300"),
            "{path}"
        );
        let etag = first.header("etag").unwrap().to_owned();
        assert!(
            etag.starts_with('"') && !etag.starts_with("W/"),
            "{path}: {etag}"
        );
        assert_eq!(first.header("last-modified").is_some(), modified, "{path}");
        let again = app.get_with(path, &[("if-none-match", &etag)]).await;
        again.assert_status(304);
        assert!(again.text.is_empty(), "{path}");
        assert_eq!(again.header("etag"), Some(etag.as_str()));
    }
    let page = app
        .get_with("/public/v1/outlets/dawn/articles/cached", &[])
        .await;
    assert_eq!(
        page.header("last-modified"),
        Some("Mon, 02 Mar 2026 09:00:00 GMT")
    );
    let etag = page.header("etag").unwrap().to_owned();
    app.edit(
        &admin.token,
        &id_str(&story),
        2,
        json!({"standfirst": "Changed."}),
    )
    .await
    .assert_status(200);
    app.get_with(
        "/public/v1/outlets/dawn/articles/cached",
        &[("if-none-match", &etag)],
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn the_openapi_document_lists_the_public_and_feed_routes() {
    let app = TestApp::spawn().await;
    let doc = app.get_with("/api/openapi.json", &[]).await;
    doc.assert_status(200);
    for path in [
        "/public/v1/articles",
        "/public/v1/outlets/{outlet}/articles/{slug}",
        "/public/v1/sections",
        "/public/v1/outlets",
        "/public/v1/authors/{slug}",
        "/public/v1/sitemap.xml",
        "/public/v1/sitemap-{n}.xml",
        "/public/v1/sections/{section}/feed.atom",
        "/syndication/v1/feeds/{outlet}.atom",
        "/syndication/v1/feeds/{outlet}.json",
    ] {
        assert!(
            doc.body["paths"][path]["get"]["operationId"].is_string(),
            "{path}"
        );
    }
}

#[actix_web::test]
async fn a_cursor_holding_a_date_postgresql_cannot_store_is_a_client_error() {
    let app = TestApp::spawn().await;
    // PostgreSQL stores years from 4713 BC to 294276 AD.
    for at in ["-5000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z"] {
        let cursor = newsroom::domain::Cursor::encode(&(at, uuid::Uuid::nil()));
        let res = app
            .get_with(&format!("/public/v1/articles?cursor={cursor}"), &[])
            .await;
        assert!(
            res.status.is_client_error(),
            "{at}: {} {}",
            res.status,
            res.body
        );
    }
}
