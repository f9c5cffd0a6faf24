//! The OpenAPI document lists the public and feed routes.

use crate::helpers::TestApp;

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
        "/public/v1/sections/{section}/feed.json",
        "/public/v1/feed.atom",
        "/public/v1/feed.json",
        "/syndication/v1/feeds/{outlet}.atom",
        "/syndication/v1/feeds/{outlet}.json",
    ] {
        assert!(
            doc.body["paths"][path]["get"]["operationId"].is_string(),
            "{path}"
        );
    }
}
