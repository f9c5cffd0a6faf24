//! Oversized bodies: 413 whether the length is declared, lied about or chunked, and a
//! compressed bomb refused without being inflated.

use std::io::Write;

use actix_web::http::Method;

use super::{assert_client_error, footprint, raw};
use crate::helpers::TestApp;

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
