//! Uploading the featured picture from the editor: a plain multipart form with the CSRF
//! token, through media's upload rules into the story's outlet; the picture becomes the
//! featured one. Refusals come back as the editor with the message next to the file field, at
//! the upload's status (413, 415, 422), and nothing is stored.

use newsroom::domain::Role;

use super::Browser;
use crate::helpers::{id_str, TestApp};
use crate::media::{form, pictures};

async fn pictures_of(app: &TestApp) -> i64 {
    app.count("media_assets").await
}

#[actix_web::test]
async fn an_upload_from_the_editor_becomes_the_featured_picture() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let id = id_str(&app.draft(&writer, &dawn, "Floods").await);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let page = browser.get(&path).await;
    page.assert_status(200)
        .assert_contains(&format!(
            r#"<form id="picture-upload" method="post" action="/admin/stories/{id}/picture" enctype="multipart/form-data">"#
        ))
        .assert_contains(r#"<input id="picture_file" name="file" type="file""#);
    let csrf = page.hidden("csrf");
    let texts = [
        ("csrf", csrf.as_str()),
        ("alt_text", "A flooded <quay>"),
        ("caption", "Dusk"),
    ];
    let (ct, body) = form(&pictures::jpeg(64, 48), "quay.jpg", "image/jpeg", &texts);
    let done = browser
        .post_raw(&format!("{path}/picture"), &ct, body)
        .await;
    done.assert_redirect(&format!(
        "/admin/stories/{id}?done=featured+picture+uploaded"
    ));

    let story = app
        .get(&format!("/api/v1/articles/{id}"), &writer.token)
        .await;
    let featured = story.body["featured_media_id"]
        .as_str()
        .expect("a featured picture")
        .to_owned();
    let picture = app
        .get(&format!("/api/v1/media/{featured}"), &writer.token)
        .await;
    assert_eq!(picture.body["outlet_id"], dawn.outlet.to_string());
    assert_eq!(picture.body["alt_text"], "A flooded <quay>");
    assert_eq!(picture.body["caption"], "Dusk");
    assert_eq!(picture.body["filename"], "quay.jpg");
    browser
        .get(&format!("{path}?done=featured+picture+uploaded"))
        .await
        .assert_contains("Done: featured picture uploaded.")
        .assert_contains(r#"class="thumb""#)
        .assert_contains(r#"alt="A flooded &lt;quay&gt;""#);
}

#[actix_web::test]
async fn a_refused_upload_is_shown_next_to_the_file_field_and_nothing_is_stored() {
    let app = TestApp::spawn_with(|c| c.media.max_upload_bytes = 4096).await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let other = app.newsroom(&admin, "other").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let id = id_str(&app.draft(&writer, &dawn, "Floods").await);
    let theirs = id_str(&app.draft(&admin, &other, "Not yours").await);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let csrf = browser.get(&path).await.hidden("csrf");
    let with_csrf = [("csrf", csrf.as_str())];
    let big = vec![0xffu8; 8192];
    let cases: [(&[u8], &str, u16, &str); 4] = [
        (b"just some text", "notes.txt", 415, "picture_file-error"),
        (&big, "big.jpg", 413, "larger than"),
        (
            &pictures::jpeg(64, 48)[..40],
            "cut.jpg",
            422,
            "picture_file-error",
        ),
        (b"", "empty.jpg", 422, "is empty"),
    ];
    for (bytes, name, status, says) in cases {
        let (ct, body) = form(bytes, name, "application/octet-stream", &with_csrf);
        let page = browser
            .post_raw(&format!("{path}/picture"), &ct, body)
            .await;
        page.assert_status(status)
            .assert_contains(says)
            .assert_contains(r#"aria-describedby="picture_file-error""#)
            .assert_contains("Nothing was saved");
        assert_eq!(pictures_of(&app).await, 0, "{name}");
    }
    // Without the CSRF token: refused, nothing stored.
    let (ct, body) = form(&pictures::jpeg(64, 48), "quay.jpg", "image/jpeg", &[]);
    browser
        .post_raw(&format!("{path}/picture"), &ct, body)
        .await
        .assert_status(403);
    // Another outlet's story: no such page.
    let (ct, body) = form(
        &pictures::jpeg(64, 48),
        "quay.jpg",
        "image/jpeg",
        &with_csrf,
    );
    browser
        .post_raw(&format!("/admin/stories/{theirs}/picture"), &ct, body)
        .await
        .assert_status(404);
    assert_eq!(pictures_of(&app).await, 0);
    let story = app
        .get(&format!("/api/v1/articles/{id}"), &writer.token)
        .await;
    assert!(story.body["featured_media_id"].is_null());
}
