//! Scheduled publishing and embargoes, with an injected clock (no sleeping), and the
//! exactly-once guarantee with two server instances on one database.

use std::time::Duration;

use newsroom::jobs::{self, scheduler};
use serde_json::json;

use crate::helpers::{id_str, TestApp};

async fn events(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as("select article_id::text, event_type from outbox_events order by id")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_scheduled_story_is_published_when_due_and_not_before() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Budget day").await);
    app.act(&admin.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 2, "approve", None)
        .await
        .assert_status(200);
    let at = app.clock.now() + chrono::Duration::hours(1);
    let scheduled = app
        .act(&admin.token, &id, 3, "schedule", Some(json!({"at": at})))
        .await;
    scheduled.assert_status(200);
    assert_eq!(scheduled.body["scheduled_at"], json!(at));
    assert_eq!(scheduled.body["allowed_actions"], json!(["unschedule"]));

    assert_eq!(scheduler::run_once(&app.state).await.unwrap().published, 0);
    app.clock.advance(chrono::Duration::minutes(59));
    assert_eq!(scheduler::run_once(&app.state).await.unwrap().published, 0);
    app.clock.advance(chrono::Duration::minutes(90));
    assert_eq!(
        scheduler::run_once(&app.state).await.unwrap().published,
        1,
        "a late server catches up"
    );
    let story = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    assert_eq!(story.body["status"], json!("published"));
    assert_eq!(story.body["first_published_at"], json!(app.clock.now()));
    assert_eq!(story.body["scheduled_at"], json!(null));
    assert_eq!(
        events(&app).await,
        [(id.clone(), "article.published".to_owned())]
    );
    assert_eq!(
        scheduler::run_once(&app.state).await.unwrap().published,
        0,
        "never twice"
    );
    let revisions = app
        .get(
            &format!("/api/v1/articles/{id}/revisions?limit=1"),
            &admin.token,
        )
        .await;
    assert_eq!(
        revisions.body["items"][0]["actor_label"],
        json!("scheduler")
    );
}

#[actix_web::test]
async fn a_due_story_the_rule_book_will_not_publish_stays_scheduled_and_holds_up_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let mut ids = Vec::new();
    for headline in ["Kept complete", "Lost its byline"] {
        let id = id_str(&app.draft(&admin, &desk, headline).await);
        for (version, action) in [(1, "submit"), (2, "approve")] {
            app.act(&admin.token, &id, version, action, None)
                .await
                .assert_status(200);
        }
        let at = app.clock.now() + chrono::Duration::minutes(5);
        app.act(&admin.token, &id, 3, "schedule", Some(json!({"at": at})))
            .await
            .assert_status(200);
        ids.push(id);
    }
    // The clock's publication needs a publishable story like anyone's: one that lost its
    // authors behind the API's back is refused, in its own savepoint.
    sqlx::query("delete from article_authors where article_id = $1::uuid")
        .bind(&ids[1])
        .execute(&app.state.db)
        .await
        .unwrap();
    app.clock.advance(chrono::Duration::minutes(10));
    let pass = scheduler::run_once(&app.state).await.unwrap();
    assert_eq!((pass.published, pass.failed), (1, 1));
    for (id, status) in [(&ids[0], "published"), (&ids[1], "scheduled")] {
        let story = app
            .get(&format!("/api/v1/articles/{id}"), &admin.token)
            .await;
        assert_eq!(story.body["status"], json!(status), "{id}");
    }
    assert_eq!(
        events(&app).await,
        [(ids[0].clone(), "article.published".to_owned())]
    );
    let again = scheduler::run_once(&app.state).await.unwrap();
    assert_eq!(
        (again.published, again.failed),
        (0, 1),
        "tried again next pass"
    );
}

#[actix_web::test]
async fn an_unscheduled_story_is_not_published() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Maybe").await);
    app.act(&admin.token, &id, 1, "submit", None).await;
    app.act(&admin.token, &id, 2, "approve", None).await;
    let at = app.clock.now() + chrono::Duration::minutes(5);
    app.act(&admin.token, &id, 3, "schedule", Some(json!({"at": at})))
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 4, "unschedule", None)
        .await
        .assert_status(200);
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(scheduler::run_once(&app.state).await.unwrap().published, 0);
    assert_eq!(
        app.get(&format!("/api/v1/articles/{id}"), &admin.token)
            .await
            .body["status"],
        json!("approved")
    );
}

#[actix_web::test]
async fn an_embargoed_story_is_announced_when_the_embargo_lifts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let until = app.clock.now() + chrono::Duration::hours(6);
    let id = id_str(&app.draft(&admin, &desk, "Report embargoed").await);
    app.edit(&admin.token, &id, 1, json!({"embargo_until": until}))
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 2, "publish", None)
        .await
        .assert_status(200);
    assert!(
        events(&app).await.is_empty(),
        "no event while under embargo"
    );
    app.edit(
        &admin.token,
        &id,
        3,
        json!({"standfirst": "Updated under embargo."}),
    )
    .await
    .assert_status(200);
    assert!(
        events(&app).await.is_empty(),
        "a change under embargo is not announced either"
    );

    app.clock.advance(chrono::Duration::hours(5));
    assert_eq!(
        scheduler::run_once(&app.state)
            .await
            .unwrap()
            .embargoes_lifted,
        0
    );
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(
        scheduler::run_once(&app.state)
            .await
            .unwrap()
            .embargoes_lifted,
        1
    );
    assert_eq!(
        events(&app).await,
        [(id.clone(), "article.published".to_owned())]
    );
    assert_eq!(
        scheduler::run_once(&app.state)
            .await
            .unwrap()
            .embargoes_lifted,
        0
    );
    let res = app
        .edit(
            &admin.token,
            &id,
            4,
            json!({"embargo_until": app.clock.now() + chrono::Duration::hours(1)}),
        )
        .await;
    res.assert_problem(422);
}

