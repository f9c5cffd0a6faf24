//! `DATABASE_READ_URL`: the syndication and public APIs read from the read pool, which in
//! every test app connects read-only like a streaming replica (so the whole suite runs its
//! syndication, feed and public tests through it). Here: that pool really refuses writes,
//! and the writes those reads cause (usage log, key use) still reach the primary.

use serde_json::{json, Value};

use crate::helpers::TestApp;

#[actix_web::test]
async fn the_read_pool_refuses_writes() {
    let app = TestApp::spawn().await;
    let err = sqlx::query("update outlets set name = name")
        .execute(&app.state.read_db)
        .await
        .expect_err("a read-only connection");
    let code = err
        .as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.into_owned());
    assert_eq!(
        code.as_deref(),
        Some("25006"),
        "read_only_sql_transaction: {err}"
    );
}

/// The change feed from the beginning once it holds `n` items (other tests' transactions
/// on the shared server can hold it back for a moment; it never skips).
async fn feed_items(app: &TestApp, key: &str, n: usize) -> Vec<Value> {
    for _ in 0..400 {
        let res = app.syndication(key, "/syndication/v1/articles").await;
        res.assert_status(200);
        let items = res.body["items"].as_array().cloned().unwrap_or_default();
        if items.len() >= n {
            return items;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the change feed never reached {n} items");
}

#[actix_web::test]
async fn partner_and_public_reads_work_on_a_read_only_pool_and_their_writes_reach_the_primary() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = app
        .published(&admin, &desk, "Read from the replica", json!({}))
        .await;
    let id = story["id"].as_str().unwrap().to_owned();
    let slug = story["slug"].as_str().unwrap().to_owned();
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;

    let items = feed_items(&app, &key, 1).await;
    assert_eq!(items[0]["event"], "article.published");
    for path in [
        format!("/syndication/v1/articles/{id}"),
        "/syndication/v1/feeds/dawn.atom".to_owned(),
        "/syndication/v1/feeds/dawn.json".to_owned(),
        "/public/v1/articles".to_owned(),
        format!("/public/v1/outlets/dawn/articles/{slug}"),
        "/public/v1/outlets".to_owned(),
        "/public/v1/sections".to_owned(),
        format!("/public/v1/sections/{}/feed.atom", desk.section),
        format!("/public/v1/authors/{}", desk.author),
        "/public/v1/sitemap.xml".to_owned(),
        "/health/ready".to_owned(),
    ] {
        let res = app.syndication(&key, &path).await;
        res.assert_status(200);
    }
    let public = app.get_with("/public/v1/articles", &[]).await;
    assert_eq!(public.body["items"][0]["headline"], "Read from the replica");

    // The change feed page, the story and the two feeds each fetched the story once, all
    // in one hour: one row of four fetches.
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 4);
    let (fetches, used): (i64, bool) = sqlx::query_as(
        "select (select sum(fetches)::bigint from partner_usage where fetches = 4),
                (select last_used_at is not null from api_keys)",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((fetches, used), (4, true));
}
