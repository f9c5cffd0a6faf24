//! Feed discovery: every page links the site-wide Atom feed and JSON Feed, a section's page
//! and its stories the section's two feeds first; every linked feed exists and lists the
//! public story (and only public stories).

use serde_json::json;

use crate::desk::Browser;
use crate::helpers::TestApp;

/// The `href`s of the page's `<link rel="alternate" type="…">` feed links, with their types.
fn feed_links(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in text.split("<link rel=\"alternate\" type=\"").skip(1) {
        let kind = part.split('"').next().unwrap_or_default().to_owned();
        let href = part
            .split("href=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .unwrap_or_default()
            .to_owned();
        out.push((kind, href));
    }
    out
}

#[actix_web::test]
async fn pages_link_the_feeds_that_exist_and_each_lists_the_public_stories() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.published(&admin, &dawn, "Budget passes", json!({}))
        .await;
    app.draft(&admin, &dawn, "Secret draft").await;
    let mut browser = Browser::new(&app);

    let front = super::get(&mut browser, "/").await;
    assert_eq!(
        feed_links(&front.text),
        vec![
            ("application/atom+xml".into(), "/public/v1/feed.atom".into()),
            (
                "application/feed+json".into(),
                "/public/v1/feed.json".into()
            ),
        ]
    );
    for path in ["/section/dawn-news", "/dawn/budget-passes"] {
        let page = super::get(&mut browser, path).await;
        let links = feed_links(&page.text);
        assert_eq!(
            links.first().map(|l| l.1.as_str()),
            Some("/public/v1/sections/dawn-news/feed.atom"),
            "{path}"
        );
        assert_eq!(
            links.get(1).map(|l| l.1.as_str()),
            Some("/public/v1/sections/dawn-news/feed.json"),
            "{path}"
        );
        assert_eq!(links.len(), 4, "{path}: {links:?}");
    }

    for (kind, href) in feed_links(&super::get(&mut browser, "/dawn/budget-passes").await.text) {
        let feed = app.get_with(&href, &[]).await;
        feed.assert_status(200);
        let ct = feed.header("content-type").unwrap_or_default().to_owned();
        assert!(ct.starts_with(&kind), "{href}: {ct}");
        assert!(feed.text.contains("Budget passes"), "{href}");
        assert!(!feed.text.contains("Secret draft"), "{href}");
        assert!(
            feed.text.contains("https://news.test/dawn/budget-passes"),
            "{href}"
        );
    }
    let json_feed = app.get_with("/public/v1/feed.json", &[]).await;
    assert_eq!(
        json_feed.body["version"],
        "https://jsonfeed.org/version/1.1"
    );
    assert_eq!(json_feed.body["title"], "Latest stories");
    assert!(json_feed.body["feed_url"]
        .as_str()
        .is_some_and(|u| u.ends_with("/public/v1/feed.json")));
    app.get_with("/public/v1/sections/nope/feed.json", &[])
        .await
        .assert_status(404);
}
