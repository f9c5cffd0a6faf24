//! `HEAD` answers like `GET` without a body on every GET route (RFC 9110): the same status
//! and headers, `Content-Length` included, and nothing after them.

use actix_web::http::Method;
use serde_json::json;

use crate::helpers::{Res, TestApp};

/// Sends `path` as GET and as HEAD with the same headers and compares the answers.
#[track_caller]
fn assert_head_matches_get(path: &str, get: &Res, head: &Res) {
    assert_eq!(head.status, get.status, "{path}: {}", get.text);
    assert!(head.text.is_empty(), "{path}: HEAD carried a body");
    for name in [
        "content-type",
        "etag",
        "cache-control",
        "last-modified",
        "www-authenticate",
    ] {
        assert_eq!(head.header(name), get.header(name), "{path}: {name}");
    }
    if let Some(length) = get.header("content-length") {
        assert_eq!(length, get.text.len().to_string(), "{path}");
        assert_eq!(head.header("content-length"), Some(length), "{path}");
    }
}

#[actix_web::test]
async fn head_answers_like_get_without_a_body_on_every_get_route() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = app.published(&admin, &desk, "Heads up", json!({})).await;
    let (partner, key) = app.partner(&admin, json!({"name": "Head Partner"})).await;
    let doc = app.get_with("/api/openapi.json", &[]).await;
    let paths = doc.body["paths"].as_object().expect("paths").clone();
    let mut checked = 0;
    let mut ok = 0;
    for (template, item) in paths {
        if item.get("get").is_none() {
            continue;
        }
        // Real ids and slugs where the route names them, so most answers are 200s.
        let path = template
            .replace("{outlet}", "dawn")
            .replace("{section}", "dawn-news")
            .replace("{slug}", "heads-up")
            .replace("{key}", "dawn")
            .replace("{n}", "1")
            .replace("{key_id}", &uuid::Uuid::nil().to_string())
            .replace("{delivery_id}", &uuid::Uuid::nil().to_string())
            .replace("{number}", "1")
            .replace(
                "{id}",
                &if template.contains("/partners/") {
                    partner.to_string()
                } else {
                    story["id"].as_str().unwrap_or_default().to_owned()
                },
            );
        let headers: Vec<(&str, String)> = if path.starts_with("/syndication/") {
            vec![("x-api-key", key.clone())]
        } else {
            vec![("authorization", format!("Bearer {}", admin.token))]
        };
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let get = app.send(Method::GET, &path, &headers, None).await;
        let head = app.send(Method::HEAD, &path, &headers, None).await;
        assert_head_matches_get(&path, &get, &head);
        checked += 1;
        ok += usize::from(get.status.is_success());
    }
    assert!(checked >= 30, "only {checked} GET routes in the document");
    assert!(
        ok * 2 > checked,
        "most routes answered 200: {ok} of {checked}"
    );

    // And the routes CDNs and monitors look at, which must answer 200.
    for path in [
        "/public/v1/articles",
        "/public/v1/sitemap.xml",
        "/public/v1/sections/dawn-news/feed.atom",
        "/health/live",
        "/health/ready",
        "/api/openapi.json",
        "/api/docs/",
    ] {
        let get = app.send(Method::GET, path, &[], None).await;
        let head = app.send(Method::HEAD, path, &[], None).await;
        get.assert_status(200);
        assert_head_matches_get(path, &get, &head);
    }
    let feed = "/syndication/v1/feeds/dawn.atom";
    let get = app.syndication(&key, feed).await;
    get.assert_status(200);
    let head = app
        .send(Method::HEAD, feed, &[("x-api-key", &key)], None)
        .await;
    assert_head_matches_get(feed, &get, &head);
    // Conditional HEAD: the ETag of the GET gives a 304.
    let etag = get.header("etag").expect("an ETag").to_owned();
    let not_modified = app
        .send(
            Method::HEAD,
            feed,
            &[("x-api-key", &key), ("if-none-match", &etag)],
            None,
        )
        .await;
    not_modified.assert_status(304);
}

#[actix_web::test]
async fn head_on_a_route_without_get_is_still_405() {
    let app = TestApp::spawn().await;
    let res = app
        .send(Method::HEAD, "/api/v1/auth/login", &[], None)
        .await;
    assert_eq!(res.status.as_u16(), 405);
    assert!(res.text.is_empty());
}
