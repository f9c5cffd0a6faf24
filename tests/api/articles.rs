//! Articles: drafting, editing with If-Match, corrections, deletion, idempotency.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, version_of, TestApp};

#[actix_web::test]
async fn a_draft_is_created_with_a_derived_slug_rendered_html_and_an_etag() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let body = json!({"outlet_id": desk.outlet, "headline": "Trade talks resume in Jakarta", "body": "## Talks\n\nMinisters *met*.",
        "author_ids": [desk.author], "tags": ["ASEAN", "trade", "asean"]});
    let res = app.post("/api/v1/articles", &writer.token, body).await;
    res.assert_status(201);
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(res.body["slug"], json!("trade-talks-resume-in-jakarta"));
    assert_eq!(res.body["status"], json!("draft"));
    assert_eq!(res.body["version"], json!(1));
    assert_eq!(
        res.body["language"],
        json!("en"),
        "the outlet's language by default"
    );
    assert_eq!(res.body["tags"], json!(["asean", "trade"]));
    assert_eq!(
        res.body["body_html"],
        json!("<h2>Talks</h2>\n<p>Ministers <em>met</em>.</p>\n")
    );
    assert_eq!(res.body["allowed_actions"], json!(["submit"]));
    assert_eq!(res.body["created_by"], json!(writer.id));

    let again = app
        .post(
            "/api/v1/articles",
            &writer.token,
            json!({"outlet_id": desk.outlet, "headline": "Trade talks resume in Jakarta"}),
        )
        .await;
    assert_eq!(
        again.body["slug"],
        json!("trade-talks-resume-in-jakarta-2"),
        "derived slugs stay unique"
    );
    let taken = app.post("/api/v1/articles", &writer.token, json!({"outlet_id": desk.outlet, "headline": "Other", "slug": "trade-talks-resume-in-jakarta"})).await;
    taken.assert_problem(409);
    assert!(!taken.field_errors("slug").is_empty());
    let chinese = app.post("/api/v1/articles", &writer.token, json!({"outlet_id": desk.outlet, "headline": "中国经济稳步增长", "language": "zh-Hans"})).await;
    assert_eq!(chinese.body["slug"], json!("中国经济稳步增长"));
}

#[actix_web::test]
async fn script_never_survives_into_body_html() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let attacks = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<svg onload=alert(1)></svg>";
    let res = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "XSS", "body": attacks}),
        )
        .await;
    res.assert_status(201);
    let html = res.body["body_html"].as_str().unwrap().to_lowercase();
    for banned in ["<script", "onerror", "javascript:", "<svg", "onload"] {
        assert!(!html.contains(banned), "{banned} survived: {html}");
    }
    assert_eq!(
        res.body["body"],
        json!(attacks),
        "the Markdown source is kept verbatim"
    );
}

