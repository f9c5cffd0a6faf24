//! A story's public JSON made ahead (`story_docs`): read from its doc, the story is the same
//! bytes as read from its tables; every input of a doc, changed by any path, sends the read
//! back to the tables until the doc is made again; the visibility rule never comes from a doc;
//! and a doc made from inputs that changed meanwhile is never stored.

use chrono::Duration;
use newsroom::domain::Role;
use newsroom::public::story_docs;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{id_of, id_str, Res, TestApp};

/// The story at `path` after the service clock moved past any kept answer.
pub(super) async fn fresh(app: &TestApp, path: &str) -> Res {
    app.clock.advance(Duration::seconds(2));
    let res = app.get_with(path, &[]).await;
    res.assert_status(200);
    res
}

/// The stored doc of a story (None: to be made).
pub(super) async fn doc(app: &TestApp, id: &str) -> Option<String> {
    sqlx::query_scalar("select doc from story_docs where article_id = $1")
        .bind(Uuid::parse_str(id).unwrap())
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

pub(super) async fn make(app: &TestApp) -> usize {
    story_docs::make_due(&app.state.db).await.unwrap()
}

/// After `what` changed (answered `res`): the doc is forgotten, and the story `shows` the
/// change both from its tables and from its doc made again.
async fn remade(
    app: &TestApp,
    id: &str,
    path: &str,
    what: &str,
    res: Res,
    shows: fn(&Value) -> bool,
) {
    assert!(res.status.is_success(), "{what}: {}", res.text);
    assert_eq!(doc(app, id).await, None, "{what} forgets the doc");
    assert!(
        shows(&fresh(app, path).await.body),
        "{what}, from the tables"
    );
    assert!(make(app).await >= 1, "{what}");
    assert!(shows(&fresh(app, path).await.body), "{what}, from the doc");
}

#[actix_web::test]
async fn a_story_read_from_its_doc_is_the_bytes_read_from_its_tables() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let t = app
        .translated(&admin, "Dawn's desk \"covers\" Pakistan.", json!({}))
        .await;
    let (star, id, copy) = (t.star, id_str(&t.original), t.copy);
    app.edit(
        &admin.token,
        &id,
        2,
        json!({"correction_note": "The vote was late."}),
    )
    .await
    .assert_status(200);
    let paths = [
        "/public/v1/outlets/dawn/articles/budget-passes".to_owned(),
        format!(
            "/public/v1/outlets/{}/articles/bajet-diluluskan",
            star.outlet
        ),
    ];

    let mut from_tables = Vec::new();
    for path in &paths {
        from_tables.push(fresh(&app, path).await);
    }
    assert_eq!(
        doc(&app, &id).await,
        None,
        "no doc is made without the loop"
    );
    assert!(make(&app).await >= 2);
    assert!(doc(&app, &id).await.is_some());
    assert!(doc(&app, &id_str(&copy)).await.is_some());
    for (path, before) in paths.iter().zip(&from_tables) {
        let after = fresh(&app, path).await;
        assert_eq!(after.text, before.text, "{path}");
        assert_eq!(after.header("etag"), before.header("etag"));
        assert_eq!(
            after.header("last-modified"),
            before.header("last-modified")
        );
    }
    let b = &from_tables[0].body;
    assert_eq!(b["translations"][0]["slug"], "bajet-diluluskan");
    assert_eq!(b["corrections"][0]["note"], "The vote was late.");
    assert_eq!(b["authors"][0]["bio"], "Dawn's desk \"covers\" Pakistan.");
    assert_eq!(from_tables[1].body["origin"]["outlet"]["slug"], "dawn");
    assert_eq!(make(&app).await, 0, "made docs stay made");
}

#[actix_web::test]
async fn every_input_of_a_doc_sends_the_read_back_to_the_tables_until_it_is_made_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let picture = crate::media::on_stories::picture(
        &app,
        &editor,
        dawn.outlet,
        (64, 48),
        Some("Ships in port"),
    )
    .await;
    let story = app
        .published(
            &admin,
            &dawn,
            "Port reopens",
            json!({"featured_media_id": picture, "origin_outlet_id": star.outlet}),
        )
        .await;
    let id = id_str(&story);
    let path = "/public/v1/outlets/dawn/articles/port-reopens";
    let second = app
        .post(
            "/api/v1/authors",
            &admin.token,
            json!({"slug": "second-desk", "name": "Second Desk", "outlet_id": dawn.outlet}),
        )
        .await;
    second.assert_status(201);
    let second = id_of(&second);
    make(&app).await;

    let res = app
        .patch(
            &format!("/api/v1/authors/{}", dawn.author),
            &admin.token,
            json!({"bio": "New bio."}),
        )
        .await;
    remade(&app, &id, path, "the author's bio", res, |b| {
        b["authors"][0]["bio"] == "New bio."
    })
    .await;
    let res = app
        .patch(
            &format!("/api/v1/outlets/{}", dawn.outlet),
            &admin.token,
            json!({"name": "Dawn Daily"}),
        )
        .await;
    remade(&app, &id, path, "the outlet's name", res, |b| {
        b["outlet"]["name"] == "Dawn Daily"
    })
    .await;
    let res = app
        .patch(
            &format!("/api/v1/sections/{}", dawn.section),
            &admin.token,
            json!({"name": "World"}),
        )
        .await;
    remade(&app, &id, path, "the section's name", res, |b| {
        b["section"]["name"] == "World"
    })
    .await;
    let res = app
        .patch(
            &format!("/api/v1/outlets/{}", star.outlet),
            &admin.token,
            json!({"name": "Star Daily"}),
        )
        .await;
    remade(&app, &id, path, "the credited outlet's name", res, |b| {
        b["origin"]["outlet"]["name"] == "Star Daily"
    })
    .await;
    let res = app
        .call_with(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/media/{picture}"),
            &editor.token,
            Some(json!({"caption": "Ships wait outside."})),
            &[("if-match", "\"1\"")],
        )
        .await;
    remade(&app, &id, path, "the picture's caption", res, |b| {
        b["featured_picture"]["caption"] == "Ships wait outside."
    })
    .await;

    // The story's own edits: a correction, then a new byline.
    let current = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    let v = current.body["version"].as_i64().unwrap();
    app.edit(
        &admin.token,
        &id,
        v,
        json!({"correction_note": "The port is in Karachi."}),
    )
    .await
    .assert_status(200);
    assert_eq!(doc(&app, &id).await, None);
    make(&app).await;
    assert_eq!(
        fresh(&app, path).await.body["corrections"][0]["note"],
        "The port is in Karachi."
    );
    app.edit(&admin.token, &id, v + 1, json!({"author_ids": [second]}))
        .await
        .assert_status(200);
    assert_eq!(doc(&app, &id).await, None);
    assert_eq!(
        fresh(&app, path).await.body["authors"][0]["name"],
        "Second Desk"
    );
    make(&app).await;
    assert_eq!(
        fresh(&app, path).await.body["authors"][0]["name"],
        "Second Desk"
    );
}

