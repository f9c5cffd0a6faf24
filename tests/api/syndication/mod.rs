//! The syndication API: keys, the commit-ordered change feed, tombstones, embargo,
//! entitlements, HTTP caching, and ninjs 1.3 validity. This file holds what the tests share:
//! the ninjs validator, a published story, and walks of the feed.

mod commit_order;
mod feed;
mod keys;
mod pictures;

use serde_json::{json, Value};

use crate::helpers::{id_str, Desk, TestApp, TestUser};

fn ninjs_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../../fixtures/ninjs-schema_1.3.json")).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[track_caller]
fn assert_ninjs(validator: &jsonschema::Validator, story: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(story)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid ninjs 1.3: {errors:?}\n{story:#}"
    );
}

async fn published(app: &TestApp, admin: &TestUser, desk: &Desk, headline: &str) -> String {
    let id = id_str(&app.draft(admin, desk, headline).await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    id
}

/// The feed from the beginning once it holds at least `n` items. Transaction ids are shared by
/// every database of the server, so writing transactions of tests running in parallel can
/// hold the feed back for a moment; it never skips anything, so waiting is enough.
pub(crate) async fn walk_until(app: &TestApp, key: &str, query: &str, n: usize) -> Vec<Value> {
    for _ in 0..400 {
        let items = walk(app, key, query).await;
        if items.len() >= n {
            return items;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    walk(app, key, query).await
}

/// Every item of the feed from the beginning, following `next` while `has_more`.
async fn walk(app: &TestApp, key: &str, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut since = String::new();
    loop {
        let path = format!("/syndication/v1/articles?limit=2{query}{since}");
        let page = app.syndication(key, &path).await;
        page.assert_status(200);
        items.extend(page.body["items"].as_array().unwrap().iter().cloned());
        since = format!("&since={}", page.body["next"].as_str().unwrap());
        if page.body["has_more"] != json!(true) {
            return items;
        }
    }
}
