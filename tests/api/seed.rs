//! `newsroom seed --articles N`: realistic stories written with COPY, once, that every API
//! serves like stories made through the API.

use std::collections::HashSet;

use newsroom::seed::{self, Outcome, ADVISORY_LOCK, MAX_BODY, MIN_BODY};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::cli::newsroom;
use crate::helpers::TestApp;
use actix_web::http::Method;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db)
        .await
        .expect(sql)
}

async fn ids(app: &TestApp, sql: &str) -> Vec<Uuid> {
    sqlx::query_scalar(sql)
        .fetch_all(&app.state.db)
        .await
        .expect(sql)
}

#[actix_web::test]
async fn seeding_writes_realistic_stories_and_a_second_run_adds_nothing() {
    let app = TestApp::spawn().await;
    let outcome = seed::run(&app.state, 300, false).await.unwrap();
    assert_eq!(
        outcome,
        Outcome {
            before: 0,
            after: 300
        }
    );
    assert_eq!(app.count("articles").await, 300);

    let published = scalar(
        &app,
        "select count(*) from articles where status = 'published'",
    )
    .await;
    assert!(
        (255..=290).contains(&published),
        "~90% published: {published}"
    );
    for (what, sql) in [
        ("drafts", "select count(*) from articles where status = 'draft'"),
        ("in review", "select count(*) from articles where status = 'in_review'"),
        ("scheduled", "select count(*) from articles where status = 'scheduled' and scheduled_at > '2026-03-02T09:00:00Z'"),
        ("embargoed", "select count(*) from articles where status = 'published' and embargo_until > '2026-03-02T09:00:00Z'"),
        ("withdrawn", "select count(*) from articles where status in ('killed', 'unpublished')"),
        ("corrected", "select count(distinct article_id) from article_corrections"),
    ] {
        assert!(scalar(&app, sql).await > 0, "some {what}");
    }
    let (min, max): (i32, i32) =
        sqlx::query_as("select min(octet_length(body)), max(octet_length(body)) from articles")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(
        min >= MIN_BODY as i32 && max <= MAX_BODY as i32,
        "{min}..{max}"
    );
    let markdown = scalar(
        &app,
        "select count(*) from articles where body like '%## %' and body_html like '%<h2>%'",
    )
    .await;
    assert!(markdown > 0, "subheadings rendered to HTML");
    let (fewest, most): (i64, i64) = sqlx::query_as(
        "select min(c), max(c) from (select count(x.article_id) c from articles a
         left join article_authors x on x.article_id = a.id group by a.id) t",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((fewest, most), (1, 3), "1-3 authors each");
    let languages = scalar(&app, "select count(distinct language) from articles").await;
    let english = scalar(&app, "select count(*) from articles where language = 'en'").await;
    assert!(
        languages >= 4 && english > 150,
        "{languages} languages, {english} in English"
    );
    assert_eq!(
        scalar(&app, "select count(*) from (select slug from articles group by outlet_id, slug having count(*) > 1) d").await,
        0
    );
    assert!(scalar(&app, "select count(distinct outlet_id) from articles").await >= 5);
    assert_eq!(
        scalar(&app, "select count(*) from articles a where version <> (select count(*) from article_revisions r where r.article_id = a.id)").await,
        0,
        "one revision per version"
    );
    assert_eq!(
        scalar(&app, "select count(*) from articles a where (status = 'published' and (embargo_until is null or embargo_until <= '2026-03-02T09:00:00Z'))
                      <> exists (select 1 from outbox_events e where e.article_id = a.id and e.event_type = 'article.published' and a.status = 'published')").await,
        0,
        "exactly the visible stories were announced to partners"
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from outbox_events where delivered_at is null"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from audit_entries where action = 'article.seed'"
        )
        .await,
        1
    );

    let revisions = app.count("article_revisions").await;
    let again = seed::run(&app.state, 300, false).await.unwrap();
    assert_eq!(
        again,
        Outcome {
            before: 300,
            after: 300
        }
    );
    let fewer = seed::run(&app.state, 100, false).await.unwrap();
    assert_eq!(
        fewer,
        Outcome {
            before: 300,
            after: 300
        },
        "never removes stories"
    );
    assert_eq!(app.count("articles").await, 300);
    assert_eq!(app.count("article_revisions").await, revisions);

    let more = seed::run(&app.state, 350, false).await.unwrap();
    assert_eq!(
        more,
        Outcome {
            before: 300,
            after: 350
        }
    );
    assert_eq!(app.count("articles").await, 350);
}