#[actix_web::test]
async fn a_body_cannot_set_status_version_ids_timestamps_or_outlet() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let other = app.newsroom(&admin, "the-star").await;
    let created = app.draft(&admin, &desk, "Story").await;
    let id = id_str(&created);
    let revisions_before = app.count("article_revisions").await;
    for (field, value) in [
        ("status", json!("published")),
        ("version", json!(9)),
        ("id", json!(uuid::Uuid::now_v7())),
        ("created_at", json!("2020-01-01T00:00:00Z")),
        ("published_at", json!("2020-01-01T00:00:00Z")),
        ("first_published_at", json!("2020-01-01T00:00:00Z")),
        ("outlet_id", json!(other.outlet)),
        ("created_by", json!(admin.id)),
        ("body_html", json!("<b>x</b>")),
    ] {
        let res = app
            .edit(
                &admin.token,
                &id,
                1,
                json!({"headline": "Changed", field: value}),
            )
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let create = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "X", "status": "published"}),
        )
        .await;
    create.assert_problem(422);
    let now = app
        .get(&format!("/api/v1/articles/{id}"), &admin.token)
        .await;
    assert_eq!(now.body["headline"], json!("Story"));
    assert_eq!(now.body["version"], json!(1));
    assert_eq!(app.count("article_revisions").await, revisions_before);
}

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
async fn publishing_needs_a_headline_a_body_a_section_and_an_author() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let bare = app
        .post(
            "/api/v1/articles",
            &admin.token,
            json!({"outlet_id": desk.outlet, "headline": "Bare"}),
        )
        .await;
    let id = id_str(&bare.body);
    let res = app.act(&admin.token, &id, 1, "publish", None).await;
    res.assert_problem(422);
    for field in ["body", "section_id", "author_ids"] {
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let edited = app
        .edit(
            &admin.token,
            &id,
            1,
            json!({"body": "Text.", "section_id": desk.section, "author_ids": [desk.author]}),
        )
        .await;
    edited.assert_status(200);
    let published = app.act(&admin.token, &id, 2, "publish", None).await;
    published.assert_status(200);
    assert_eq!(published.body["status"], json!("published"));
    assert_eq!(published.body["first_published_at"], json!(app.clock.now()));
    let cleared = app
        .edit(&admin.token, &id, 3, json!({"section_id": null}))
        .await;
    cleared.assert_problem(422);
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
async fn a_forbidden_transition_is_409_listing_the_allowed_actions() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let id = id_str(&app.draft(&editor, &desk, "Story").await);
    let res = app.act(&editor.token, &id, 1, "unpublish", None).await;
    res.assert_problem(409);
    assert_eq!(res.body["allowed_actions"], json!(["submit", "publish"]));
    app.act(&editor.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    app.act(
        &editor.token,
        &id,
        2,
        "kill",
        Some(json!({"note": "Legal"})),
    )
    .await
    .assert_problem(403);
    app.act(&admin.token, &id, 2, "kill", None)
        .await
        .assert_problem(422);
    let killed = app
        .act(
            &admin.token,
            &id,
            2,
            "kill",
            Some(json!({"note": "Court order 12/2026"})),
        )
        .await;
    killed.assert_status(200);
    assert_eq!(killed.body["allowed_actions"], json!([]));
    assert_eq!(killed.body["editable"], json!(false));
    app.edit(&admin.token, &id, 3, json!({"headline": "Back"}))
        .await
        .assert_problem(403);
    app.act(&admin.token, &id, 3, "dance", None)
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn returning_a_story_needs_a_note_and_scheduling_a_future_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let id = id_str(&app.draft(&admin, &desk, "Story").await);
    app.act(&admin.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(&admin.token, &id, 2, "return", Some(json!({"note": "  "})))
        .await
        .assert_problem(422);
    app.act(&admin.token, &id, 2, "approve", Some(json!({})))
        .await
        .assert_status(200);
    let past = (app.clock.now() - chrono::Duration::minutes(1)).to_rfc3339();
    let res = app
        .act(&admin.token, &id, 3, "schedule", Some(json!({"at": past})))
        .await;
    res.assert_problem(422);
    assert!(!res.field_errors("at").is_empty());
    app.act(
        &admin.token,
        &id,
        3,
        "schedule",
        Some(json!({"when": "later"})),
    )
    .await
    .assert_problem(422);
    let returned = app
        .act(
            &admin.token,
            &id,
            3,
            "return",
            Some(json!({"note": "Needs a second source."})),
        )
        .await;
    returned.assert_status(200);
    assert_eq!(returned.body["status"], json!("draft"));
}

#[actix_web::test]
async fn an_idempotency_key_makes_a_retry_return_the_first_result() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let body = json!({"outlet_id": desk.outlet, "headline": "Once", "body": "B", "section_id": desk.section, "author_ids": [desk.author]});
    let first = app
        .call_with(
            Method::POST,
            "/api/v1/articles",
            &admin.token,
            Some(body.clone()),
            &[("idempotency-key", "create-1")],
        )
        .await;
    first.assert_status(201);
    let retry = app
        .call_with(
            Method::POST,
            "/api/v1/articles",
            &admin.token,
            Some(body.clone()),
            &[("idempotency-key", "create-1")],
        )
        .await;
    retry.assert_status(201);
    assert_eq!(retry.body["id"], first.body["id"]);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.count("articles").await, 1);
    let other = app
        .call_with(
            Method::POST,
            "/api/v1/articles",
            &admin.token,
            Some(json!({"outlet_id": desk.outlet, "headline": "Other"})),
            &[("idempotency-key", "create-1")],
        )
        .await;
    other.assert_problem(422);

    let id = id_str(&first.body);
    let path = format!("/api/v1/articles/{id}/actions/publish");
    let headers = [("if-match", "\"1\""), ("idempotency-key", "publish-1")];
    app.call_with(Method::POST, &path, &admin.token, None, &headers)
        .await
        .assert_status(200);
    let again = app
        .call_with(Method::POST, &path, &admin.token, None, &headers)
        .await;
    again.assert_status(200);
    assert_eq!(again.body["version"], json!(2));
    let events: i64 = sqlx::query_scalar("select count(*) from outbox_events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1, "the retried publish did nothing twice");
    assert_eq!(
        version_of(
            &app.get(&format!("/api/v1/articles/{id}"), &admin.token)
                .await
                .body
        ),
        2
    );
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
async fn the_note_of_a_returned_story_is_on_its_revision() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let id = id_str(&app.draft(&writer, &desk, "Returned").await);
    app.act(&writer.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(
        &admin.token,
        &id,
        2,
        "return",
        Some(json!({"note": "Needs a second source."})),
    )
    .await
    .assert_status(200);
    let revisions = app
        .get(
            &format!("/api/v1/articles/{id}/revisions?limit=1"),
            &writer.token,
        )
        .await;
    assert_eq!(revisions.body["items"][0]["action"], json!("return"));
    assert_eq!(
        revisions.body["items"][0]["note"],
        json!("Needs a second source.")
    );
}

#[actix_web::test]
async fn derived_slugs_of_long_headlines_stay_within_the_limit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let headline = "word ".repeat(40);
    let mut slugs = Vec::new();
    for _ in 0..3 {
        let res = app
            .post(
                "/api/v1/articles",
                &admin.token,
                json!({"outlet_id": desk.outlet, "headline": headline}),
            )
            .await;
        res.assert_status(201);
        slugs.push(res.body["slug"].as_str().unwrap().to_owned());
    }
    assert!(slugs.iter().all(|s| s.chars().count() <= 100), "{slugs:?}");
    assert!(
        slugs[1].ends_with("-2") && slugs[2].ends_with("-3"),
        "{slugs:?}"
    );
}
