//! The rendered-story cache of the syndication API never serves a stale story: every change
//! that shows in a story (names, corrections, takedowns, embargo, entitlements) shows at once
//! on the next fetch of a story that was cached just before.

use serde_json::{json, Value};

use crate::helpers::{id_str, TestApp};

/// Fetches the story twice (the second answer comes from the cache) and returns it.
async fn fetched(app: &TestApp, key: &str, id: &str) -> Value {
    let path = format!("/syndication/v1/articles/{id}");
    let first = app.syndication(key, &path).await;
    first.assert_status(200);
    let again = app.syndication(key, &path).await;
    again.assert_status(200);
    assert_eq!(first.text, again.text);
    assert_eq!(first.header("etag"), again.header("etag"));
    again.body
}

#[actix_web::test]
async fn a_cached_story_shows_renamed_authors_outlets_and_sections_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let id = id_str(&app.published(&admin, &desk, "Floods", json!({})).await);
    let before = fetched(&app, &key, &id).await;
    assert_eq!(before["byline"], json!("By Desk"));
    assert_eq!(app.state.stories.usage().0, 1, "the story is cached");

    app.patch(
        &format!("/api/v1/authors/{}", desk.author),
        &admin.token,
        json!({"name": "Ayesha Khan"}),
    )
    .await
    .assert_status(200);
    let renamed = fetched(&app, &key, &id).await;
    assert_eq!(renamed["byline"], json!("By Ayesha Khan"));
    assert_eq!(
        renamed["version"], before["version"],
        "same article version"
    );

    app.patch(
        &format!("/api/v1/outlets/{}", desk.outlet),
        &admin.token,
        json!({"name": "Dawn News"}),
    )
    .await
    .assert_status(200);
    app.patch(
        &format!("/api/v1/sections/{}", desk.section),
        &admin.token,
        json!({"name": "Pakistan"}),
    )
    .await
    .assert_status(200);
    let story = fetched(&app, &key, &id).await;
    assert_eq!(story["copyrightholder"], json!("Dawn News"));
    assert_eq!(story["subject"][0]["name"], json!("Pakistan"));
}

#[actix_web::test]
async fn a_cached_story_shows_corrections_and_takedowns_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let id = id_str(&app.published(&admin, &desk, "Floods", json!({})).await);
    assert!(fetched(&app, &key, &id)
        .await
        .get("description_corrections")
        .is_none());

    app.edit(
        &admin.token,
        &id,
        2,
        json!({"body": "Corrected figures.", "correction_note": "Figures corrected."}),
    )
    .await
    .assert_status(200);
    let corrected = fetched(&app, &key, &id).await;
    assert!(corrected["description_corrections"]
        .as_str()
        .unwrap()
        .ends_with("Figures corrected."));
    assert_eq!(corrected["body_html"], json!("<p>Corrected figures.</p>\n"));

    let path = format!("/syndication/v1/articles/{id}");
    app.act(&admin.token, &id, 3, "unpublish", None)
        .await
        .assert_status(200);
    app.syndication(&key, &path).await.assert_problem(404);
    app.act(&admin.token, &id, 4, "publish", None)
        .await
        .assert_status(200);
    assert_eq!(fetched(&app, &key, &id).await["version"], json!("5"));
    app.act(
        &admin.token,
        &id,
        5,
        "kill",
        Some(json!({"note": "Court order"})),
    )
    .await
    .assert_status(200);
    app.syndication(&key, &path).await.assert_problem(404);
}

#[actix_web::test]
async fn a_cached_story_follows_embargo_and_entitlement_changes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (partner, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let until = app.clock.now() + chrono::Duration::hours(1);
    let embargoed = app
        .published(&admin, &desk, "Floods", json!({"embargo_until": until}))
        .await;
    let id = id_str(&embargoed);
    let path = format!("/syndication/v1/articles/{id}");
    app.syndication(&key, &path).await.assert_problem(404);
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(fetched(&app, &key, &id).await["embargoed"], json!(until));

    let other = app.outlet(&admin, "the-star").await;
    app.patch(
        &format!("/api/v1/partners/{partner}"),
        &admin.token,
        json!({"outlet_ids": [other]}),
    )
    .await
    .assert_status(200);
    app.syndication(&key, &path).await.assert_problem(404);
}
