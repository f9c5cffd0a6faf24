//! One-click unsubscribe: it takes effect at once and suppresses the address.

use actix_web::http::Method;
use serde_json::json;
use uuid::Uuid;

use super::{confirmation_link, ledger, newsletter, post_json, sign_up, status};
use crate::helpers::TestApp;

#[actix_web::test]
async fn one_click_unsubscribe_takes_effect_at_once_and_suppresses_the_address() {
    let app = TestApp::spawn().await;
    let briefings = newsletter(&app, "eastern-briefings").await;
    sign_up(&app, "eastern-briefings", "leaving@example.org")
        .await
        .assert_status(202);
    let (token, _) = confirmation_link(&app, "leaving@example.org").await;
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    let subscriber: Uuid =
        sqlx::query_scalar("select id from subscribers where email = 'leaving@example.org'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let mut conn = app.state.db.acquire().await.unwrap();
    let url = newsroom::subscriptions::service::unsubscribe_url(
        &mut conn, &app.state, subscriber, briefings,
    )
    .await
    .unwrap();
    drop(conn);
    let path = url.split_once("newsroom.test").unwrap().1.to_owned();

    // RFC 8058: the mail client posts `List-Unsubscribe=One-Click` to the header's URL.
    for _ in 0..2 {
        let res = app
            .call_raw(
                Method::POST,
                &path,
                None,
                Some("application/x-www-form-urlencoded"),
                b"List-Unsubscribe=One-Click".to_vec(),
            )
            .await;
        res.assert_status(200);
    }
    assert_eq!(
        status(&app, "leaving@example.org").await.as_deref(),
        Some("unsubscribed")
    );
    let actions: Vec<String> = ledger(&app, "leaving@example.org")
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        actions,
        ["subscribed", "confirmed", "unsubscribed"],
        "the second click changes nothing"
    );
    let hash = newsroom::subscriptions::service::email_hash("leaving@example.org");
    let suppressed: i64 = sqlx::query_scalar(
        "select count(*) from suppressions where email_hash = $1 and newsletter_id = $2 and reason = 'unsubscribed'",
    )
    .bind(&hash)
    .bind(briefings)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(suppressed, 1);
    let token = path.split_once("token=").unwrap().1;
    post_json(
        &app,
        "/public/v1/subscriptions/unsubscribe",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    post_json(
        &app,
        "/public/v1/subscriptions/unsubscribe",
        json!({"token": "nrsub_nope"}),
    )
    .await
    .assert_problem(422);

    // Coming back is new consent: a new confirmation, which lifts the suppression.
    sign_up(&app, "eastern-briefings", "leaving@example.org")
        .await
        .assert_status(202);
    let (again, sent) = confirmation_link(&app, "leaving@example.org").await;
    assert_eq!(sent, 2);
    post_json(
        &app,
        "/public/v1/subscriptions/confirm",
        json!({"token": again}),
    )
    .await
    .assert_status(200);
    let left: i64 = sqlx::query_scalar("select count(*) from suppressions where email_hash = $1")
        .bind(&hash)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[actix_web::test]
async fn a_bad_unsubscribe_link_pressed_on_the_page_gets_a_page_and_json_gets_json() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let page = app
        .call_raw(
            Method::POST,
            "/public/v1/subscriptions/unsubscribe",
            None,
            Some("application/x-www-form-urlencoded"),
            b"token=nrsub_not-a-real-one".to_vec(),
        )
        .await;
    assert_eq!(page.status.as_u16(), 422);
    assert!(page
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    assert!(page.text.contains("<h1>This link cannot be used</h1>"));
    let one_click = app
        .call_raw(
            Method::POST,
            "/public/v1/subscriptions/unsubscribe?token=nrsub_not-a-real-one",
            None,
            Some("application/x-www-form-urlencoded"),
            b"List-Unsubscribe=One-Click".to_vec(),
        )
        .await;
    assert_eq!(one_click.status.as_u16(), 422);
    assert!(one_click.text.starts_with("<!doctype html>"));
    post_json(
        &app,
        "/public/v1/subscriptions/unsubscribe",
        json!({"token": "nrsub_not-a-real-one"}),
    )
    .await
    .assert_problem(422);
}
