//! The password-hashing budget (`auth::hash_budget`): a storm of logins beyond it is
//! answered 429 with `Retry-After`, before any database work; a login within it is served.

use std::time::Duration;

use newsroom::config::HashingBudget;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::metrics::Listener;

#[actix_web::test]
async fn a_storm_beyond_the_hashing_budget_gets_429_with_retry_after_and_a_login_within_it_works() {
    // 1 % of a core and 100 ms of burst: about 5 logins at once after a quiet spell (each is
    // charged ~2 s of wall time), and no queue.
    let app = TestApp::spawn_with(|config| {
        config.hashing = HashingBudget {
            percent_of_a_core: 1,
            burst: Duration::from_millis(100),
            queue: Duration::ZERO,
        }
    })
    .await;
    let metrics = Listener::start(&app);
    let user = app.user(Role::Writer, &[]).await;
    app.login(&user.email, PASSWORD).await.assert_status(200);

    let emails: Vec<String> = (0..10).map(|n| format!("storm-{n}@test.example")).collect();
    let storm = emails.iter().map(|email| app.login(email, PASSWORD));
    let answers = futures_util::future::join_all(storm).await;
    let refused: Vec<_> = answers
        .iter()
        .filter(|a| a.status.as_u16() == 429)
        .collect();
    let refused_count = refused.len();
    let verified = answers.iter().filter(|a| a.status.as_u16() == 401).count();
    assert_eq!(refused.len() + verified, 10);
    assert!(refused.len() >= 5, "{} of 10 refused", refused.len());
    for answer in refused {
        answer.assert_problem(429);
        assert_eq!(answer.body["type"], json!("/problems/too-many-requests"));
        let retry: u64 = answer.header("retry-after").unwrap().parse().unwrap();
        assert!(retry >= 1, "{retry}");
    }
    let scrape = metrics.scrape(&app).await;
    let refusals = scrape.value("newsroom_requests_refused_total", &[("limit", "hashing")]);
    assert_eq!(refusals, refused_count as f64);
}
