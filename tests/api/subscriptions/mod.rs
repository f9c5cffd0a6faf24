//! Newsletters and readers' subscriptions: double opt-in, no enumeration, single-use and
//! expiring links, one-click unsubscribe, suppression and the consent ledger. This file holds
//! the helpers the tests (and `newsletter_issues`) share: a newsletter, a sign-up, the link
//! of a confirmation email, a subscription's status and the consent ledger.

mod confirmation;
mod newsletters;
mod sign_up;
mod suppression;
mod unsubscribe;

use actix_web::http::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Res, TestApp};

pub async fn newsletter(app: &TestApp, slug: &str) -> Uuid {
    let admin = app.admin().await;
    let res = app
        .post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": slug, "name": "Eastern Briefings", "description": "Curated stories."}),
        )
        .await;
    res.assert_status(201);
    crate::helpers::id_of(&res)
}

pub async fn sign_up(app: &TestApp, slug: &str, email: &str) -> Res {
    app.call_raw(
        Method::POST,
        &format!("/public/v1/newsletters/{slug}/subscribe"),
        None,
        Some("application/json"),
        json!({"email": email, "consent": true, "policy_version": "2026-11"})
            .to_string()
            .into_bytes(),
    )
    .await
}

/// The confirmation link of the last email queued for `email`, and how many were queued.
pub async fn confirmation_link(app: &TestApp, email: &str) -> (String, i64) {
    let bodies: Vec<String> = sqlx::query_scalar(
        "select text_body from email_outbox where recipient = $1 and kind = 'confirm' order by created_at, id",
    )
    .bind(email)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let last = bodies.last().expect("a confirmation email");
    (token_in(last), bodies.len() as i64)
}

/// The token of the first `token=` link in an email body.
pub fn token_in(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// The text of a message received over SMTP, with quoted-printable soft line breaks and
/// `=3D` undone (enough to read a link from it).
pub fn smtp_text(message: &crate::smtp_sink::Received) -> String {
    message.data.replace("=\r\n", "").replace("=3D", "=")
}

pub async fn status(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "select s.status from subscriptions s join subscribers sub on sub.id = s.subscriber_id where sub.email = $1",
    )
    .bind(email)
    .fetch_optional(&app.state.db)
    .await
    .unwrap()
}

async fn ledger(
    app: &TestApp,
    email: &str,
) -> Vec<(String, Option<String>, Option<String>, Option<String>)> {
    sqlx::query_as(
        "select c.action, c.ip, c.user_agent, c.policy_version from consent_events c
         join subscribers s on s.id = c.subscriber_id where s.email = $1 order by c.at, c.id",
    )
    .bind(email)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

pub async fn post_json(app: &TestApp, path: &str, body: Value) -> Res {
    app.call_raw(
        Method::POST,
        path,
        None,
        Some("application/json"),
        body.to_string().into_bytes(),
    )
    .await
}
