//! A newsletter issue shows each story's featured picture: in the HTML an absolute JPEG URL
//! (mail clients do not all read WebP or `srcset`) with its width, height and alt text, the
//! caption and credit under it; in the plain text the caption alone.

use actix_web::http::Method;
use serde_json::json;

use super::on_stories::picture;
use super::{download, PictureDesk};
use crate::helpers::id_str;
use crate::subscriptions::newsletter;

#[actix_web::test]
async fn an_issue_shows_its_stories_featured_pictures() {
    let desk = PictureDesk::new().await;
    let app = &desk.app;
    newsletter(app, "picture-post").await;
    let newsroom = app.newsroom(&desk.admin, "picture-paper").await;
    let photo = picture(
        app,
        &desk.admin,
        newsroom.outlet,
        (700, 400),
        Some("Boats on a \"flooded\" quay"),
    )
    .await;
    app.call_with(
        Method::PATCH,
        &format!("/api/v1/media/{photo}"),
        &desk.admin.token,
        Some(json!({"caption": "The port at dusk <closed>", "credit": "Jane Doe/Reuters"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .assert_status(200);
    let pictured = app
        .published(
            &desk.admin,
            &newsroom,
            "Floods close the port",
            json!({"featured_media_id": photo}),
        )
        .await;
    let plain = app
        .published(&desk.admin, &newsroom, "Markets calm", json!({}))
        .await;
    let issue = json!({"subject": "Pictures", "article_ids": [id_str(&pictured), id_str(&plain)]});
    app.post(
        "/api/v1/newsletters/picture-post/issues",
        &desk.admin.token,
        issue,
    )
    .await
    .assert_status(201);
    let preview = app
        .get(
            "/api/v1/newsletters/picture-post/issues/1/preview",
            &desk.admin.token,
        )
        .await;
    preview.assert_status(200);
    let html = preview.body["html"].as_str().expect("html");
    let text = preview.body["text"].as_str().expect("text");

    let hash = app
        .get(&format!("/api/v1/media/{photo}"), &desk.admin.token)
        .await
        .body["renditions"][0]["href"]
        .as_str()
        .expect("a rendition")
        .split('/')
        .nth(2)
        .expect("a hash")
        .to_owned();
    let src = format!("http://newsroom.test/media/{hash}/w640.jpg");
    // The email templates escape every value, `/` included (`&#x2f;`).
    let escaped = src.replace('/', "&#x2f;");
    for expected in [
        format!(
            r#"<img src="{escaped}" width="640" height="366" alt="Boats on a &quot;flooded&quot; quay""#
        ),
        "The port at dusk &lt;closed&gt; Photo: Jane Doe&#x2f;Reuters".to_owned(),
    ] {
        assert!(html.contains(&expected), "{expected} not in {html}");
    }
    assert_eq!(
        html.matches("<img ").count(),
        1,
        "one picture: the other story has none"
    );
    assert!(
        text.contains("Picture: The port at dusk <closed>\n"),
        "{text}"
    );
    assert!(
        !text.contains("/media/"),
        "no picture URL in the plain text: {text}"
    );
    // The URL the email names is served to anyone: the story is published.
    let got = download(app, &src["http://newsroom.test".len()..], &[]).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("image/jpeg"));
}
