//! Freshness of the public API and the partner feed across instances (issue #19): each
//! instance keeps answers for at most `NEWSROOM_SITE_CACHE_MS` (1 s), so a kill or a
//! correction shows at once on the instance that made it and within the second on every
//! other; an embargo lifts when its time comes, before the job announces it.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{id_str, TestApp};

/// GET `path` on another instance's server: (status, JSON body or null).
async fn get_on(server: &actix_test::TestServer, path: &str, key: Option<&str>) -> (u16, Value) {
    let mut req = awc::Client::default().get(server.url(path));
    if let Some(key) = key {
        req = req.insert_header(("x-api-key", key));
    }
    let mut res = req.send().await.expect("the other instance answers");
    let body = res.body().await.expect("a body");
    (
        res.status().as_u16(),
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

/// Polls `check` on the other instance until it holds; fails when a request that started
/// more than a second after `since` still sees the old state.
async fn within_a_second<F, Fut>(since: Instant, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    loop {
        let started = since.elapsed();
        if check().await {
            return;
        }
        assert!(
            started <= Duration::from_secs(1),
            "{what}: still not shown {started:?} after the change"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn headlines(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    let h = i["headline"].as_str().or(i["story"]["headline"].as_str());
                    h.unwrap_or_default().to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[actix_web::test]
async fn a_kill_and_a_correction_show_on_every_instance_within_a_second() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let story = app
        .published(&admin, &dawn, "Harbour opens", json!({}))
        .await;
    let other_story = app
        .published(&admin, &dawn, "Bridge closes", json!({}))
        .await;
    let (other, _) = app.another_instance();
    let story_path = "/public/v1/outlets/dawn/articles/harbour-opens";
    let list_path = "/public/v1/articles?limit=20";
    let feed_path = "/syndication/v1/articles?limit=20";
    // Both instances keep the story, the list and the feed page.
    assert_eq!(get_on(&other, story_path, None).await.0, 200);
    let (_, list) = get_on(&other, list_path, None).await;
    assert!(headlines(&list).contains(&"Harbour opens".to_owned()));
    // The feed shows events once older than every running transaction: wait for both.
    within_a_second(Instant::now(), "the feed's first events", || async {
        headlines(&get_on(&other, feed_path, Some(&key)).await.1).len() == 2
    })
    .await;
    app.get_with(story_path, &[]).await.assert_status(200);

    // A correction of the other story: a new headline everywhere within the second.
    let corrected = app
        .edit(
            &admin.token,
            &id_str(&other_story),
            other_story["version"].as_i64().unwrap_or(2),
            json!({"headline": "Bridge reopens", "correction_note": "The bridge reopened."}),
        )
        .await;
    corrected.assert_status(200);
    let at = Instant::now();
    let here = app.get_with(list_path, &[]).await;
    assert!(headlines(&here.body).contains(&"Bridge reopens".to_owned()));
    within_a_second(at, "the correction in the list", || async {
        headlines(&get_on(&other, list_path, None).await.1).contains(&"Bridge reopens".to_owned())
    })
    .await;

    // A kill: 404 at once here, and within the second on the other instance; gone from its
    // list, and the feed's page shows it withheld, not whole.
    app.act(
        &admin.token,
        &id_str(&story),
        2,
        "kill",
        Some(json!({"note": "Court order"})),
    )
    .await
    .assert_status(200);
    let killed = Instant::now();
    app.get_with(story_path, &[]).await.assert_status(404);
    within_a_second(killed, "the kill on the story's address", || async {
        get_on(&other, story_path, None).await.0 == 404
    })
    .await;
    within_a_second(killed, "the kill in the list", || async {
        !headlines(&get_on(&other, list_path, None).await.1).contains(&"Harbour opens".to_owned())
    })
    .await;
    within_a_second(killed, "the kill in the feed", || async {
        // A withheld story is a tombstone: no headline, no body.
        !headlines(&get_on(&other, feed_path, Some(&key)).await.1)
            .contains(&"Harbour opens".to_owned())
    })
    .await;
}

#[actix_web::test]
async fn an_embargo_lifts_on_every_instance_when_its_time_comes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.published(&admin, &dawn, "Old news", json!({})).await;
    let until = app.clock.now() + chrono::Duration::hours(1);
    app.published(
        &admin,
        &dawn,
        "Results at noon",
        json!({"embargo_until": until}),
    )
    .await;
    let (other, _) = app.another_instance();
    let list_path = "/public/v1/articles?limit=20";
    let story_path = "/public/v1/outlets/dawn/articles/results-at-noon";
    for _ in 0..2 {
        let (status, list) = get_on(&other, list_path, None).await;
        assert_eq!(status, 200);
        assert_eq!(headlines(&list), ["Old news"]);
        assert_eq!(get_on(&other, story_path, None).await.0, 404);
        assert_eq!(
            headlines(&app.get_with(list_path, &[]).await.body),
            ["Old news"]
        );
    }
    // Its time comes; no job has announced it yet, and both instances kept the old list.
    app.clock.advance(chrono::Duration::hours(1));
    for (status, list) in [
        get_on(&other, list_path, None).await,
        (200, app.get_with(list_path, &[]).await.body),
    ] {
        assert_eq!(status, 200);
        assert_eq!(headlines(&list), ["Results at noon", "Old news"]);
    }
    assert_eq!(get_on(&other, story_path, None).await.0, 200);
    // An outlet's list walks the same two ways.
    let (_, outlet) = get_on(&other, "/public/v1/articles?outlet=dawn", None).await;
    assert_eq!(headlines(&outlet), ["Results at noon", "Old news"]);
}
