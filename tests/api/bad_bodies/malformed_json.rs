//! Malformed JSON: deep nesting, invalid UTF-8 and lone surrogates are 400.

use actix_web::http::Method;

use super::footprint;
use crate::helpers::TestApp;

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
