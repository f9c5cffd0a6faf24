//! The feed in commit order: a transaction that commits late is never skipped, and a poller
//! racing concurrent writers misses nothing and repeats nothing.

use serde_json::json;
use sqlx::Connection;

use super::{published, walk_until};
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_transaction_that_commits_late_is_never_skipped() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let first = published(&app, &admin, &desk, "First").await;
    walk_until(&app, &key, "", 1).await;
    let page = app.syndication(&key, "/syndication/v1/articles").await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    let cursor = page.body["next"].as_str().unwrap().to_owned();

    // A slow writer: its transaction starts (and takes its id) before the next publication,
    // but commits after it.
    let mut slow = sqlx::PgConnection::connect(&app.database_url())
        .await
        .unwrap();
    sqlx::query("begin").execute(&mut slow).await.unwrap();
    sqlx::query("insert into outbox_events (id, event_type, article_id, article_version, occurred_at) values ($1, 'article.updated', $2::uuid, 2, now())")
        .bind(uuid::Uuid::now_v7())
        .bind(&first)
        .execute(&mut slow)
        .await
        .unwrap();
    let second = published(&app, &admin, &desk, "Second").await;

    let while_open = app
        .syndication(&key, &format!("/syndication/v1/articles?since={cursor}"))
        .await;
    assert!(
        while_open.body["items"].as_array().unwrap().is_empty(),
        "a later commit waits for the earlier transaction"
    );
    assert_eq!(
        while_open.body["next"],
        json!(cursor),
        "the cursor does not move past it"
    );

    sqlx::query("commit").execute(&mut slow).await.unwrap();
    walk_until(&app, &key, "", 3).await;
    // The page after `cursor` may be the one an instance kept from before the commit, for
    // its second at most (`site::page_cache`); then it shows both, in commit order.
    let committed = std::time::Instant::now();
    let after = loop {
        let page = app
            .syndication(&key, &format!("/syndication/v1/articles?since={cursor}"))
            .await;
        if page.body["items"].as_array().is_some_and(|i| !i.is_empty()) {
            break page;
        }
        assert!(committed.elapsed() < std::time::Duration::from_secs(1));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let uris: Vec<&str> = after.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["story"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            format!("urn:newsroom:article:{first}"),
            format!("urn:newsroom:article:{second}")
        ]
    );
    slow.close().await.unwrap();
}

#[actix_web::test]
async fn a_poller_racing_concurrent_writers_misses_nothing_and_repeats_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let mut drafts = Vec::new();
    for i in 0..40 {
        drafts.push(id_str(
            &app.draft(&admin, &desk, &format!("Story {i}")).await,
        ));
    }
    let writers = futures_util::future::join_all(
        drafts
            .iter()
            .map(|id| app.act(&admin.token, id, 1, "publish", None)),
    );
    let poller = async {
        let mut seen = Vec::new();
        let mut since = String::new();
        for _ in 0..400 {
            let page = app
                .syndication(&key, &format!("/syndication/v1/articles?limit=5{since}"))
                .await;
            seen.extend(
                page.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["event_id"].as_str().unwrap().to_owned()),
            );
            since = format!("&since={}", page.body["next"].as_str().unwrap());
            if seen.len() >= 40 {
                break;
            }
        }
        seen
    };
    let (results, mut seen) = futures_util::join!(writers, poller);
    assert!(results.iter().all(|r| r.status.as_u16() == 200));
    // Drain what is left after the writers finished.
    let rest = walk_until(&app, &key, "", 40).await;
    let all: Vec<String> = rest
        .iter()
        .map(|i| i["event_id"].as_str().unwrap().to_owned())
        .collect();
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    for id in &seen {
        assert!(all.contains(id));
    }
    seen.sort();
    let mut expected: Vec<String> = sqlx::query_scalar("select id::text from outbox_events")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    expected.sort();
    assert_eq!(all.len(), 40);
    assert!(seen.iter().all(|id| expected.contains(id)));
}
