//! HTTP caching of public answers: cache headers, and 304 to a matching ETag.

use serde_json::json;

use crate::helpers::{id_str, TestApp};

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
