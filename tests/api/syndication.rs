//! The syndication API: keys, the commit-ordered change feed, tombstones, embargo,
//! entitlements, HTTP caching, and ninjs 1.3 validity.

use newsroom::jobs::scheduler;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::Connection;

use crate::helpers::{id_str, Desk, TestApp, TestUser};

fn ninjs_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/ninjs-schema_1.3.json")).unwrap();
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
async fn walk_until(app: &TestApp, key: &str, query: &str, n: usize) -> Vec<Value> {
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

#[actix_web::test]
async fn a_key_is_shown_once_stored_hashed_and_revoked_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let partner = app
        .post(
            "/api/v1/partners",
            &admin.token,
            json!({"name": "Asia Wire", "webhook_url": "https://wire.example/hook"}),
        )
        .await;
    partner.assert_status(201);
    assert!(
        partner.body["webhook_secret"].as_str().unwrap().len() >= 32,
        "a secret is generated and shown once"
    );
    let id = partner.body["id"].as_str().unwrap().to_owned();
    assert!(app
        .get(&format!("/api/v1/partners/{id}"), &admin.token)
        .await
        .body
        .get("webhook_secret")
        .is_none());

    let created = app
        .post(
            &format!("/api/v1/partners/{id}/keys"),
            &admin.token,
            json!({}),
        )
        .await;
    created.assert_status(201);
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("nr_live_") && key.len() == 57, "{key}");
    assert!(key.starts_with(created.body["prefix"].as_str().unwrap()));
    let stored: Vec<u8> = sqlx::query_scalar("select key_hash from api_keys")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        stored,
        Sha256::digest(key.as_bytes()).to_vec(),
        "only the SHA-256 is stored"
    );
    let listed = app
        .get(&format!("/api/v1/partners/{id}/keys"), &admin.token)
        .await;
    assert!(!listed.text.contains(&key), "lists never show the key");

    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    let bearer = app
        .get_with(
            "/syndication/v1/articles",
            &[("authorization", &format!("Bearer {key}"))],
        )
        .await;
    bearer.assert_status(200);
    // The key check only reads; the use is written by the usage log's flush, at most once
    // a minute per key.
    let last_used = || async {
        app.state.usage.flush(&app.state.db).await.unwrap();
        sqlx::query_scalar::<_, Option<chrono::DateTime<chrono::Utc>>>(
            "select last_used_at from api_keys",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap()
    };
    let first = app.clock.now();
    assert_eq!(last_used().await, Some(first));
    app.clock.advance(chrono::Duration::seconds(30));
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    assert_eq!(last_used().await, Some(first), "not again within a minute");
    app.clock.advance(chrono::Duration::seconds(31));
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    assert_eq!(last_used().await, Some(app.clock.now()));

    let key_id = created.body["id"].as_str().unwrap();
    app.delete(
        &format!("/api/v1/partners/{id}/keys/{key_id}"),
        &admin.token,
    )
    .await
    .assert_status(204);
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn unknown_revoked_expired_and_malformed_keys_get_one_identical_401() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (partner, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let expiring = app
        .post(
            &format!("/api/v1/partners/{partner}/keys"),
            &admin.token,
            json!({"expires_at": app.clock.now() + chrono::Duration::hours(1)}),
        )
        .await;
    let expiring = expiring.body["key"].as_str().unwrap().to_owned();
    app.syndication(&expiring, "/syndication/v1/articles")
        .await
        .assert_status(200);
    app.clock.advance(chrono::Duration::hours(1));

    let reference = app
        .syndication("nr_live_unknown", "/syndication/v1/articles")
        .await;
    reference.assert_problem(401);
    let unknown = newsroom::auth::api_key::generate();
    let cases = [
        app.syndication(&unknown, "/syndication/v1/articles").await,
        app.syndication(&expiring, "/syndication/v1/articles").await,
        app.syndication(&key[..key.len() - 1], "/syndication/v1/articles")
            .await,
        app.syndication(&admin.token, "/syndication/v1/articles")
            .await,
        app.get_with(&format!("/syndication/v1/articles?api_key={key}"), &[])
            .await,
        app.get_with("/syndication/v1/articles", &[]).await,
    ];
    for res in &cases {
        assert_eq!((res.status, &res.text), (reference.status, &reference.text));
    }
    // A partner key is no staff token either.
    app.get_with("/api/v1/me", &[("authorization", &format!("Bearer {key}"))])
        .await
        .assert_problem(401);
    // Deactivating the partner stops its keys.
    app.delete(&format!("/api/v1/partners/{partner}"), &admin.token)
        .await
        .assert_status(200);
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn the_feed_carries_publications_corrections_and_takedowns_as_valid_ninjs() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let validator = ninjs_validator();

    let draft = id_str(&app.draft(&admin, &desk, "Never published").await);
    let story = published(&app, &admin, &desk, "Floods in Sindh").await;
    app.edit(
        &admin.token,
        &story,
        2,
        json!({"body": "Corrected figures.", "correction_note": "Figures corrected."}),
    )
    .await
    .assert_status(200);
    let withdrawn = published(&app, &admin, &desk, "Withdrawn later").await;
    app.act(&admin.token, &withdrawn, 2, "unpublish", None)
        .await
        .assert_status(200);
    let killed = published(&app, &admin, &desk, "Killed later").await;
    app.act(
        &admin.token,
        &killed,
        2,
        "kill",
        Some(json!({"note": "Court order"})),
    )
    .await
    .assert_status(200);

    let items = walk_until(&app, &key, "", 6).await;
    let seen: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            (
                i["event"].as_str().unwrap().to_owned(),
                i["story"]["uri"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let uri = |id: &str| format!("urn:newsroom:article:{id}");
    assert_eq!(
        seen,
        [
            ("article.published".to_owned(), uri(&story)),
            ("article.updated".to_owned(), uri(&story)),
            ("article.published".to_owned(), uri(&withdrawn)),
            ("article.withdrawn".to_owned(), uri(&withdrawn)),
            ("article.published".to_owned(), uri(&killed)),
            ("article.killed".to_owned(), uri(&killed)),
        ]
    );
    assert!(
        !items
            .iter()
            .any(|i| i["story"]["uri"] == json!(uri(&draft))),
        "never a draft"
    );
    for item in &items {
        assert_ninjs(&validator, &item["story"]);
    }
    let live = &items[1]["story"];
    assert_eq!(live["pubstatus"], json!("usable"));
    assert_eq!(live["version"], json!("3"));
    assert_eq!(live["byline"], json!("By Desk"));
    assert_eq!(live["copyrightholder"], json!("The dawn"));
    assert!(live["description_corrections"]
        .as_str()
        .unwrap()
        .ends_with("Figures corrected."));
    assert_eq!(live["body_html"], json!("<p>Corrected figures.</p>\n"));
    for (item, status) in [(&items[3], "withheld"), (&items[5], "canceled")] {
        assert_eq!(item["story"]["pubstatus"], json!(status));
        assert!(
            item["story"].get("body_html").is_none() && item["story"].get("headline").is_none(),
            "a tombstone has no body"
        );
    }
    // An older event of a story taken down since also shows the takedown, never the old body.
    assert_eq!(items[2]["story"]["pubstatus"], json!("withheld"));

    let one = app
        .syndication(&key, &format!("/syndication/v1/articles/{story}"))
        .await;
    one.assert_status(200);
    assert_ninjs(&validator, &one.body);
    for hidden in [&draft, &withdrawn, &killed] {
        app.syndication(&key, &format!("/syndication/v1/articles/{hidden}"))
            .await
            .assert_problem(404);
    }
}

#[actix_web::test]
async fn an_embargoed_story_appears_only_when_the_embargo_lifts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let id = id_str(&app.draft(&admin, &desk, "Embargoed report").await);
    let until = app.clock.now() + chrono::Duration::hours(2);
    app.edit(&admin.token, &id, 1, json!({"embargo_until": until}))
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 2, "publish", None)
        .await
        .assert_status(200);

    assert!(walk(&app, &key, "").await.is_empty());
    app.syndication(&key, &format!("/syndication/v1/articles/{id}"))
        .await
        .assert_problem(404);
    app.clock.advance(chrono::Duration::hours(2));
    scheduler::run_once(&app.state).await.unwrap();
    let items = walk_until(&app, &key, "", 1).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["event"], json!("article.published"));
    assert_eq!(items[0]["story"]["embargoed"], json!(until));
    app.syndication(&key, &format!("/syndication/v1/articles/{id}"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn entitlements_limit_what_a_partner_sees() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let (_, dawn_only) = app
        .partner(
            &admin,
            json!({"name": "Dawn reader", "outlet_ids": [dawn.outlet]}),
        )
        .await;
    let (_, star_news) = app
        .partner(
            &admin,
            json!({"name": "Star news", "section_ids": [star.section]}),
        )
        .await;
    let (_, everything) = app.partner(&admin, json!({"name": "All"})).await;
    let from_dawn = published(&app, &admin, &dawn, "From Dawn").await;
    let from_star = published(&app, &admin, &star, "From The Star").await;

    let headlines = |items: Vec<Value>| {
        items
            .iter()
            .map(|i| i["story"]["headline"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        headlines(walk_until(&app, &everything, "", 2).await),
        ["From Dawn", "From The Star"]
    );
    assert_eq!(headlines(walk(&app, &dawn_only, "").await), ["From Dawn"]);
    assert_eq!(
        headlines(walk(&app, &star_news, "").await),
        ["From The Star"]
    );
    assert_eq!(
        headlines(walk(&app, &everything, "").await),
        ["From Dawn", "From The Star"]
    );
    assert_eq!(
        headlines(walk(&app, &everything, "&outlet=the-star").await),
        ["From The Star"]
    );
    assert_eq!(
        headlines(walk(&app, &everything, &format!("&section={}", dawn.section)).await),
        ["From Dawn"]
    );
    app.syndication(&dawn_only, "/syndication/v1/articles?outlet=the-star")
        .await
        .assert_problem(403);
    app.syndication(&dawn_only, "/syndication/v1/articles?outlet=nowhere")
        .await
        .assert_problem(422);
    app.syndication(&dawn_only, &format!("/syndication/v1/articles/{from_star}"))
        .await
        .assert_problem(404);
    app.syndication(&dawn_only, &format!("/syndication/v1/articles/{from_dawn}"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn unchanged_responses_answer_304_to_if_none_match() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let id = published(&app, &admin, &desk, "Cached").await;
    walk_until(&app, &key, "", 1).await;
    for path in [
        "/syndication/v1/articles".to_owned(),
        format!("/syndication/v1/articles/{id}"),
    ] {
        let first = app.syndication(&key, &path).await;
        first.assert_status(200);
        let etag = first.header("etag").unwrap().to_owned();
        assert!(
            etag.starts_with('"') && !etag.starts_with("W/"),
            "a strong ETag: {etag}"
        );
        assert!(first
            .header("cache-control")
            .unwrap()
            .starts_with("private"));
        let again = app
            .get_with(&path, &[("x-api-key", &key), ("if-none-match", &etag)])
            .await;
        again.assert_status(304);
        assert!(again.text.is_empty());
        // The clock stands at the publication time, the newest change on either response.
        assert_eq!(
            first.header("last-modified"),
            Some("Mon, 02 Mar 2026 09:00:00 GMT"),
            "{path}"
        );
    }
    let story = app
        .syndication(&key, &format!("/syndication/v1/articles/{id}"))
        .await;
    assert!(story.header("last-modified").is_some());
    let etag = story.header("etag").unwrap().to_owned();
    app.edit(&admin.token, &id, 2, json!({"standfirst": "Changed."}))
        .await
        .assert_status(200);
    let changed = app
        .get_with(
            &format!("/syndication/v1/articles/{id}"),
            &[("x-api-key", &key), ("if-none-match", &etag)],
        )
        .await;
    changed.assert_status(200);
}

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
    let after = app
        .syndication(&key, &format!("/syndication/v1/articles?since={cursor}"))
        .await;
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
