//! The editor's featured picture: a choice of the outlet's newest pictures (caption and file
//! name), saved through the API's update service, shown as a thumbnail; another outlet's
//! picture is refused next to the field; the preview draws body pictures.

use newsroom::domain::Role;
use serde_json::json;

use super::Browser;
use crate::helpers::{id_str, TestApp};
use crate::media::on_stories::picture;

#[actix_web::test]
async fn the_editor_offers_the_outlets_pictures_and_saves_the_featured_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let other = app.outlet(&admin, "other").await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let ours = picture(&app, &editor, dawn.outlet, (64, 48), Some("A <boat>")).await;
    app.call_with(
        actix_web::http::Method::PATCH,
        &format!("/api/v1/media/{ours}"),
        &editor.token,
        Some(json!({"caption": "Boats & nets"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .assert_status(200);
    let undescribed = picture(&app, &editor, dawn.outlet, (40, 40), None).await;
    let theirs = picture(&app, &admin, other, (50, 50), Some("Theirs")).await;
    let id = id_str(&app.draft(&editor, &dawn, "Floods").await);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let page = browser.get(&path).await;
    page.assert_status(200)
        .assert_contains(r#"<label for="featured_media_id">"#)
        .assert_contains(&format!(
            r#"<option value="{ours}">Boats &amp; nets · photo.jpg</option>"#
        ))
        .assert_contains(&format!(
            r#"<option value="{undescribed}">photo.jpg · no alt text</option>"#
        ))
        .assert_lacks(&theirs.to_string())
        .assert_lacks(r#"class="thumb""#);
    let csrf = page.hidden("csrf");
    let ours_text = ours.to_string();
    let form = |version: &'static str, featured: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("version", version.to_owned()),
            ("headline", "Floods".to_owned()),
            ("body", format!("Text.\n\n![](media:{ours})")),
            ("language", "en".to_owned()),
            ("section_id", dawn.section.to_string()),
            ("author_ids", dawn.author.to_string()),
            ("featured_media_id", featured.to_owned()),
        ]
    };
    let sent = form("1", &ours_text);
    let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser
        .post(&path, &sent)
        .await
        .assert_redirect(&format!("{path}?saved"));
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(stored.body["featured_media_id"], json!(ours));
    let page = browser.get(&path).await;
    page.assert_contains(&format!(r#"<option value="{ours}" selected>"#))
        .assert_contains(r#"class="thumb" src="&#x2f;media&#x2f;"#)
        .assert_contains(r#"alt="A &lt;boat&gt;""#)
        .assert_contains(r#"srcset="/media/"#);

    let refused = form("2", &theirs.to_string());
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = browser.post(&path, &refused).await;
    page.assert_status(422)
        .assert_contains("is not a picture of this outlet&#x27;s library");
    let stored = app
        .get(&format!("/api/v1/articles/{id}"), &editor.token)
        .await;
    assert_eq!(stored.body["version"], 2, "nothing saved");

    let preview = browser
        .post(
            &format!("{path}/preview"),
            &[
                ("csrf", csrf.as_str()),
                ("body", &format!("![Nets](media:{ours})")),
            ],
        )
        .await;
    preview
        .assert_status(200)
        .assert_contains(r#"alt="Nets""#)
        .assert_contains("loading=\"lazy\"");
}
