//! No lost updates: concurrent changes with the same ETag, exactly one wins.

use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn fifty_concurrent_patches_with_one_etag_make_exactly_one_change() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Contested").await);
    let patches = (0..50).map(|i| {
        app.edit(
            &admin.token,
            &id,
            1,
            json!({"headline": format!("Version {i}")}),
        )
    });
    let results = futures_util::future::join_all(patches).await;
    let ok = results.iter().filter(|r| r.status.as_u16() == 200).count();
    let stale = results.iter().filter(|r| r.status.as_u16() == 412).count();
    assert_eq!((ok, stale), (1, 49));
    let revisions: i64 =
        sqlx::query_scalar("select count(*) from article_revisions where article_id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(revisions, 2, "the creation and exactly one new revision");
    let winner = results.iter().find(|r| r.status.as_u16() == 200).unwrap();
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["headline"], winner.body["headline"]);
    assert_eq!(stored.body["version"], json!(2));
}

#[actix_web::test]
async fn concurrent_actions_with_one_etag_apply_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Race to publish").await);
    let publishes = (0..10).map(|_| app.act(&admin.token, &id, 1, "publish", None));
    let results = futures_util::future::join_all(publishes).await;
    assert_eq!(
        results.iter().filter(|r| r.status.as_u16() == 200).count(),
        1
    );
    let events: i64 = sqlx::query_scalar("select count(*) from outbox_events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1);
}