#[actix_web::test]
async fn two_instances_publish_two_hundred_due_stories_exactly_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let at = app.clock.now() + chrono::Duration::minutes(10);
    let mut ids = Vec::new();
    for i in 0..200 {
        let id = id_str(&app.draft(&admin, &desk, &format!("Story {i}")).await);
        sqlx::query("update articles set status = 'approved' where id = $1::uuid")
            .bind(&id)
            .execute(&app.state.db)
            .await
            .unwrap();
        ids.push(id);
    }
    for id in &ids {
        app.act(&admin.token, id, 1, "schedule", Some(json!({"at": at})))
            .await
            .assert_status(200);
    }
    // Two instances, each running its own background worker, as `newsroom serve` does.
    let (_server, second) = app.another_instance();
    let workers = [
        actix_web::rt::spawn(jobs::run(
            app.state.clone(),
            Duration::from_millis(5),
            jobs::Stop::never(),
        )),
        actix_web::rt::spawn(jobs::run(
            second.clone(),
            Duration::from_millis(5),
            jobs::Stop::never(),
        )),
    ];
    app.clock.advance(chrono::Duration::minutes(10));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let done: i64 =
            sqlx::query_scalar("select count(*) from articles where status = 'published'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        if done == 200 || std::time::Instant::now() > deadline {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    // Let both workers take a few more passes: nothing may be published twice.
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    crate::helpers::stop_loops(workers).await;
    let per_article: Vec<(i64,)> = sqlx::query_as(
        "select count(*) from outbox_events where event_type = 'article.published' group by article_id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(per_article.len(), 200);
    assert!(
        per_article.iter().all(|(n,)| *n == 1),
        "exactly one article.published each"
    );
    let published: i64 = sqlx::query_scalar(
        "select count(*) from articles where status = 'published' and version = 3",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        published, 200,
        "each published exactly once (one new version each)"
    );
    let by_scheduler: i64 =
        sqlx::query_scalar("select count(*) from article_revisions where action = 'publish'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(by_scheduler, 200);
    second.db.close().await;
}

#[actix_web::test]
async fn clearing_an_embargo_publishes_at_once_and_only_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let until = app.clock.now() + chrono::Duration::hours(6);
    let id = id_str(&app.draft(&admin, &desk, "Embargo cleared").await);
    app.edit(&admin.token, &id, 1, json!({"embargo_until": until}))
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 2, "publish", None)
        .await
        .assert_status(200);
    app.edit(&admin.token, &id, 3, json!({"embargo_until": null}))
        .await
        .assert_status(200);
    assert_eq!(
        events(&app).await,
        [(id.clone(), "article.published".to_owned())]
    );
    app.clock.advance(chrono::Duration::hours(7));
    assert_eq!(
        scheduler::run_once(&app.state)
            .await
            .unwrap()
            .embargoes_lifted,
        0
    );
    // Moving a lifted embargo to another past time announces nothing new either.
    let past = app.clock.now() - chrono::Duration::hours(1);
    let moved = app
        .edit(&admin.token, &id, 4, json!({"embargo_until": past}))
        .await;
    moved.assert_status(200);
    assert_eq!(
        scheduler::run_once(&app.state)
            .await
            .unwrap()
            .embargoes_lifted,
        0
    );
    let kinds: Vec<String> = events(&app)
        .await
        .into_iter()
        .map(|(_, kind)| kind)
        .collect();
    assert_eq!(kinds, ["article.published", "article.updated"]);
}

#[actix_web::test]
async fn withdrawing_a_story_partners_never_saw_sends_no_takedown() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Never seen").await);
    app.edit(
        &admin.token,
        &id,
        1,
        json!({"embargo_until": app.clock.now() + chrono::Duration::days(1)}),
    )
    .await
    .assert_status(200);
    app.act(&admin.token, &id, 2, "publish", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 3, "unpublish", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 4, "kill", Some(json!({"note": "Legal"})))
        .await
        .assert_status(200);
    assert!(events(&app).await.is_empty());

    let seen = id_str(&app.draft(&admin, &desk, "Seen").await);
    app.act(&admin.token, &seen, 1, "publish", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &seen, 2, "unpublish", None)
        .await
        .assert_status(200);
    app.act(
        &admin.token,
        &seen,
        3,
        "kill",
        Some(json!({"note": "Legal"})),
    )
    .await
    .assert_status(200);
    let kinds: Vec<String> = events(&app)
        .await
        .into_iter()
        .map(|(_, kind)| kind)
        .collect();
    assert_eq!(
        kinds,
        ["article.published", "article.withdrawn", "article.killed"]
    );
}
