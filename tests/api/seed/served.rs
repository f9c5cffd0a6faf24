//! Seeded stories through every API: served like stories made through the API, and hidden
//! ones stay hidden.

use std::collections::HashSet;

use actix_web::http::Method;
use newsroom::seed;
use serde_json::{json, Value};
use uuid::Uuid;

use super::ids;
use crate::helpers::TestApp;

#[actix_web::test]
async fn seeded_stories_are_served_by_every_api_and_hidden_ones_stay_hidden() {
    let app = TestApp::spawn().await;
    seed::run(&app.state, 300, Default::default(), false)
        .await
        .unwrap();
    let admin = app.admin().await;

    let list = app.get("/api/v1/articles?limit=10", &admin.token).await;
    list.assert_status(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 10);
    let found = app
        .get("/api/v1/articles?q=budget&limit=5", &admin.token)
        .await;
    found.assert_status(200);
    assert!(
        !found.body["items"].as_array().unwrap().is_empty(),
        "search finds seeded words"
    );

    let corrected = ids(&app, "select article_id from article_corrections").await[0];
    let story = app
        .get(&format!("/api/v1/articles/{corrected}"), &admin.token)
        .await;
    story.assert_status(200);
    assert_eq!(story.body["corrections"].as_array().unwrap().len(), 1);
    let history = app
        .get(
            &format!("/api/v1/articles/{corrected}/revisions"),
            &admin.token,
        )
        .await;
    history.assert_status(200);
    let actions: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["edit", "publish", "create"]);
    let diff = app
        .get(
            &format!("/api/v1/articles/{corrected}/revisions/3/diff?against=2"),
            &admin.token,
        )
        .await;
    diff.assert_status(200);
    assert!(
        diff.body["fields"].get("standfirst").is_some(),
        "{}",
        diff.body
    );

    // Restoring the typo of revision 1 is a new version, as for any story.
    let restored = app
        .call_with(
            Method::POST,
            &format!("/api/v1/articles/{corrected}/revisions/1/restore"),
            &admin.token,
            None,
            &[("if-match", "\"3\"")],
        )
        .await;
    restored.assert_status(200);
    assert_eq!(restored.body["version"], 4);

    // Any other story was written in its final state: version 1, one `import` revision,
    // which can be read and edited on like any other.
    let imported = ids(
        &app,
        "select id from articles where status = 'published' and version = 1 limit 1",
    )
    .await[0];
    let history = app
        .get(
            &format!("/api/v1/articles/{imported}/revisions"),
            &admin.token,
        )
        .await;
    history.assert_status(200);
    assert_eq!(history.body["items"][0]["action"], "import");
    assert_eq!(history.body["items"].as_array().unwrap().len(), 1);
    let first = app
        .get(
            &format!("/api/v1/articles/{imported}/revisions/1"),
            &admin.token,
        )
        .await;
    first.assert_status(200);
    let story = app
        .get(&format!("/api/v1/articles/{imported}"), &admin.token)
        .await;
    assert_eq!(first.body["snapshot"]["body"], story.body["body"]);
    let draft = ids(
        &app,
        "select id from articles where status = 'draft' and version = 1 limit 1",
    )
    .await[0];
    let edited = app
        .call_with(
            Method::PATCH,
            &format!("/api/v1/articles/{draft}"),
            &admin.token,
            Some(json!({"headline": "A headline edited after seeding"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    edited.assert_status(200);
    let diff = app
        .get(
            &format!("/api/v1/articles/{draft}/revisions/2/diff?against=1"),
            &admin.token,
        )
        .await;
    diff.assert_status(200);
    assert!(
        diff.body["fields"].get("headline").is_some(),
        "{}",
        diff.body
    );

    let hidden = ids(
        &app,
        "select id from articles where status <> 'published' or embargo_until > '2026-03-02T09:00:00Z'",
    )
    .await;
    let visible = ids(
        &app,
        "select id from articles where status = 'published' and (embargo_until is null or embargo_until <= '2026-03-02T09:00:00Z')",
    )
    .await;
    let hidden_set: HashSet<String> = hidden.iter().map(Uuid::to_string).collect();

    // The public API: the whole story list, page by page, is exactly the visible stories.
    let mut listed = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get_with(&format!("/public/v1/articles?limit=100{cursor}"), &[])
            .await;
        page.assert_status(200);
        listed.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned()),
        );
        match page.body["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(listed.len(), visible.len());
    assert!(listed.iter().all(|id| !hidden_set.contains(id)));
    let (outlet, slug, embargoed_slug): (String, String, Option<String>) = sqlx::query_as(
        "select o.slug, a.slug, (select e.slug from articles e where e.outlet_id = o.id and e.embargo_until > '2026-03-02T09:00:00Z' limit 1)
         from articles a join outlets o on o.id = a.outlet_id
         where a.id = $1",
    )
    .bind(visible[0])
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    app.get_with(&format!("/public/v1/outlets/{outlet}/articles/{slug}"), &[])
        .await
        .assert_status(200);
    if let Some(embargoed_slug) = embargoed_slug {
        app.get_with(
            &format!("/public/v1/outlets/{outlet}/articles/{embargoed_slug}"),
            &[],
        )
        .await
        .assert_problem(404);
    }
    app.get_with("/public/v1/sitemap.xml", &[])
        .await
        .assert_status(200);

    // The syndication feed: every event, in order, never a hidden story's body.
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let events = app.count("outbox_events").await as usize;
    let mut items: Vec<Value> = Vec::new();
    // Transaction ids are shared by the whole server: the feed holds back while any older
    // transaction (another test's, a seed elsewhere) is open, so wait for it, up to 2 minutes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::time::Instant::now() < deadline {
        items.clear();
        let mut since = String::new();
        loop {
            let page = app
                .syndication(&key, &format!("/syndication/v1/articles?limit=100{since}"))
                .await;
            page.assert_status(200);
            items.extend(page.body["items"].as_array().unwrap().iter().cloned());
            since = format!("&since={}", page.body["next"].as_str().unwrap());
            if page.body["has_more"] != json!(true) {
                break;
            }
        }
        if items.len() >= events {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(items.len(), events);
    for item in &items {
        let uri = item["story"]["uri"].as_str().unwrap();
        let id = uri.rsplit(':').next().unwrap();
        if hidden_set.contains(id) {
            assert!(
                item["story"].get("body_html").is_none(),
                "a hidden story is a tombstone"
            );
        }
    }
    app.syndication(&key, &format!("/syndication/v1/articles/{}", visible[0]))
        .await
        .assert_status(200);
    for id in &hidden {
        app.syndication(&key, &format!("/syndication/v1/articles/{id}"))
            .await
            .assert_problem(404);
    }
}
