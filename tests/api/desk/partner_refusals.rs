//! The partner screens refuse writers and editors: every screen a 403 page, and every forged
//! post changes nothing (the service decides; the desk shows its answer).

use newsroom::domain::Role;
use serde_json::json;
use uuid::Uuid;

use super::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn writers_and_editors_are_refused_every_partner_screen_and_forged_posts_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let (id, key) = app
        .partner(
            &admin,
            json!({"name": "Wire", "webhook_url": "https://hooks.example.com/in"}),
        )
        .await;
    let key_id: Uuid = sqlx::query_scalar("select id from api_keys")
        .fetch_one(&app.state.db)
        .await
        .expect("the key");
    let delivery = Uuid::now_v7();
    let partner = format!("/admin/partners/{id}");
    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[dawn]).await;
        let mut browser = Browser::signed_in(&app, &user.email).await;
        let stories = browser.get("/admin/stories").await;
        stories.assert_status(200).assert_lacks("/admin/partners");
        let csrf = stories.hidden("csrf");
        for path in [
            "/admin/partners".to_owned(),
            "/admin/partners?active=maybe".to_owned(),
            partner.clone(),
            format!("{partner}/deliveries"),
            format!("{partner}/deliveries?status=lost"),
            format!("{partner}/deliveries/{delivery}"),
            format!("{partner}/keys/{key_id}/revoke"),
        ] {
            browser
                .get(&path)
                .await
                .assert_status(403)
                .assert_contains("You may not see or change partners.");
        }
        let forged: [(String, Vec<(&str, &str)>); 7] = [
            (
                "/admin/partners".into(),
                vec![("name", "Mine"), ("webhook_url", "https://evil.example/")],
            ),
            ("/admin/partners".into(), vec![("name", " ")]),
            (
                partner.clone(),
                vec![("name", "Mine"), ("webhook_url", "https://evil.example/")],
            ),
            (format!("{partner}/keys"), vec![("expires_on", "")]),
            (format!("{partner}/keys/{key_id}/revoke"), vec![]),
            (
                format!("{partner}/webhook-secret"),
                vec![("overlap_hours", "0")],
            ),
            (format!("{partner}/deliveries/{delivery}/replay"), vec![]),
        ];
        for (path, fields) in forged {
            let mut form = vec![("csrf", csrf.as_str())];
            form.extend(fields);
            browser.post(&path, &form).await.assert_status(403);
        }
        browser
            .post(&format!("{partner}/webhooks/resume"), &[("csrf", &csrf)])
            .await
            .assert_status(403);
        browser
            .post(
                &format!("{partner}/webhooks/pause"),
                &[("csrf", &csrf), ("reason", "Mine")],
            )
            .await
            .assert_status(403);
    }
    assert_eq!(app.count("partners").await, 1);
    assert_eq!(app.count("api_keys").await, 1);
    let stored = app
        .get(&format!("/api/v1/partners/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["name"], json!("Wire"));
    assert!(
        stored.body["webhooks_paused_at"].is_null(),
        "a refused pause paused: {}",
        stored.body
    );
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    let audit = app
        .get(
            "/api/v1/audit?action=partner.rotate_webhook_secret",
            &admin.token,
        )
        .await;
    assert_eq!(audit.body["items"], json!([]));
}
