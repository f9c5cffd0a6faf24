//! What the change feed carries: publications, corrections and takedowns as valid ninjs,
//! embargoed stories once the embargo lifts, only the outlets a partner is entitled to, and
//! 304 for unchanged answers.

use newsroom::jobs::scheduler;
use serde_json::{json, Value};

use super::{assert_ninjs, ninjs_validator, published, walk, walk_until};
use crate::helpers::{id_str, TestApp};

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
