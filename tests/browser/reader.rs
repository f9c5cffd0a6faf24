//! A reader's side of the newsletter, set up through the real API: the newsletter, a sign-up,
//! the link in the confirmation email (read from the mail outbox, as the reader would read
//! the email), the unsubscribe link of an issue, a sent issue, the HTML of an email, and
//! where a subscription stands.

use actix_web::http::Method;
use base64::Engine;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{id_str, TestApp};

pub const NEWSLETTER: &str = "eastern-briefings";

/// Creates the Eastern Briefings newsletter; answers its id.
pub async fn newsletter(app: &TestApp) -> Uuid {
    let admin = app.admin().await;
    let res = app
        .post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": NEWSLETTER, "name": "Eastern Briefings", "description": "Curated stories."}),
        )
        .await;
    res.assert_status(201);
    crate::helpers::id_of(&res)
}

/// Signs `email` up through the public API (the site's newsletter box).
pub async fn sign_up(app: &TestApp, email: &str) {
    app.call_raw(
        Method::POST,
        &format!("/public/v1/newsletters/{NEWSLETTER}/subscribe"),
        None,
        Some("application/json"),
        json!({"email": email, "consent": true, "policy_version": "2026-11"})
            .to_string()
            .into_bytes(),
    )
    .await
    .assert_status(202);
}

/// The address the link of the last confirmation email to `email` opens, on this test's app.
pub async fn confirmation_link(app: &TestApp, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "select text_body from email_outbox where recipient = $1 and kind = 'confirm'
         order by created_at desc, id desc limit 1",
    )
    .bind(email)
    .fetch_one(&app.state.db)
    .await
    .expect("a confirmation email");
    let link = body
        .split_whitespace()
        .find(|word| word.contains("/public/v1/subscriptions/confirm?token="))
        .expect("a confirmation link in the email");
    on_this_app(app, link)
}

/// A confirmed subscriber: signed up and confirmed through the JSON API.
pub async fn confirmed_reader(app: &TestApp, email: &str) {
    sign_up(app, email).await;
    let link = confirmation_link(app, email).await;
    let token = link
        .split_once("token=")
        .map(|(_, t)| t)
        .unwrap_or_default();
    app.call_raw(
        Method::POST,
        "/public/v1/subscriptions/confirm",
        None,
        Some("application/json"),
        json!({ "token": token }).to_string().into_bytes(),
    )
    .await
    .assert_status(200);
}

/// The unsubscribe link an issue's footer would carry for `email`, on this test's app.
pub async fn unsubscribe_link(app: &TestApp, newsletter: Uuid, email: &str) -> String {
    let subscriber: Uuid = sqlx::query_scalar("select id from subscribers where email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .expect("a subscriber");
    let mut conn = app.state.db.acquire().await.expect("a connection");
    let link = newsroom::subscriptions::service::unsubscribe_url(
        &mut conn, &app.state, subscriber, newsletter,
    )
    .await
    .expect("an unsubscribe link");
    on_this_app(app, &link)
}

pub const SUBJECT: &str = "Eastern Briefings, 2 March";
pub const HEADLINE: &str = "Monsoon season opens early";

/// A sent issue of the newsletter with one published story and one subscriber
/// (`reader@example.org`); answers the web version's URL.
pub async fn sent_issue(app: &TestApp) -> String {
    newsletter(app).await;
    confirmed_reader(app, "reader@example.org").await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "the-daily-star").await;
    let story = id_str(&app.draft(&admin, &desk, HEADLINE).await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    let issues = format!("/api/v1/newsletters/{NEWSLETTER}/issues");
    app.post(
        &issues,
        &admin.token,
        json!({"subject": SUBJECT, "intro": "Rain & rivers.", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    app.post(&format!("{issues}/1/send"), &admin.token, json!({}))
        .await
        .assert_status(200);
    app.url(&format!("/public/v1/newsletters/{NEWSLETTER}/latest"))
}

/// Where `email`'s subscription stands: `pending`, `confirmed` or `unsubscribed`.
pub async fn status(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar(
        "select s.status::text from subscriptions s
         join subscribers sub on sub.id = s.subscriber_id where sub.email = $1",
    )
    .bind(email)
    .fetch_one(&app.state.db)
    .await
    .expect("a subscription")
}

/// The HTML of the last email of `kind` (`confirm`, `newsletter`) to `email`, as a `data:`
/// URL the browser opens like a page.
pub async fn email_as_page(app: &TestApp, kind: &str, email: &str) -> String {
    let html: String = sqlx::query_scalar(
        "select html_body from email_outbox where recipient = $1 and kind = $2
         order by created_at desc, id desc limit 1",
    )
    .bind(email)
    .bind(kind)
    .fetch_one(&app.state.db)
    .await
    .expect("the email");
    let encoded = base64::engine::general_purpose::STANDARD.encode(html);
    format!("data:text/html;charset=utf-8;base64,{encoded}")
}

/// `link` (made with the configured public URL) pointed at this test's server instead.
fn on_this_app(app: &TestApp, link: &str) -> String {
    let public = &app.state.config.public_url;
    let path = link
        .strip_prefix(public.as_str())
        .unwrap_or_else(|| panic!("{link} does not start with {public}"));
    app.url(path)
}
