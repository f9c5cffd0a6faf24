//! The SSRF guard: webhook URLs may not reach the internal network, when stored or when sent.

use newsroom::webhooks::Worker;
use serde_json::json;

use super::{publish, Receiver};
use crate::helpers::TestApp;

#[actix_web::test]
async fn webhook_urls_may_not_reach_the_internal_network() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = false).await;
    let admin = app.admin().await;
    for url in [
        "https://127.0.0.1/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://10.0.0.7/hooks",
        "https://localhost/hooks",
        "http://hooks.example.com/plain-http",
        "https://[64:ff9b:1::a00:7]/hooks",
        "https://[2002:a00:7::1]/hooks",
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks",
        "https://[3fff::1]/hooks",
        "https://192.88.99.1/hooks",
    ] {
        let res = app
            .post(
                "/api/v1/partners",
                &admin.token,
                json!({"name": "SSRF", "webhook_url": url}),
            )
            .await;
        res.assert_problem(422);
        assert!(
            !res.field_errors("webhook_url").is_empty(),
            "{url}: {}",
            res.body
        );
    }
    // A URL stored while private addresses were allowed is still refused when sending.
    let receiver = Receiver::start(0);
    let partner = app
        .partner(
            &admin,
            json!({"name": "Fine", "webhook_url": "https://hooks.example.com/in"}),
        )
        .await
        .0;
    sqlx::query("update partners set webhook_url = $2 where id = $1")
        .bind(partner)
        .bind(&receiver.url)
        .execute(&app.state.db)
        .await
        .unwrap();
    let desk = app.newsroom(&admin, "ssrf-daily").await;
    publish(&app, &admin, &desk, "Should not leave").await;
    let worker = Worker::new(&app.state.config).unwrap();
    let pass = worker.run_once(&app.state).await.unwrap();
    assert_eq!(pass.failed_attempts, 1);
    assert!(
        receiver.received().is_empty(),
        "the worker reached a loopback address"
    );
    let list = app
        .get(
            &format!("/api/v1/partners/{partner}/deliveries"),
            &admin.token,
        )
        .await;
    let error = list.body["items"][0]["last_error"].as_str().unwrap();
    assert!(error.contains("refused"), "{error}");
}
