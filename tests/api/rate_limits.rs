//! Per-key rate limits on the syndication API: a burst, then 429 with Retry-After, recovery,
//! and one partner's burst leaving another's requests alone.

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
