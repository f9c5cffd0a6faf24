//! The usage log: stories fetched by keys, written in batches, reported per outlet and day;
//! requests counted per partner and day, including those that return nothing.

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::json;

use newsroom::syndication::usage::Fetch;
use newsroom::syndication::UsageLog;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn fetched_stories_are_reported_per_outlet_and_day() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let east = app.newsroom(&admin, "usage-east").await;
    let west = app.newsroom(&admin, "usage-west").await;
    let mut ids = Vec::new();
    for (desk, headline) in [
        (&east, "East one"),
        (&east, "East two"),
        (&west, "West one"),
    ] {
        let id = id_str(&app.draft(&admin, desk, headline).await);
        app.act(&admin.token, &id, 1, "publish", None)
            .await
            .assert_status(200);
        ids.push(id);
    }
    let (partner, key) = app.partner(&admin, json!({"name": "Counted"})).await;
    let (other, other_key) = app.partner(&admin, json!({"name": "Elsewhere"})).await;

    // Day one: the first east story twice, the west story once.
    for id in [&ids[0], &ids[0], &ids[2]] {
        app.syndication(&key, &format!("/syndication/v1/articles/{id}"))
            .await
            .assert_status(200);
    }
    app.syndication(&other_key, &format!("/syndication/v1/articles/{}", ids[1]))
        .await
        .assert_status(200);
    // Not visible: a 404 is not a fetch.
    let draft = id_str(&app.draft(&admin, &east, "Still a draft").await);
    app.syndication(&key, &format!("/syndication/v1/articles/{draft}"))
        .await
        .assert_problem(404);
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 4);

    // Day two: the whole feed (three stories) once. The other key waits for the feed to
    // settle (transactions of other tests on the server can hold it back a moment).
    app.clock.advance(Duration::days(1));
    let feed = "/syndication/v1/articles?limit=100";
    for _ in 0..400 {
        let page = app.syndication(&other_key, feed).await;
        if page.body["items"].as_array().unwrap().len() == 3 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let page = app.syndication(&key, feed).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 3);
    // Revalidating with the ETag sends nothing, so it counts nothing.
    let etag = page.header("etag").unwrap().to_owned();
    app.get_with(feed, &[("x-api-key", &key), ("if-none-match", &etag)])
        .await
        .assert_status(304);
    // The east outlet's Atom feed: its two stories.
    app.syndication(&key, "/syndication/v1/feeds/usage-east.atom")
        .await
        .assert_status(200);
    app.state.usage.flush(&app.state.db).await.unwrap();

    let admin = app.admin().await; // the first one's session has expired
    let day1 = app.clock.now().date_naive() - Duration::days(1);
    let day2 = app.clock.now().date_naive();
    let report = app
        .get(
            &format!("/api/v1/partners/{partner}/usage?from={day1}&to={day2}"),
            &admin.token,
        )
        .await;
    report.assert_status(200);
    let rows: Vec<(String, String, i64, i64)> = report.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["day"].as_str().unwrap().to_owned(),
                r["outlet_slug"].as_str().unwrap().to_owned(),
                r["fetches"].as_i64().unwrap(),
                r["stories"].as_i64().unwrap(),
            )
        })
        .collect();
    let (d1, d2) = (day1.to_string(), day2.to_string());
    assert_eq!(
        rows,
        [
            (d1.clone(), "usage-east".to_owned(), 2, 1),
            (d1, "usage-west".to_owned(), 1, 1),
            (d2.clone(), "usage-east".to_owned(), 4, 2),
            (d2, "usage-west".to_owned(), 1, 1),
        ]
    );
    assert_eq!(report.body["total_fetches"], 8);
    // Requests: day one, three stories and the draft's 404 (4); day two, the feed, the 304
    // and the Atom feed (3). The other key's requests are its own.
    assert_eq!(
        report.body["requests"],
        json!([{"day": day1.to_string(), "requests": 4}, {"day": day2.to_string(), "requests": 3}])
    );
    assert_eq!(report.body["total_requests"], 7);

    // Only the partner's own fetches, and only the days asked for.
    let only_day2 = app
        .get(
            &format!("/api/v1/partners/{partner}/usage?from={day2}&to={day2}"),
            &admin.token,
        )
        .await;
    assert_eq!(only_day2.body["total_fetches"], 5);
    let theirs = app
        .get(
            &format!("/api/v1/partners/{other}/usage?from={day1}&to={day1}"),
            &admin.token,
        )
        .await;
    assert_eq!(theirs.body["total_fetches"], 1);
    assert!(
        theirs.body["total_requests"].as_i64().unwrap_or(0) >= 1,
        "{}",
        theirs.body
    );

    // Bad ranges are refused; non-admins are refused.
    app.get(
        &format!("/api/v1/partners/{partner}/usage?from={day2}&to={day1}"),
        &admin.token,
    )
    .await
    .assert_problem(422);
    app.get(
        &format!("/api/v1/partners/{partner}/usage?from=2025-01-01&to=2026-12-31"),
        &admin.token,
    )
    .await
    .assert_problem(422);
    app.get(
        &format!("/api/v1/partners/{partner}/usage?from=yesterday"),
        &admin.token,
    )
    .await
    .assert_problem(422);
    // Dates PostgreSQL cannot store are a client error, not a 500.
    let far = app
        .get(
            &format!("/api/v1/partners/{partner}/usage?from=-5000-01-01&to=-5000-01-02"),
            &admin.token,
        )
        .await;
    assert!(far.status.is_client_error(), "{}: {}", far.status, far.body);
    let editor = app
        .user(newsroom::domain::Role::Editor, &[east.outlet])
        .await;
    app.get(&format!("/api/v1/partners/{partner}/usage"), &editor.token)
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn every_request_with_a_valid_key_counts_even_one_that_returns_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let east = app.newsroom(&admin, "quiet-east").await;
    let west = app.newsroom(&admin, "quiet-west").await;
    let (partner, key) = app
        .partner(
            &admin,
            json!({"name": "Quiet", "outlet_ids": [east.outlet]}),
        )
        .await;
    // An empty feed: no story, one request.
    let empty = app.syndication(&key, "/syndication/v1/articles").await;
    empty.assert_status(200);
    assert_eq!(empty.body["items"], json!([]));
    // A story of an outlet it is not entitled to: refused, still a request.
    let theirs = id_str(&app.draft(&admin, &west, "Not yours").await);
    app.act(&admin.token, &theirs, 1, "publish", None)
        .await
        .assert_status(200);
    let refused = app
        .syndication(&key, &format!("/syndication/v1/articles/{theirs}"))
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    // A bad key is nobody's request.
    app.syndication(
        "nr_live_not_a_real_key_at_all_000000",
        "/syndication/v1/articles",
    )
    .await
    .assert_problem(401);
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 0);
    // Counted in memory, added on the next flush: the counts add up across flushes.
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    app.state.usage.flush(&app.state.db).await.unwrap();

    let today = app.clock.now().date_naive();
    let report = app
        .get(&format!("/api/v1/partners/{partner}/usage"), &admin.token)
        .await;
    report.assert_status(200);
    assert_eq!(report.body["days"], json!([]));
    assert_eq!(report.body["total_fetches"], 0);
    assert_eq!(
        report.body["requests"],
        json!([{"day": today.to_string(), "requests": 3}])
    );
    assert_eq!(report.body["total_requests"], 3);
    let _ = east;
}

