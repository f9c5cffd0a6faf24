//! Visibility, one rule in SQL and Rust: no story that is not public reaches any public or
//! feed route, and an embargo lifts on time.

use std::collections::BTreeSet;

use chrono::Duration;
use newsroom::articles::{publicly_visible, push_publicly_visible, Status};
use serde_json::{json, Value};
use sqlx::{Postgres, QueryBuilder};

use crate::helpers::TestApp;
use crate::public::{atom_titles, create, headlines, locs};

#[actix_web::test]
async fn the_sql_visibility_rule_agrees_with_the_rust_one() {
    let app = TestApp::spawn().await;
    let now = app.clock.now();
    for status in Status::ALL {
        for embargo in [
            None,
            Some(now - Duration::hours(1)),
            Some(now),
            Some(now + Duration::hours(1)),
        ] {
            let mut q: QueryBuilder<Postgres> = QueryBuilder::new("select ");
            push_publicly_visible(&mut q, "a", now);
            q.push(" from (select ")
                .push_bind(status)
                .push(" as status, ")
                .push_bind(embargo)
                .push("::timestamptz as embargo_until) a");
            let in_sql: bool = q
                .build_query_scalar()
                .fetch_one(&app.state.db)
                .await
                .unwrap();
            assert_eq!(
                in_sql,
                publicly_visible(status, embargo, now),
                "{status:?} with embargo {embargo:?}"
            );
        }
    }
}

/// Every public (and partner feed) route that lists stories, with the headlines it shows;
/// the sitemap as the set of its URLs.
async fn seen_everywhere(app: &TestApp, key: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut seen = Vec::new();
    for query in [
        "",
        "?outlet=dawn",
        "?section=dawn-news",
        "?author=dawn-desk",
        "?tag=matrix",
        "?language=en",
    ] {
        let path = format!("/public/v1/articles{query}");
        let res = app.get_with(&path, &[]).await;
        res.assert_status(200);
        seen.push((path, headlines(&res.body["items"])));
    }
    let author = app.get_with("/public/v1/authors/dawn-desk", &[]).await;
    author.assert_status(200);
    seen.push(("author page".into(), headlines(&author.body["stories"])));
    let feed = app
        .get_with("/public/v1/sections/dawn-news/feed.atom", &[])
        .await;
    feed.assert_status(200);
    seen.push(("section feed".into(), atom_titles(&feed.text)));
    let atom = app
        .syndication(key, "/syndication/v1/feeds/dawn.atom")
        .await;
    atom.assert_status(200);
    seen.push(("partner atom".into(), atom_titles(&atom.text)));
    let json_feed = app
        .syndication(key, "/syndication/v1/feeds/dawn.json")
        .await;
    json_feed.assert_status(200);
    let titles = json_feed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect();
    seen.push(("partner json feed".into(), titles));
    seen
}

/// Workflow actions with their bodies, in order.
type Steps = Vec<(&'static str, Option<Value>)>;

#[actix_web::test]
async fn no_story_that_is_not_public_reaches_any_route_and_an_embargo_lifts_on_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;
    let now = app.clock.now();
    let (visible, visible_slug) = create(&app, &admin, &desk, "Visible", json!({})).await;
    app.act(&admin.token, &visible, 1, "publish", None)
        .await
        .assert_status(200);
    let linked = json!({"translation_of": visible});
    let mut slugs = vec![("Visible".to_owned(), visible_slug)];
    // Each hidden state, reached through the workflow: (headline, actions in order).
    let later = now + Duration::days(1);
    let states: [(&str, Steps); 6] = [
        ("Draft", vec![]),
        ("In review", vec![("submit", None)]),
        ("Approved", vec![("submit", None), ("approve", None)]),
        (
            "Scheduled",
            vec![
                ("submit", None),
                ("approve", None),
                ("schedule", Some(json!({"at": later}))),
            ],
        ),
        ("Withdrawn", vec![("publish", None), ("unpublish", None)]),
        (
            "Killed",
            vec![
                ("publish", None),
                ("kill", Some(json!({"note": "Court order"}))),
            ],
        ),
    ];
    for (headline, actions) in states {
        let (id, slug) = create(&app, &admin, &desk, headline, linked.clone()).await;
        for (version, (action, body)) in actions.into_iter().enumerate() {
            app.act(&admin.token, &id, version as i64 + 1, action, body)
                .await
                .assert_status(200);
        }
        slugs.push((headline.to_owned(), slug));
    }
    let embargo = json!({"translation_of": visible, "embargo_until": now + Duration::hours(2)});
    let (embargoed, slug) = create(&app, &admin, &desk, "Embargoed", embargo).await;
    app.act(&admin.token, &embargoed, 1, "publish", None)
        .await
        .assert_status(200);
    slugs.push(("Embargoed".to_owned(), slug));

    for (expected, lifted) in [
        (vec!["Visible"], false),
        (vec!["Embargoed", "Visible"], true),
    ] {
        if lifted {
            app.clock.advance(Duration::hours(2));
        }
        let expected: BTreeSet<String> = expected.into_iter().map(str::to_owned).collect();
        for (route, seen) in seen_everywhere(&app, &key).await {
            assert_eq!(seen, expected, "{route} (embargo lifted: {lifted})");
        }
        let sitemap = app.get_with("/public/v1/sitemap.xml", &[]).await;
        sitemap.assert_status(200);
        let in_sitemap: BTreeSet<String> = locs(&sitemap.text).into_iter().collect();
        for (headline, slug) in &slugs {
            let page = app
                .get_with(&format!("/public/v1/outlets/dawn/articles/{slug}"), &[])
                .await;
            let url = format!("https://news.test/dawn/{slug}");
            if expected.contains(headline) {
                page.assert_status(200);
                assert!(in_sitemap.contains(&url), "{headline} in the sitemap");
            } else {
                page.assert_problem(404);
                assert!(!in_sitemap.contains(&url), "{headline} not in the sitemap");
                assert!(!sitemap.text.contains(slug.as_str()));
            }
        }
        let story = app
            .get_with(
                &format!("/public/v1/outlets/dawn/articles/{}", slugs[0].1),
                &[],
            )
            .await;
        let translations: Vec<&str> = story.body["translations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["headline"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = if lifted { vec!["Embargoed"] } else { vec![] };
        assert_eq!(translations, want, "hidden translations are not linked");
    }
}
