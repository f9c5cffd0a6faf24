//! The sitemap, which becomes an index of pages above the page size.

use serde_json::json;

use super::locs;
use crate::helpers::TestApp;

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
