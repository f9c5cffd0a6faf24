//! Editing: a change needs a current If-Match, an edit of a published story is a correction,
//! an edit that changes nothing saves nothing, and only never-published drafts are deleted.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_change_needs_if_match_and_a_stale_one_is_412() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Story").await);
    let path = format!("/api/v1/articles/{id}");
    app.patch(&path, &admin.token, json!({"headline": "No precondition"}))
        .await
        .assert_problem(428);
    app.call_with(
        Method::POST,
        &format!("{path}/actions/submit"),
        &admin.token,
        None,
        &[],
    )
    .await
    .assert_problem(428);
    let res = app
        .edit(&admin.token, &id, 1, json!({"headline": "First"}))
        .await;
    res.assert_status(200);
    assert_eq!(res.header("etag"), Some("\"2\""));
    app.edit(&admin.token, &id, 1, json!({"headline": "Lost update"}))
        .await
        .assert_problem(412);
    app.act(&admin.token, &id, 1, "submit", None)
        .await
        .assert_problem(412);
    let weak = app
        .call_with(
            Method::PATCH,
            &path,
            &admin.token,
            Some(json!({"headline": "Weak"})),
            &[("if-match", "W/\"2\"")],
        )
        .await;
    weak.assert_status(200);
    assert_eq!(
        app.get(&path, &admin.token).await.body["headline"],
        json!("Weak")
    );
}

#[actix_web::test]
async fn an_edit_of_a_published_story_is_a_correction() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let id = id_str(&app.draft(&editor, &desk, "Flood in Sindh").await);
    let published = app.act(&editor.token, &id, 1, "publish", None).await;
    let first = published.body["first_published_at"].clone();
    app.clock.advance(chrono::Duration::hours(2));
    let body = json!({"body": "The flood displaced 2,000 people.", "correction_note": "An earlier version gave the wrong number of displaced people."});
    let corrected = app.edit(&editor.token, &id, 2, body).await;
    corrected.assert_status(200);
    assert_eq!(
        corrected.body["first_published_at"], first,
        "first_published_at is set once"
    );
    assert_eq!(corrected.body["updated_at"], json!(app.clock.now()));
    assert_eq!(corrected.body["published_at"], json!(app.clock.now()));
    assert_eq!(
        corrected.body["corrections"][0]["note"],
        json!("An earlier version gave the wrong number of displaced people.")
    );
    assert_eq!(
        corrected.body["corrections"][0]["created_at"],
        json!(app.clock.now())
    );
    let events: Vec<(String, i32)> = sqlx::query_as("select event_type, article_version from outbox_events where article_id = $1::uuid order by id")
        .bind(&id)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        events,
        [
            ("article.published".to_owned(), 2),
            ("article.updated".to_owned(), 3)
        ]
    );

    let draft = id_str(&app.draft(&editor, &desk, "Draft").await);
    let note = app
        .edit(
            &editor.token,
            &draft,
            1,
            json!({"headline": "D", "correction_note": "No."}),
        )
        .await;
    note.assert_problem(422);
}

#[actix_web::test]
async fn only_never_published_drafts_can_be_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let draft = id_str(&app.draft(&admin, &desk, "Draft").await);
    app.call_with(
        Method::DELETE,
        &format!("/api/v1/articles/{draft}"),
        &admin.token,
        None,
        &[("if-match", "\"1\"")],
    )
    .await
    .assert_status(204);
    app.get(&format!("/api/v1/articles/{draft}"), &admin.token)
        .await
        .assert_problem(404);

    let story = id_str(&app.draft(&admin, &desk, "Story").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &story, 2, "unpublish", None)
        .await
        .assert_status(200);
    let res = app
        .call_with(
            Method::DELETE,
            &format!("/api/v1/articles/{story}"),
            &admin.token,
            None,
            &[("if-match", "\"3\"")],
        )
        .await;
    res.assert_problem(409);
}

#[actix_web::test]
async fn an_edit_that_changes_nothing_saves_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Same").await);
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    let res = app
        .edit(&admin.token, &id, 2, json!({"headline": "Same"}))
        .await;
    res.assert_status(200);
    assert_eq!(res.body["version"], json!(2));
    let events: i64 = sqlx::query_scalar("select count(*) from outbox_events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        events, 1,
        "only the publication; no article.updated for a no-op"
    );
}

#[actix_web::test]
async fn a_byline_keeps_the_order_sent_as_it_grows_is_reordered_and_shrinks() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let mut authors = vec![desk.author.to_string()];
    for name in ["Amna", "Bilal"] {
        let res = app
            .post(
                "/api/v1/authors",
                &admin.token,
                json!({"slug": name.to_lowercase(), "name": name, "outlet_id": desk.outlet}),
            )
            .await;
        res.assert_status(201);
        authors.push(id_str(&res.body));
    }
    let (first, amna, bilal) = (&authors[0], &authors[1], &authors[2]);
    let id = id_str(&app.draft(&admin, &desk, "Story").await);
    let bylines = [
        json!([first, bilal, amna]),
        json!([amna, first, bilal]),
        json!([bilal, amna]),
        json!([amna]),
    ];
    for (version, byline) in (1..).zip(bylines) {
        let res = app
            .edit(&admin.token, &id, version, json!({"author_ids": byline}))
            .await;
        res.assert_status(200);
        let stored = app
            .get(&format!("/api/v1/articles/{id}"), &admin.token)
            .await;
        assert_eq!(stored.body["author_ids"], byline);
    }
}
