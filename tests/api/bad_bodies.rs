//! Hostile request bodies and request lines: oversized (declared, undeclared, chunked),
//! compressed bombs, deep nesting, invalid UTF-8 and huge arrays. Each is a clear 4xx and
//! changes nothing; none is a 5xx, a panic or a memory blow-up.

use std::io::Write;

use actix_web::http::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::TestApp;

/// Rows a bad body could have created.
async fn footprint(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("outlets").await,
        app.count("articles").await,
        app.count("audit_entries").await,
    )
}

/// Sends `head` (request line and headers, without the blank line) and `body` over a raw
/// connection, as a client that ignores the server hanging up mid-body would, and returns
/// the status code and whatever followed it. Used where awc would refuse to send the
/// malformed request or give up on a write error before reading the answer.
async fn raw(app: &TestApp, head: &str, body: Vec<u8>) -> (u16, String) {
    let addr = app.url("/");
    let addr = addr
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let stream = TcpStream::connect(&addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let mut request = format!("{head}\r\nHost: {addr}\r\n\r\n").into_bytes();
    request.extend_from_slice(&body);
    let sender = tokio::spawn(async move {
        for chunk in request.chunks(64 * 1024) {
            if writer.write_all(chunk).await.is_err() {
                break;
            }
        }
        writer
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
        let text = String::from_utf8_lossy(&answer);
        if let Some((headers, rest)) = text.split_once("\r\n\r\n") {
            let length = headers
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if rest.len() >= length {
                break;
            }
        }
    }
    sender.abort();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

#[track_caller]
fn assert_client_error(status: u16, text: &str) {
    assert!((400..500).contains(&status), "{status}: {text}");
}

#[actix_web::test]
async fn a_body_beyond_the_limit_is_413_whether_its_length_is_declared_or_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let body = format!(
        "{{\"name\": \"{}\", \"country\": \"PK\", \"language\": \"en\"}}",
        "x".repeat(3 * 1024 * 1024)
    )
    .into_bytes();
    let auth = format!("Authorization: Bearer {}", admin.token);

    // Declared: refused from the header, before the body is read.
    let (status, text) = raw(
        &app,
        &format!(
            "POST /api/v1/outlets HTTP/1.1\r\n{auth}\r\nContent-Type: application/json\r\nContent-Length: {}",
            body.len()
        ),
        body.clone(),
    )
    .await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("application/problem+json"), "{text}");

    // A lie: a small declared length followed by far more bytes is one small (bad) body.
    let (status, text) = raw(
        &app,
        &format!("POST /api/v1/outlets HTTP/1.1\r\n{auth}\r\nContent-Type: application/json\r\nContent-Length: 10\r\nConnection: close"),
        body.clone(),
    )
    .await;
    assert_client_error(status, &text);

    // Undeclared: chunked transfer encoding, counted while it streams in.
    let mut chunked = Vec::new();
    for piece in body.chunks(8 * 1024) {
        write!(chunked, "{:x}\r\n", piece.len()).unwrap();
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, text) = raw(
        &app,
        &format!("POST /api/v1/outlets HTTP/1.1\r\n{auth}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"),
        chunked,
    )
    .await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("application/problem+json"), "{text}");

    // Articles take the same limit.
    let article = format!(
        "{{\"headline\": \"x\", \"body\": \"{}\"}}",
        "y".repeat(2 << 20)
    );
    app.call_raw(
        Method::POST,
        "/api/v1/articles",
        Some(&admin.token),
        Some("application/json"),
        article.into_bytes(),
    )
    .await
    .assert_problem(413);
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn a_gzip_bomb_is_refused_without_being_inflated() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    // 64 MiB of JSON in ~64 KiB: inflating it would blow far past the 1 MiB limit.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"{\"name\": \"").unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&block).unwrap();
    }
    gz.write_all(b"\", \"country\": \"PK\", \"language\": \"en\"}")
        .unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1 << 20, "the bomb itself fits the limit");
    for encoding in ["gzip", "deflate", "br", "zstd", "gzip, gzip"] {
        let res = app
            .call_with_raw_headers(
                "/api/v1/outlets",
                &admin.token,
                &[
                    ("content-type", "application/json"),
                    ("content-encoding", encoding),
                ],
                bomb.clone(),
            )
            .await;
        res.assert_problem(415);
        assert!(res.body["detail"]
            .as_str()
            .unwrap()
            .contains("Content-Encoding"));
    }
    // `identity` is no encoding at all.
    let res = app
        .call_with_raw_headers(
            "/api/v1/outlets",
            &admin.token,
            &[
                ("content-type", "application/json"),
                ("content-encoding", "identity"),
            ],
            br#"{"slug": "dawn", "name": "Dawn", "country": "PK", "language": "en"}"#.to_vec(),
        )
        .await;
    res.assert_status(201);
    assert_eq!(app.count("outlets").await, before.0 + 1);
}

