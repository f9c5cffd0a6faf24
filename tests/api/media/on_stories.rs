//! Pictures on stories: the featured picture and body references are checked against the
//! story's outlet, drawn by the one renderer, recorded in revisions and in `media_uses` (so a
//! picture in use cannot be deleted), and follow every save.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{form, pictures, upload, PictureDesk};
use crate::helpers::{id_of, id_str, Desk, TestApp, TestUser};

/// Uploads a `width` × `height` JPEG to `outlet` as `user`, with `alt` as its alt text.
pub async fn picture(
    app: &TestApp,
    user: &TestUser,
    outlet: Uuid,
    (width, height): (u16, u16),
    alt: Option<&str>,
) -> Uuid {
    let outlet = outlet.to_string();
    let mut texts = vec![("outlet_id", outlet.as_str())];
    texts.extend(alt.map(|a| ("alt_text", a)));
    let bytes = pictures::jpeg(width, height);
    let (ct, body) = form(&bytes, "photo.jpg", "image/jpeg", &texts);
    let res = upload(app, &user.token, &ct, body).await;
    res.assert_status(201);
    id_of(&res)
}

/// The (picture, role) rows of `media_uses` for a story.
pub async fn uses(app: &TestApp, story: &str) -> Vec<(Uuid, String)> {
    sqlx::query_as(
        "select media_id, role from media_uses where article_id = $1 order by role, media_id",
    )
    .bind(Uuid::parse_str(story).unwrap())
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

async fn newsroom(desk: &PictureDesk) -> (Desk, TestUser) {
    let newsroom = desk.app.newsroom(&desk.admin, "the-desk").await;
    let editor = desk.app.user(Role::Editor, &[newsroom.outlet]).await;
    (newsroom, editor)
}

fn draft(newsroom: &Desk, extra: Value) -> Value {
    let mut body = json!({
        "outlet_id": newsroom.outlet, "headline": "Floods close the port",
        "body": "The body.", "section_id": newsroom.section, "author_ids": [newsroom.author],
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body
}

#[actix_web::test]
async fn a_featured_picture_is_saved_revised_and_kept_from_deletion_while_used() {
    let desk = PictureDesk::new().await;
    let (newsroom, editor) = newsroom(&desk).await;
    let app = &desk.app;
    let photo = picture(
        app,
        &editor,
        newsroom.outlet,
        (80, 60),
        Some("A flooded quay"),
    )
    .await;
    let created = app
        .post(
            "/api/v1/articles",
            &editor.token,
            draft(&newsroom, json!({"featured_media_id": photo})),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["featured_media_id"], json!(photo));
    let id = id_str(&created.body);
    assert_eq!(uses(app, &id).await, vec![(photo, "featured".to_owned())]);
    let refused = app
        .delete(&format!("/api/v1/media/{photo}"), &editor.token)
        .await;
    refused.assert_problem(409);
    assert!(
        refused.text.contains("Floods close the port"),
        "{}",
        refused.text
    );

    let cleared = app
        .edit(&editor.token, &id, 1, json!({"featured_media_id": null}))
        .await;
    cleared.assert_status(200);
    assert_eq!(cleared.body["featured_media_id"], Value::Null);
    assert!(uses(app, &id).await.is_empty());
    let diff = app
        .get(
            &format!("/api/v1/articles/{id}/revisions/2/diff?against=1"),
            &editor.token,
        )
        .await;
    diff.assert_status(200);
    assert_eq!(
        diff.body["fields"]["featured_media_id"],
        json!({"from": photo, "to": null}),
        "a picture change is a revision change"
    );
    let restored = app
        .call_with(
            Method::POST,
            &format!("/api/v1/articles/{id}/revisions/1/restore"),
            &editor.token,
            None,
            &[("if-match", "\"2\"")],
        )
        .await;
    restored.assert_status(200);
    assert_eq!(restored.body["featured_media_id"], json!(photo));
    assert_eq!(uses(app, &id).await, vec![(photo, "featured".to_owned())]);
    app.edit(&editor.token, &id, 3, json!({"featured_media_id": null}))
        .await
        .assert_status(200);
    app.delete(&format!("/api/v1/media/{photo}"), &editor.token)
        .await
        .assert_status(204);
}

#[actix_web::test]
async fn a_picture_of_another_outlet_or_none_at_all_is_refused_by_name_and_nothing_saved() {
    let desk = PictureDesk::new().await;
    let (newsroom, editor) = newsroom(&desk).await;
    let app = &desk.app;
    // desk.outlet is another outlet than the story's.
    let foreign = picture(app, &desk.admin, desk.outlet, (40, 30), Some("Elsewhere")).await;
    let before = app.count("articles").await;
    let res = app
        .post(
            "/api/v1/articles",
            &editor.token,
            draft(&newsroom, json!({"featured_media_id": foreign})),
        )
        .await;
    res.assert_problem(422);
    assert!(res.field_errors("featured_media_id")[0].contains(&foreign.to_string()));
    let body = format!("![a](media:{foreign}) and ![b](media:not-an-id)");
    let res = app
        .post(
            "/api/v1/articles",
            &editor.token,
            draft(&newsroom, json!({"body": body})),
        )
        .await;
    res.assert_problem(422);
    let message = &res.field_errors("body")[0];
    assert!(
        message.contains(&format!("media:{foreign}")) && message.contains("media:not-an-id"),
        "{message}"
    );
    assert_eq!(app.count("articles").await, before, "nothing saved");
    assert_eq!(app.count("media_uses").await, 0);
    // A reference inside code is text, not a picture.
    let code = app
        .post(
            "/api/v1/articles",
            &editor.token,
            draft(&newsroom, json!({"body": "`![x](media:nope)`"})),
        )
        .await;
    code.assert_status(201);
}

#[actix_web::test]
async fn a_body_picture_is_drawn_with_its_renditions_and_alt_text() {
    let desk = PictureDesk::new().await;
    let (newsroom, editor) = newsroom(&desk).await;
    let app = &desk.app;
    let photo = picture(
        app,
        &editor,
        newsroom.outlet,
        (700, 400),
        Some("Rickshaws in water"),
    )
    .await;
    let body = format!("Before.\n\n![](media:{photo})\n\n![The \"quay\" & dusk](media:{photo})");
    let created = app
        .post(
            "/api/v1/articles",
            &editor.token,
            draft(&newsroom, json!({"body": body})),
        )
        .await;
    created.assert_status(201);
    let html = created.body["body_html"].as_str().unwrap();
    let hash = app
        .get(&format!("/api/v1/media/{photo}"), &editor.token)
        .await
        .body["renditions"][0]["href"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(2)
        .unwrap()
        .to_owned();
    for expected in [
        format!(r#"src="/media/{hash}/w700.jpg""#),
        format!("/media/{hash}/w320.webp 320w, /media/{hash}/w640.webp 640w, /media/{hash}/w700.webp 700w"),
        r#"sizes="(min-width: 45rem) 42rem, 100vw""#.to_owned(),
        r#"width="700" height="400""#.to_owned(),
        r#"alt="Rickshaws in water""#.to_owned(),
        r#"alt="The &quot;quay&quot; &amp; dusk""#.to_owned(),
        r#"loading="lazy""#.to_owned(),
    ] {
        assert!(html.contains(&expected), "{expected} not in {html}");
    }
    let id = id_str(&created.body);
    assert_eq!(uses(app, &id).await, vec![(photo, "body".to_owned())]);
    // Every rendition the body names is served.
    for href in [
        format!("/media/{hash}/w700.jpg"),
        format!("/media/{hash}/w320.webp"),
    ] {
        let bearer = format!("Bearer {}", editor.token);
        let got = super::download(app, &href, &[("authorization", &bearer)]).await;
        assert_eq!(got.status, 200, "{href}");
    }
    let edited = app
        .edit(&editor.token, &id, 1, json!({"body": "No pictures now."}))
        .await;
    edited.assert_status(200);
    assert!(uses(app, &id).await.is_empty());
}

#[actix_web::test]
async fn raw_html_cannot_borrow_the_picture_attributes() {
    let desk = PictureDesk::new().await;
    let (newsroom, editor) = newsroom(&desk).await;
    let body = r#"<img src="/x.png" srcset="https://tracker.example/p.gif 1w" sizes="999vw" loading="eager" onerror="alert(1)">"#;
    let created = desk
        .app
        .post(
            "/api/v1/articles",
            &editor.token,
            draft(&newsroom, json!({"body": body})),
        )
        .await;
    created.assert_status(201);
    let html = created.body["body_html"].as_str().unwrap();
    for banned in ["tracker.example", "999vw", "eager", "onerror"] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
}