#[actix_web::test]
async fn a_run_fills_the_batches_a_stopped_run_left_out_and_nothing_else() {
    let app = TestApp::spawn().await;
    seed::run(&app.state, 150, false).await.unwrap();
    let mut all = ids(&app, "select id from articles").await;
    all.sort();
    // As if writers had committed stories 0-49 and 100-149 but not 50-99: the story number
    // is the low 62 bits of a seeded id.
    let lost: Vec<Uuid> = all
        .iter()
        .copied()
        .filter(|id| (50..100).contains(&(id.as_u128() & ((1 << 62) - 1))))
        .collect();
    assert_eq!(lost.len(), 50);
    for sql in [
        "delete from outbox_events where article_id = any($1)",
        "delete from articles where id = any($1)",
    ] {
        sqlx::query(sql)
            .bind(&lost)
            .execute(&app.state.db)
            .await
            .unwrap();
    }
    sqlx::raw_sql(
        "delete from seed_batches;
         insert into seed_batches (first_article, articles, written_at)
         values (0, 50, now()), (100, 50, now())",
    )
    .execute(&app.state.db)
    .await
    .unwrap();

    let resumed = seed::run(&app.state, 150, false).await.unwrap();
    assert_eq!(
        resumed,
        Outcome {
            before: 100,
            after: 150
        }
    );
    let mut again = ids(&app, "select id from articles").await;
    again.sort();
    assert_eq!(again, all, "the same stories, each once");
    assert_eq!(
        scalar(&app, "select count(*) from article_revisions r where not exists (select 1 from articles a where a.id = r.article_id)").await,
        0
    );
}

#[actix_web::test]
async fn a_second_run_while_one_is_seeding_is_turned_away() {
    let app = TestApp::spawn().await;
    // Held the way a run holds it: in a transaction (behind PgBouncer in transaction mode a
    // session-level lock would not stay on one server connection).
    let mut holder = app.state.db.begin().await.unwrap();
    sqlx::query("select pg_advisory_xact_lock($1)")
        .bind(ADVISORY_LOCK)
        .execute(&mut *holder)
        .await
        .unwrap();
    let err = seed::run(&app.state, 10, false).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("another `newsroom seed` is running"),
        "{err}"
    );
    assert_eq!(app.count("articles").await, 0);
    holder.rollback().await.unwrap();
    assert_eq!(seed::run(&app.state, 10, false).await.unwrap().after, 10);
}

#[actix_web::test]
async fn seeded_stories_are_served_by_every_api_and_hidden_ones_stay_hidden() {
    let app = TestApp::spawn().await;
    seed::run(&app.state, 300, false).await.unwrap();
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

#[actix_web::test]
async fn the_seed_command_seeds_once_and_says_so() {
    let app = TestApp::spawn().await;
    let url = app.database_url();
    let first = newsroom(&url, &["seed", "--articles", "20"], "");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).starts_with("seeded 20 articles"));
    let second = newsroom(&url, &["seed", "--articles", "20"], "");
    assert!(second.status.success());
    assert_eq!(
        String::from_utf8_lossy(&second.stdout).trim(),
        "20 seeded articles already there: nothing to do"
    );
    assert_eq!(app.count("articles").await, 20);
    let zero = newsroom(&url, &["seed", "--articles", "0"], "");
    assert!(!zero.status.success(), "N must be at least 1");
}
