//! The alt-text rule through the API: a story whose featured or body picture has no alt text
//! is not published, scheduled or published by the clock, and the refusal says which picture.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp};
use crate::media::on_stories::picture;

#[actix_web::test]
async fn a_story_whose_pictures_lack_alt_text_is_not_published_or_scheduled() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let bare = picture(&app, &editor, desk.outlet, (64, 48), None).await;
    let described = picture(&app, &editor, desk.outlet, (48, 64), Some("A boat")).await;
    let created = app
        .post(
            "/api/v1/articles",
            &editor.token,
            json!({
                "outlet_id": desk.outlet, "headline": "Storm", "section_id": desk.section,
                "author_ids": [desk.author], "featured_media_id": bare,
                "body": format!("Text.\n\n![](media:{bare})\n\n![](media:{described})"),
            }),
        )
        .await;
    created.assert_status(201);
    let id = id_str(&created.body);
    let res = app.act(&editor.token, &id, 1, "publish", None).await;
    res.assert_problem(422);
    let featured = res.field_errors("featured_media_id");
    assert!(featured[0].contains("needs alt text"), "{featured:?}");
    let body = res.field_errors("body");
    assert_eq!(body.len(), 1, "only the undescribed body picture: {body:?}");
    assert!(body[0].contains(&format!("media:{bare}")), "{body:?}");

    // Scheduling is refused the same way.
    app.act(&editor.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    app.act(&editor.token, &id, 2, "approve", None)
        .await
        .assert_status(200);
    let at = app.clock.now() + chrono::Duration::hours(1);
    let res = app
        .act(&editor.token, &id, 3, "schedule", Some(json!({"at": at})))
        .await;
    res.assert_problem(422);
    assert!(!res.field_errors("featured_media_id").is_empty());

    // The Markdown's alt text describes a body picture; the picture's own, the featured one.
    let edited = app
        .edit(
            &editor.token,
            &id,
            3,
            json!({"body": format!("Text.\n\n![Waves on the quay](media:{bare})")}),
        )
        .await;
    edited.assert_status(200);
    let res = app.act(&editor.token, &id, 4, "publish", None).await;
    res.assert_problem(422);
    assert!(res.field_errors("body").is_empty(), "{}", res.text);
    app.call_with(
        actix_web::http::Method::PATCH,
        &format!("/api/v1/media/{bare}"),
        &editor.token,
        Some(json!({"alt_text": "Waves breaking over the quay"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .assert_status(200);
    // The body's own alt text was written while the picture had none: the body is drawn
    // again on publication, with the picture's alt text for an empty Markdown alt.
    app.edit(
        &editor.token,
        &id,
        4,
        json!({"body": format!("Text.\n\n![](media:{bare})")}),
    )
    .await
    .assert_status(200);
    let published = app.act(&editor.token, &id, 5, "publish", None).await;
    published.assert_status(200);
    let html = published.body["body_html"].as_str().unwrap();
    assert!(
        html.contains(r#"alt="Waves breaking over the quay""#),
        "{html}"
    );

    // A published story cannot take an undescribed picture either.
    let other = picture(&app, &editor, desk.outlet, (30, 30), None).await;
    let res = app
        .edit(&editor.token, &id, 6, json!({"featured_media_id": other}))
        .await;
    res.assert_problem(422);
    assert!(!res.field_errors("featured_media_id").is_empty());
}