/// `partner_usage` of one partner: (article, hour, fetches, first, last), by hour and article.
async fn usage_rows(
    app: &TestApp,
    partner: uuid::Uuid,
) -> Vec<(uuid::Uuid, DateTime<Utc>, i64, DateTime<Utc>, DateTime<Utc>)> {
    sqlx::query_as(
        "select article_id, hour, fetches, first_at, last_at from partner_usage
         where partner_id = $1 order by hour, article_id",
    )
    .bind(partner)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

#[actix_web::test]
async fn a_partner_polling_the_same_stories_adds_a_row_per_story_and_hour_not_per_fetch() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "polled").await;
    let mut ids = Vec::new();
    for headline in ["Polled one", "Polled two"] {
        ids.push(id_str(
            &app.published(&admin, &desk, headline, json!({})).await,
        ));
    }
    let (partner, key) = app.partner(&admin, json!({"name": "Poller"})).await;
    let poll = |times: usize| {
        let (app, key, ids) = (&app, &key, &ids);
        async move {
            for _ in 0..times {
                for id in ids {
                    app.syndication(key, &format!("/syndication/v1/articles/{id}"))
                        .await
                        .assert_status(200);
                }
            }
        }
    };
    let start = app.clock.now(); // 09:00 on the test clock
    poll(5).await;
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 10);
    // Later in the same hour, a second flush adds to the rows the first one wrote.
    app.clock.advance(Duration::minutes(20));
    poll(3).await;
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 6);
    // The next hour starts rows of its own.
    app.clock.advance(Duration::hours(1));
    poll(1).await;
    app.state.usage.flush(&app.state.db).await.unwrap();

    let rows = usage_rows(&app, partner).await;
    let later = start + Duration::minutes(20);
    let next = start + Duration::minutes(80);
    let hour = |t: DateTime<Utc>| t.duration_trunc(Duration::hours(1)).unwrap();
    let mut articles: Vec<uuid::Uuid> = ids.iter().map(|id| id.parse().unwrap()).collect();
    articles.sort();
    let expected: Vec<_> = [(hour(start), 8, start, later), (hour(next), 1, next, next)]
        .into_iter()
        .flat_map(|(h, n, first, last)| articles.iter().map(move |a| (*a, h, n, first, last)))
        .collect();
    assert_eq!(rows, expected);

    // The report adds them up: 18 fetches of two stories.
    let day = start.date_naive();
    let report = app
        .get(
            &format!("/api/v1/partners/{partner}/usage?from={day}&to={day}"),
            &admin.token,
        )
        .await;
    report.assert_status(200);
    assert_eq!(report.body["total_fetches"], 18);
    assert_eq!(report.body["days"][0]["stories"], 2);
}

