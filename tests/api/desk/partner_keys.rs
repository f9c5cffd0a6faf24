//! A partner's API keys on the desk, listed fifty at a time, newest first, with an "Older
//! keys" link.

use serde_json::json;

use super::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn a_partners_keys_are_listed_fifty_at_a_time_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (id, _) = app.partner(&admin, json!({"name": "Wire"})).await;
    for _ in 0..50 {
        app.post(
            &format!("/api/v1/partners/{id}/keys"),
            &admin.token,
            json!({}),
        )
        .await
        .assert_status(201);
    }
    let oldest: String = sqlx::query_scalar("select prefix from api_keys order by id limit 1")
        .fetch_one(&app.state.db)
        .await
        .expect("the oldest key");
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let rows = |text: &str| text.matches("<td data-label=\"Expires\">").count();
    let first = browser.get(&format!("/admin/partners/{id}")).await;
    first.assert_status(200).assert_lacks(&oldest);
    assert_eq!(rows(&first.text), 50);
    let older = first
        .text
        .split("<a href=\"")
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| part.split('"').next())
        .expect("an older-keys link")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    let rest = browser.get(&older).await;
    rest.assert_status(200)
        .assert_contains(&oldest)
        .assert_contains("The newest keys")
        .assert_lacks("rel=\"next\"");
    assert_eq!(rows(&rest.text), 1);
    browser
        .get(&format!("/admin/partners/{id}?keys=nope"))
        .await
        .assert_status(422)
        .assert_contains("is not a cursor this list handed out");
}
