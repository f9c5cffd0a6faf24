//! Bad request lines: invalid UTF-8 and NUL in paths and query strings are 4xx.

use serde_json::json;

use super::{assert_client_error, footprint, raw};
use crate::helpers::TestApp;

#[actix_web::test]
async fn invalid_utf8_and_nul_in_paths_and_queries_are_4xx() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    app.published(&admin, &desk, "A story", json!({})).await;
    let before = footprint(&app).await;
    for path in [
        "/api/v1/outlets/%FF%FE",
        "/api/v1/outlets/%00",
        "/api/v1/outlets/dawn%00",
        "/api/v1/sections/%C0%AF",
        "/api/v1/authors/%00",
        "/api/v1/newsletters/%00",
        "/api/v1/articles/%00",
        "/public/v1/outlets/%00/articles/%00",
        "/public/v1/outlets/dawn/articles/%FF",
        "/public/v1/authors/%00",
        "/public/v1/sections/%00/feed.atom",
        "/public/v1/newsletters/%00/latest",
    ] {
        let res = app.get(path, &admin.token).await;
        assert!(
            matches!(res.status.as_u16(), 400 | 404),
            "{path}: {}",
            res.text
        );
        res.assert_problem(res.status.as_u16());
    }
    for query in [
        "/api/v1/outlets?q=%00",
        "/api/v1/outlets?q=%FF",
        "/api/v1/sections?q=%00",
        "/api/v1/authors?q=%00",
        "/api/v1/users?q=%00",
        "/api/v1/partners?q=%00",
        "/api/v1/newsletters?q=%00",
        "/api/v1/subscribers?q=%00",
        "/api/v1/articles?q=%00",
        "/api/v1/articles?q=%FF%FE",
        "/api/v1/articles?tag=%00",
        "/api/v1/articles?language=%00",
        "/public/v1/articles?tag=%00",
        "/public/v1/articles?outlet=%00",
        "/public/v1/articles?section=%00",
        "/public/v1/articles?author=%00",
    ] {
        let res = app.get(query, &admin.token).await;
        assert!(
            res.status.is_success() || res.status.is_client_error(),
            "{query}: {} {}",
            res.status,
            res.text
        );
        if res.status.is_client_error() {
            res.assert_problem(res.status.as_u16());
        }
    }
    // Bytes no URL may hold, sent raw: the HTTP layer refuses them before any handler.
    let auth = format!("Authorization: Bearer {}", admin.token);
    for target in [
        &b"/api/v1/outlets/\xff\xfe"[..],
        b"/api/v1/outlets?q=\xc0\xaf",
        b"/api/v1/outlets/da wn",
    ] {
        let head = format!(
            "GET {} HTTP/1.1\r\n{auth}\r\nConnection: close",
            String::from_utf8_lossy(target)
        );
        let (status, text) = raw(&app, &head, Vec::new()).await;
        assert_client_error(status, &text);
    }
    assert_eq!(footprint(&app).await, before);
}
