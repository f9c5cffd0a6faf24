//! Rotating a partner's webhook secret: the new secret is shown once, and during the overlap
//! both secrets sign every delivery, so the partner's receiver can switch without a miss.

use chrono::Duration;
use newsroom::webhooks::{signature, Worker};
use serde_json::json;

use super::{partner_with_hook, publish, Receiver, SECRET};
use crate::helpers::TestApp;

#[actix_web::test]
async fn a_rotated_secret_is_shown_once_and_both_secrets_sign_during_the_overlap() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "rotation-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let path = format!("/api/v1/partners/{partner}/webhooks/rotate-secret");

    let rotated = app
        .post(&path, &admin.token, json!({"overlap_hours": 2}))
        .await;
    rotated.assert_status(200);
    assert_eq!(rotated.header("cache-control"), Some("no-store"));
    let new_secret = rotated.body["webhook_secret"].as_str().unwrap().to_owned();
    assert!(new_secret.starts_with("whsec_") && new_secret != SECRET);
    let until = app.clock.now() + Duration::hours(2);
    assert_eq!(rotated.body["previous_secret_valid_until"], json!(until));
    let shown = app
        .get(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await;
    assert!(!shown.text.contains(&new_secret) && !shown.text.contains(SECRET));
    let audit = app
        .get(
            "/api/v1/audit?action=partner.rotate_webhook_secret",
            &admin.token,
        )
        .await;
    assert!(
        audit.text.contains("partner.rotate_webhook_secret"),
        "{}",
        audit.text
    );
    assert!(!audit.text.contains(&new_secret) && !audit.text.contains(SECRET));

    // During the overlap: one delivery, signed by both secrets.
    let worker = Worker::new(&app.state.config).unwrap();
    publish(&app, &admin, &desk, "Signed twice").await;
    worker.run_once(&app.state).await.unwrap();
    let now = app.clock.now().timestamp();
    let first = &receiver.received()[0];
    assert_eq!(
        first.signature.matches("v1=").count(),
        2,
        "{}",
        first.signature
    );
    for secret in [new_secret.as_str(), SECRET] {
        assert!(
            signature::verify(secret, &first.signature, &first.body, now, 300),
            "{secret}"
        );
    }

    // After the overlap: the new secret alone.
    app.clock.advance(Duration::hours(2) + Duration::seconds(1));
    publish(&app, &admin, &desk, "Signed once").await;
    worker.run_once(&app.state).await.unwrap();
    let now = app.clock.now().timestamp();
    let got = receiver.received();
    let second = got.last().unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(second.signature.matches("v1=").count(), 1);
    assert!(signature::verify(
        &new_secret,
        &second.signature,
        &second.body,
        now,
        300
    ));
    assert!(!signature::verify(
        SECRET,
        &second.signature,
        &second.body,
        now,
        300
    ));
}

#[actix_web::test]
async fn a_chosen_secret_with_no_overlap_replaces_the_old_one_at_once_and_bad_rotations_change_nothing(
) {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start(0);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "rotation-daily").await;
    let partner = partner_with_hook(&app, &admin, &receiver.url, json!({})).await;
    let path = format!("/api/v1/partners/{partner}/webhooks/rotate-secret");

    for bad in [
        json!({"overlap_hours": 169}),
        json!({"webhook_secret": "too short"}),
        json!({"webhook_secret": "a\u{0}secret that is long"}),
        json!({"overlap": 1}),
    ] {
        app.post(&path, &admin.token, bad.clone())
            .await
            .assert_problem(422);
    }
    let nobody = format!(
        "/api/v1/partners/{}/webhooks/rotate-secret",
        uuid::Uuid::now_v7()
    );
    app.post(&nobody, &admin.token, json!({}))
        .await
        .assert_problem(404);
    let editor = app.user(newsroom::domain::Role::Editor, &[]).await;
    app.post(&path, &editor.token, json!({}))
        .await
        .assert_problem(403);

    let chosen = "whsec_chosen_by_the_admin";
    let rotated = app
        .post(
            &path,
            &admin.token,
            json!({"webhook_secret": chosen, "overlap_hours": 0}),
        )
        .await;
    rotated.assert_status(200);
    assert_eq!(rotated.body["webhook_secret"], chosen);
    assert_eq!(rotated.body["previous_secret_valid_until"], json!(null));

    let worker = Worker::new(&app.state.config).unwrap();
    publish(&app, &admin, &desk, "New secret only").await;
    worker.run_once(&app.state).await.unwrap();
    let now = app.clock.now().timestamp();
    let got = &receiver.received()[0];
    assert_eq!(got.signature.matches("v1=").count(), 1);
    assert!(signature::verify(
        chosen,
        &got.signature,
        &got.body,
        now,
        300
    ));
    assert!(!signature::verify(
        SECRET,
        &got.signature,
        &got.body,
        now,
        300
    ));
}
