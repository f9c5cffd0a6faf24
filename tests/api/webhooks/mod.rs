//! Webhooks through a real receiver on loopback: signatures, retries with the same event id,
//! pausing and resuming, replay, entitlements, embargo, and the SSRF guard. This file holds
//! what the tests share: a partner with a hook, a published story, a worker pass later on.

mod claims;
mod delivery;
mod entitlements;
mod expiry;
mod pause;
mod receiver;
mod rotation;
mod ssrf_guard;

pub(crate) use receiver::Receiver;

use chrono::Duration;
use newsroom::webhooks::Worker;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{id_str, Desk, TestApp, TestUser};

const SECRET: &str = "whsec_test_secret_for_signatures";

pub(crate) async fn partner_with_hook(
    app: &TestApp,
    admin: &TestUser,
    url: &str,
    extra: Value,
) -> Uuid {
    let mut body = json!({"name": "Hook Partner", "webhook_url": url, "webhook_secret": SECRET});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.partner(admin, body).await.0
}

async fn publish(app: &TestApp, admin: &TestUser, desk: &Desk, headline: &str) -> String {
    let id = id_str(&app.draft(admin, desk, headline).await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    id
}

/// One worker pass after moving the clock past any backoff.
async fn pass_later(app: &TestApp, worker: &Worker) {
    app.clock.advance(Duration::hours(2));
    worker.run_once(&app.state).await.unwrap();
}
