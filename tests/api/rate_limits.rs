//! Per-key rate limits on the syndication API: a burst, then 429 with Retry-After, recovery,
//! and one partner's burst leaving another's requests alone.

use actix_web::http::Method;
use newsroom::config::Rate;
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn a_key_over_its_limit_gets_429_with_retry_after_and_recovers() {
    let app = TestApp::spawn_with(|c| {
        c.partner_rate = Rate {
            per_second: 2,
            burst: 3,
        }
    })
    .await;
    let admin = app.admin().await;
    let (_, greedy) = app.partner(&admin, json!({"name": "Greedy"})).await;
    let (_, polite) = app.partner(&admin, json!({"name": "Polite"})).await;
    let feed = "/syndication/v1/articles";

    for _ in 0..3 {
        app.syndication(&greedy, feed).await.assert_status(200);
    }
    let refused = app.syndication(&greedy, feed).await;
    refused.assert_problem(429);
    let wait: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("whole seconds");
    assert!((1..=2).contains(&wait), "Retry-After: {wait}");

    // Another partner is not slowed by the first one's burst.
    for _ in 0..3 {
        app.syndication(&polite, feed).await.assert_status(200);
    }
    // A bad key is a 401 whatever the limits.
    app.syndication("nr_live_not-a-key", feed)
        .await
        .assert_problem(401);

    actix_web::rt::time::sleep(std::time::Duration::from_secs(wait)).await;
    app.syndication(&greedy, feed).await.assert_status(200);
}

#[actix_web::test]
async fn the_public_api_limits_each_client_address() {
    let app = TestApp::spawn_with(|c| {
        c.public_rate = Rate {
            per_second: 1,
            burst: 2,
        };
        c.trust_forwarded = true;
    })
    .await;
    let as_client = |ip: &'static str| [("x-forwarded-for", ip)];
    for _ in 0..2 {
        app.get_with("/public/v1/outlets", &as_client("203.0.113.7"))
            .await
            .assert_status(200);
    }
    let refused = app
        .get_with("/public/v1/articles", &as_client("203.0.113.7"))
        .await;
    refused.assert_problem(429);
    assert_eq!(refused.header("retry-after"), Some("1"));
    // Another reader is not affected.
    app.get_with("/public/v1/outlets", &as_client("198.51.100.9"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_forged_forwarded_header_does_not_escape_the_limit_unless_trusted() {
    let app = TestApp::spawn_with(|c| {
        c.public_rate = Rate {
            per_second: 1,
            burst: 2,
        }
    })
    .await;
    for ip in ["203.0.113.1", "203.0.113.2"] {
        app.get_with("/public/v1/sections", &[("x-forwarded-for", ip)])
            .await
            .assert_status(200);
    }
    app.get_with("/public/v1/sections", &[("x-forwarded-for", "203.0.113.3")])
        .await
        .assert_problem(429);
}

#[actix_web::test]
async fn a_reader_pressing_a_button_too_often_gets_a_page_not_json() {
    let app = TestApp::spawn_with(|c| {
        c.public_rate = Rate {
            per_second: 1,
            burst: 1,
        }
    })
    .await;
    let press = |path: &'static str| {
        app.call_raw(
            Method::POST,
            path,
            None,
            Some("application/x-www-form-urlencoded"),
            b"token=nrsub_pressed-again".to_vec(),
        )
    };
    press("/public/v1/subscriptions/confirm")
        .await
        .assert_status(422);
    for path in [
        "/public/v1/subscriptions/confirm",
        "/public/v1/subscriptions/unsubscribe",
    ] {
        let refused = press(path).await;
        assert_eq!(refused.status.as_u16(), 429, "{path}");
        assert!(refused.header("retry-after").is_some());
        assert!(
            refused
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{path}: {:?}",
            refused.headers
        );
        assert!(
            refused.text.contains("Too many requests"),
            "{}",
            refused.text
        );
    }
    // A program posting JSON still gets its problem document.
    let json = app
        .call_raw(
            Method::POST,
            "/public/v1/subscriptions/confirm",
            None,
            Some("application/json"),
            br#"{"token":"nrsub_x"}"#.to_vec(),
        )
        .await;
    json.assert_problem(429);
}
