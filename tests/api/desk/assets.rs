//! The desk's embedded files: content-hashed URLs, immutable caching, the desk's CSP.

use newsroom::domain::Role;

use super::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn assets_are_served_immutable_under_their_hash() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Writer, &[]).await;
    let mut browser = Browser::signed_in(&app, &email).await;
    let page = browser.get("/admin/stories").await;
    let csp = page.header("content-security-policy").expect("a CSP");
    assert_eq!(
        csp,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    assert!(
        !page.text.contains("style=\""),
        "no inline style attributes"
    );
    assert!(!page.text.contains("<script>"), "no inline script");
    for name in ["desk.css", "desk.js", "htmx.min.js"] {
        let url = newsroom::assets::url(name);
        assert!(page.text.contains(&url), "{name} is linked");
        let res = browser.get(&url).await;
        res.assert_status(200);
        assert_eq!(
            res.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
    }
    let htmx = newsroom::assets::url("htmx.min.js");
    let zipped = awc::Client::default()
        .get(app.url(&htmx))
        .insert_header(("accept-encoding", "gzip"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        zipped
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    browser
        .get("/admin/assets/desk.000000000000.css")
        .await
        .assert_status(404);
}