#[actix_web::test]
async fn two_instances_flushing_the_same_stories_at_once_add_up() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "twice").await;
    let (partner, _key) = app.partner(&admin, json!({"name": "Twice"})).await;
    let key_id: uuid::Uuid = sqlx::query_scalar("select id from api_keys where partner_id = $1")
        .bind(partner)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let at = app.clock.now();
    let fetches: Vec<Fetch> = (0..500)
        .map(|_| Fetch {
            partner_id: partner,
            key_id,
            article_id: uuid::Uuid::now_v7(),
            article_version: 1,
            outlet_id: desk.outlet,
            at,
        })
        .collect();
    // Each "instance" saw every story three times.
    let (one, two) = (UsageLog::default(), UsageLog::default());
    for log in [&one, &two] {
        for _ in 0..3 {
            log.record(fetches.iter().cloned());
        }
    }
    let (a, b) = tokio::join!(one.flush(&app.state.db), two.flush(&app.state.db));
    assert_eq!((a.unwrap(), b.unwrap()), (1500, 1500));
    let rows = usage_rows(&app, partner).await;
    assert_eq!(rows.len(), 500);
    assert!(rows
        .iter()
        .all(|(_, _, n, first, last)| *n == 6 && *first == at && *last == at));
}

#[actix_web::test]
async fn a_failed_flush_keeps_its_rows_for_the_next_and_counts_nothing_twice() {
    let app = TestApp::spawn().await;
    let metrics = crate::metrics::Listener::start(&app);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "kept-back").await;
    let story = id_str(&app.published(&admin, &desk, "Kept back", json!({})).await);
    let (partner, key) = app.partner(&admin, json!({"name": "Patient"})).await;
    for _ in 0..3 {
        app.syndication(&key, &format!("/syndication/v1/articles/{story}"))
            .await
            .assert_status(200);
    }
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 3);
    // Two more fetches of it (recorded as the handlers do, with no request or key use to
    // write first), then a database that is not there: the flush fails and its rows go back.
    let (key_id, article_id, article_version, outlet_id) = sqlx::query_as(
        "select key_id, article_id, article_version, outlet_id from partner_usage
         where partner_id = $1",
    )
    .bind(partner)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let again = Fetch {
        partner_id: partner,
        key_id,
        article_id,
        article_version,
        outlet_id,
        at: app.clock.now(),
    };
    app.state.usage.record([again.clone(), again]);
    let gone = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect_lazy("postgres://nobody@127.0.0.1:1/none")
        .unwrap();
    assert!(app.state.usage.flush(&gone).await.is_err());
    assert_eq!(usage_rows(&app, partner).await[0].2, 3);
    assert_eq!(app.state.usage.flush(&app.state.db).await.unwrap(), 2);
    let rows = usage_rows(&app, partner).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2, 5);
    // Served five times, counted five times: putting them back is not serving them again.
    let scrape = metrics.scrape(&app).await;
    let partner = partner.to_string();
    assert_eq!(
        scrape.value(
            "newsroom_partner_stories_served_total",
            &[("partner", partner.as_str())]
        ),
        5.0
    );
}
