//! The site is registered last and `/{outlet}` never answers for another area's first path
//! segment: the desk, the APIs, health, media and the assets answer as before, and their
//! unknown paths keep their own 404 (problem+json; the desk's HTML page under `/admin`).

use crate::desk::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn the_routes_of_other_areas_still_answer_as_before() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    browser.get("/").await.assert_status(200);
    browser.get("/admin").await.assert_redirect("/admin/login");
    browser
        .get("/admin/login")
        .await
        .assert_status(200)
        .assert_contains("Sign in");
    let css = newsroom::assets::url("desk.css");
    browser.get(&css).await.assert_status(200);
    let site_css = newsroom::assets::url("site.css");
    browser.get(&site_css).await.assert_status(200);
    app.get_with("/health/live", &[]).await.assert_status(200);
    app.get_with("/public/v1/articles", &[])
        .await
        .assert_status(200);
    app.get_with("/api/openapi.json", &[])
        .await
        .assert_status(200);
    // The desk answers its own unknown paths with its HTML problem page (since desk-editor).
    browser.get("/admin/nope").await.assert_status(404);
    for path in [
        "/api/nope",
        "/public/v1",
        "/public/nope",
        "/syndication/v1",
        "/media/nope",
        "/health/nope",
        "/assets",
        "/metrics",
    ] {
        let res = app.get_with(path, &[]).await;
        assert!(
            res.header("content-type")
                .is_some_and(|c| c.starts_with("application/problem+json")),
            "{path}: {:?} {}",
            res.header("content-type"),
            res.status
        );
    }
}