#[actix_web::test]
async fn deeply_nested_json_is_400() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let bodies = [
        "[".repeat(100_000),
        "{\"a\":".repeat(50_000),
        format!(
            "{{\"name\": {}1{}, \"country\": \"PK\", \"language\": \"en\"}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
        format!(
            "{{\"headline\": \"x\", \"tags\": {}\"a\"{}}}",
            "[".repeat(200),
            "]".repeat(200)
        ),
    ];
    for (path, body) in [
        "/api/v1/outlets",
        "/api/v1/outlets",
        "/api/v1/outlets",
        "/api/v1/articles",
    ]
    .into_iter()
    .zip(bodies)
    {
        let res = app
            .call_raw(
                Method::POST,
                path,
                Some(&admin.token),
                Some("application/json"),
                body.into_bytes(),
            )
            .await;
        assert!(
            matches!(res.status.as_u16(), 400 | 422),
            "{}: {}",
            res.status,
            res.text
        );
        res.assert_problem(res.status.as_u16());
    }
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn invalid_utf8_and_lone_surrogates_in_json_are_400() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let before = footprint(&app).await;
    let mut invalid = b"{\"name\": \"Da".to_vec();
    invalid.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    invalid.extend_from_slice(b"wn\", \"country\": \"PK\", \"language\": \"en\"}");
    let overlong = b"{\"name\": \"\xc0\xaf\", \"country\": \"PK\", \"language\": \"en\"}".to_vec();
    let surrogate = br#"{"name": "\ud800", "country": "PK", "language": "en"}"#.to_vec();
    let bom =
        b"\xef\xbb\xbf{\"name\": \"Dawn\", \"country\": \"PK\", \"language\": \"en\"}".to_vec();
    for body in [invalid, overlong, surrogate, bom] {
        let res = app
            .call_raw(
                Method::POST,
                "/api/v1/outlets",
                Some(&admin.token),
                Some("application/json"),
                body,
            )
            .await;
        res.assert_problem(400);
    }
    assert_eq!(footprint(&app).await, before);
}

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

#[actix_web::test]
async fn huge_arrays_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let before = footprint(&app).await;
    let many_authors: Vec<String> = (0..20_000)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let same_author = vec![desk.author.to_string(); 20_000];
    let many_tags: Vec<String> = (0..50_000).map(|i| format!("t{i}")).collect();
    let cases = [
        ("author_ids", json!({"author_ids": many_authors})),
        ("author_ids", json!({"author_ids": same_author})),
        ("tags", json!({"tags": many_tags})),
    ];
    for (field, extra) in cases {
        let mut body = json!({"outlet_id": desk.outlet, "headline": "Huge", "body": "b", "section_id": desk.section});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let res = app.post("/api/v1/articles", &admin.token, body).await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let many_outlets: Vec<String> = (0..20_000)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let res = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "a@b.example", "display_name": "A", "role": "writer", "password": "long enough password", "outlet_ids": many_outlets}),
        )
        .await;
    res.assert_problem(422);
    let res = app
        .post(
            "/api/v1/partners",
            &admin.token,
            json!({"name": "P", "outlet_ids": many_outlets}),
        )
        .await;
    res.assert_problem(422);
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn ten_thousand_character_slugs_and_over_long_fields_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let before = footprint(&app).await;
    let long = "a".repeat(10_000);
    let cases = [
        (
            "/api/v1/sections",
            "slug",
            json!({"slug": long, "name": "N"}),
        ),
        ("/api/v1/sections", "name", json!({"name": long})),
        (
            "/api/v1/authors",
            "slug",
            json!({"slug": long, "name": "N"}),
        ),
        (
            "/api/v1/authors",
            "name",
            json!({"slug": "a", "name": long}),
        ),
        (
            "/api/v1/newsletters",
            "slug",
            json!({"slug": long, "name": "N"}),
        ),
        (
            "/api/v1/newsletters",
            "name",
            json!({"slug": "n", "name": long}),
        ),
        ("/api/v1/partners", "name", json!({"name": long})),
        (
            "/api/v1/outlets",
            "name",
            json!({"slug": "o", "name": long, "country": "PK", "language": "en"}),
        ),
        (
            "/api/v1/outlets",
            "website",
            json!({"slug": "o", "name": "O", "country": "PK", "language": "en", "website": format!("https://dawn.com/{long}")}),
        ),
        (
            "/api/v1/articles",
            "slug",
            json!({"outlet_id": desk.outlet, "slug": long, "headline": "H"}),
        ),
        (
            "/api/v1/articles",
            "headline",
            json!({"outlet_id": desk.outlet, "headline": long}),
        ),
        (
            "/api/v1/articles",
            "tags",
            json!({"outlet_id": desk.outlet, "headline": "H", "tags": [long]}),
        ),
        (
            "/api/v1/users",
            "display_name",
            json!({"email": "a@b.example", "display_name": long, "role": "writer", "password": "long enough password"}),
        ),
        (
            "/api/v1/users",
            "email",
            json!({"email": format!("{long}@b.example"), "display_name": "A", "role": "writer", "password": "long enough password"}),
        ),
    ];
    for (path, field, body) in cases {
        let res = app.post(path, &admin.token, body).await;
        res.assert_problem(422);
        assert!(
            !res.field_errors(field).is_empty(),
            "{path} {field}: {}",
            res.text
        );
    }
    // A 10,000-character slug in a path is simply no such resource.
    for path in [
        format!("/api/v1/outlets/{long}"),
        format!("/public/v1/outlets/dawn/articles/{long}"),
        format!("/public/v1/authors/{long}"),
    ] {
        app.get(&path, &admin.token).await.assert_problem(404);
    }
    assert_eq!(footprint(&app).await, before);
}
