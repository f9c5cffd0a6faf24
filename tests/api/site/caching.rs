//! Pages a CDN may keep a minute: a strong ETag, `Last-Modified`, `Cache-Control: public,
//! max-age=60, stale-while-revalidate=…`, 304 to `If-None-Match`; the site's own CSP, which
//! runs no script; a takedown answers 404 at once.

use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn pages_carry_validators_and_a_short_public_cache_and_answer_304() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let story = app
        .published(&admin, &dawn, "Budget passes", json!({}))
        .await;
    for path in [
        "/",
        "/dawn",
        "/dawn/budget-passes",
        "/section/dawn-news",
        "/author/dawn-desk",
        "/search?q=budget",
    ] {
        let page = app.get_with(path, &[]).await;
        page.assert_status(200);
        assert_eq!(
            page.header("cache-control"),
            Some("public, max-age=60, stale-while-revalidate=300"),
            "{path}"
        );
        assert!(page.header("last-modified").is_some(), "{path}");
        let policy = page.header("content-security-policy").expect("a CSP");
        assert!(
            policy.contains("style-src 'self'") && !policy.contains("script-src"),
            "{path}: {policy}"
        );
        let etag = page.header("etag").expect("an ETag").to_owned();
        let again = app.get_with(path, &[("if-none-match", &etag)]).await;
        again.assert_status(304);
        assert_eq!(again.text, "", "{path}");
        assert_eq!(again.header("etag"), Some(etag.as_str()));
    }

    app.act(&admin.token, &id_str(&story), 2, "unpublish", None)
        .await
        .assert_status(200);
    let gone = app.get_with("/dawn/budget-passes", &[]).await;
    gone.assert_status(404);
    assert_eq!(gone.header("cache-control"), Some("no-store"));
}