#[actix_web::test]
async fn a_doc_never_decides_visibility() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let original = app
        .published(&admin, &dawn, "Talks resume", json!({}))
        .await;
    let id = id_str(&original);
    let lifts = app.clock.now() + Duration::hours(1);
    let embargoed = app
        .published(
            &admin,
            &dawn,
            "Rundingan bersambung",
            json!({"language": "ms", "translation_of": id, "embargo_until": lifts}),
        )
        .await;
    make(&app).await;
    assert!(
        doc(&app, &id_str(&embargoed)).await.is_some(),
        "made under embargo"
    );
    let under = "/public/v1/outlets/dawn/articles/rundingan-bersambung";
    app.get_with(under, &[]).await.assert_problem(404);
    let page = fresh(&app, "/public/v1/outlets/dawn/articles/talks-resume").await;
    assert_eq!(page.body["translations"], json!([]));

    // The embargo lifts with no write: the doc is the same, the answers are not.
    app.clock.advance(Duration::hours(1));
    assert!(doc(&app, &id_str(&embargoed)).await.is_some());
    assert_eq!(
        fresh(&app, under).await.body["headline"],
        "Rundingan bersambung"
    );
    let page = fresh(&app, "/public/v1/outlets/dawn/articles/talks-resume").await;
    assert_eq!(page.body["translations"][0]["language"], "ms");

    // A kill: gone at once, though the loop has not run since.
    let v = original["version"].as_i64().unwrap();
    app.act(
        &admin.token,
        &id,
        v,
        "kill",
        Some(json!({"note": "Court order"})),
    )
    .await
    .assert_status(200);
    app.get_with("/public/v1/outlets/dawn/articles/talks-resume", &[])
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn a_doc_made_from_inputs_that_changed_meanwhile_is_never_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let story = app.published(&admin, &dawn, "Rates hold", json!({})).await;
    let id = id_str(&story);
    let author = dawn.author;

    // A change in flight holds the doc's row: the maker skips it and it stays to be made.
    let mut change = app.state.db.begin().await.unwrap();
    sqlx::query("update authors set bio = 'In flight.' where id = $1")
        .bind(author)
        .execute(&mut *change)
        .await
        .unwrap();
    make(&app).await;
    assert_eq!(doc(&app, &id).await, None);
    change.commit().await.unwrap();
    make(&app).await;
    assert!(doc(&app, &id).await.unwrap().contains("In flight."));

    // A maker's snapshot taken before a change that commits first: its write is refused, even
    // though the change found the doc null already (the trigger writes a new row version).
    sqlx::query("update story_docs set doc = null")
        .execute(&app.state.db)
        .await
        .unwrap();
    let mut maker = app.state.db.begin().await.unwrap();
    sqlx::query("set transaction isolation level repeatable read")
        .execute(&mut *maker)
        .await
        .unwrap();
    let before: Option<String> = sqlx::query_scalar("select bio from authors where id = $1")
        .bind(author)
        .fetch_one(&mut *maker)
        .await
        .unwrap();
    assert_eq!(before.as_deref(), Some("In flight."));
    sqlx::query("update authors set bio = 'Committed first.' where id = $1")
        .bind(author)
        .execute(&app.state.db)
        .await
        .unwrap();
    let stale =
        sqlx::query("update story_docs set doc = 'made from In flight.' where article_id = $1")
            .bind(Uuid::parse_str(&id).unwrap())
            .execute(&mut *maker)
            .await
            .unwrap_err();
    assert!(story_docs::is_stale_snapshot(&stale), "{stale}");
    drop(maker);
    assert_eq!(doc(&app, &id).await, None);
    make(&app).await;
    assert!(doc(&app, &id).await.unwrap().contains("Committed first."));
}
