//! The editor with pictures at a phone's width: the featured picture's field and thumbnail
//! and a body picture in the preview fit 375 px, and axe-core finds nothing; a picture
//! uploaded through the editor's form (no script needed) becomes the featured one, and a
//! refused file is shown next to the field, on a page that also passes both checks; a picture
//! dropped on the upload zone goes into the field and uploads the same way.

use actix_web::http::Method;
use serde_json::json;
use uuid::Uuid;

use fantoccini::Locator;

use crate::desk::{newsroom, sign_in, wait_for_text};
use crate::harness::Browser;
use crate::helpers::{id_of, id_str, TestApp, TestUser};

/// Uploads a plain `width` × `height` JPEG with `alt` to `outlet`.
pub async fn picture(
    app: &TestApp,
    user: &TestUser,
    outlet: Uuid,
    (w, h): (u16, u16),
    alt: &str,
) -> Uuid {
    let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|i| [(i % 251) as u8, 90, 160])
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 80)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    let boundary = "pictures-in-the-browser";
    let mut body = Vec::new();
    for (name, value) in [
        ("outlet_id", outlet.to_string()),
        ("alt_text", alt.to_owned()),
    ] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"harbour-at-dawn-wide.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
            .as_bytes(),
    );
    body.extend(jpeg);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    let res = app
        .call_raw(
            Method::POST,
            "/api/v1/media",
            Some(&user.token),
            Some(&ct),
            body,
        )
        .await;
    res.assert_status(201);
    id_of(&res)
}

#[actix_web::test]
async fn the_editor_with_pictures_fits_a_phone() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let photo = picture(
        &app,
        &staff.writer,
        staff.desk.outlet,
        (1400, 800),
        "Boats at dawn",
    )
    .await;
    let story = app.draft(&staff.writer, &staff.desk, "Harbour").await;
    let id = id_str(&story);
    let body = format!("The boats came back.\n\n![](media:{photo})\n\nThen the rain.");
    app.edit(
        &staff.writer.token,
        &id,
        1,
        json!({"featured_media_id": photo, "body": body}),
    )
    .await
    .assert_status(200);

    browser
        .checked("desk-pictures-phone", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("Harbour").await;
            let said = browser.page_text().await;
            assert!(said.contains("Featured picture"), "{said}");
            browser.assert_fits_width("the editor with pictures").await;
            browser.assert_accessible("the editor with pictures").await;
            // Screens to look at (target/browser-screens): the field, then the preview.
            for (element, name) in [
                ("featured_media_id", "desk-featured-picture"),
                ("preview", "desk-preview-picture"),
            ] {
                let scroll = format!(
                    "document.getElementById('{element}').closest('fieldset, section').scrollIntoView();"
                );
                browser
                    .client()
                    .execute(&scroll, vec![])
                    .await
                    .unwrap_or_else(|e| panic!("scrolling to {element}: {e}"));
                browser.save_screen(name).await;
            }
        })
        .await;
    browser.close().await;
}

/// A 120 × 80 JPEG.
fn harbour_jpeg() -> Vec<u8> {
    let pixels: Vec<u8> = (0..120u32 * 80)
        .flat_map(|i| [(i % 251) as u8, 120, 60])
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 80)
        .encode(&pixels, 120, 80, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    jpeg
}

/// Chooses `file` in the editor's upload field, with `alt`, and sends the form.
async fn upload_in_the_editor(browser: &Browser, file: &std::path::Path, alt: &str) {
    let client = browser.client();
    let field = client
        .find(Locator::Id("picture_file"))
        .await
        .expect("the file field");
    field
        .send_keys(&file.display().to_string())
        .await
        .expect("a file chosen");
    let alt_field = client
        .find(Locator::Id("picture_alt_text"))
        .await
        .expect("the alt text field");
    alt_field.send_keys(alt).await.expect("typed");
    client
        .find(Locator::Css("button[form=picture-upload]"))
        .await
        .expect("the upload button")
        .click()
        .await
        .expect("clicked");
}

#[actix_web::test]
async fn a_picture_uploaded_in_the_editor_becomes_the_featured_one() {
    let Some(browser) = Browser::start_phone().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let id = id_str(&app.draft(&staff.writer, &staff.desk, "Harbour").await);
    let dir = tempfile::tempdir().expect("a folder");
    let photo = dir.path().join("harbour.jpg");
    std::fs::write(&photo, harbour_jpeg()).expect("written");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a picture").expect("written");

    browser
        .checked("desk-picture-upload", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            let editor = app.url(&format!("/admin/stories/{id}"));
            browser.goto(&editor).await;
            browser.wait_for_heading("Harbour").await;
            upload_in_the_editor(&browser, &notes, "Notes").await;
            if let Err(err) = browser
                .client()
                .wait()
                .at_most(std::time::Duration::from_secs(10))
                .for_element(Locator::Id("picture_file-error"))
                .await
            {
                panic!(
                    "no message at the file field ({err}): {}",
                    browser.page_text().await
                );
            }
            browser.assert_fits_width("a refused upload").await;
            browser.assert_accessible("a refused upload").await;
            browser.save_screen("desk-picture-refused").await;

            browser.goto(&editor).await;
            browser.wait_for_heading("Harbour").await;
            upload_in_the_editor(&browser, &photo, "Boats at dawn").await;
            wait_for_text(&browser, "status", "Done: featured picture uploaded").await;
            // The new featured picture's thumbnail loads (the desk's cookie fetches it).
            let width = browser
                .client()
                .execute(
                    "const i = document.querySelector(\"img.thumb[alt='Boats at dawn']\"); \
                     return i && i.complete ? i.naturalWidth : -1;",
                    vec![],
                )
                .await
                .expect("the thumbnail's width");
            assert!(
                width.as_i64().is_some_and(|w| w > 0),
                "the thumbnail: {width}"
            );
            browser
                .assert_fits_width("the editor after an upload")
                .await;
            browser
                .assert_accessible("the editor after an upload")
                .await;
        })
        .await;
    browser.close().await;
}

/// Drops `bytes` as a file named `name` on the editor's upload zone, as a file dragged from the
/// desktop arrives (a `drop` event whose `DataTransfer` holds the file).
async fn drop_on_the_upload_zone(browser: &Browser, name: &str, bytes: &[u8]) {
    let script = "const [name, bytes] = arguments; \
         const data = new DataTransfer(); \
         data.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' })); \
         const zone = document.querySelector('.drop'); \
         zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data })); \
         zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));";
    browser
        .client()
        .execute(script, vec![json!(name), json!(bytes)])
        .await
        .expect("the file dropped");
}

#[actix_web::test]
async fn a_picture_dropped_on_the_editor_is_uploaded() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    let id = id_str(&app.draft(&staff.writer, &staff.desk, "Quay").await);
    browser
        .checked("desk-picture-drop", async {
            sign_in(&browser, &app, &staff.writer.email).await;
            browser
                .goto(&app.url(&format!("/admin/stories/{id}")))
                .await;
            browser.wait_for_heading("Quay").await;
            drop_on_the_upload_zone(&browser, "quay.jpg", &harbour_jpeg()).await;
            let chosen = browser
                .client()
                .execute(
                    "const f = document.getElementById('picture_file').files; \
                     return f.length === 1 ? f[0].name : null;",
                    vec![],
                )
                .await
                .expect("the file field's files");
            assert_eq!(
                chosen,
                json!("quay.jpg"),
                "the dropped file is in the field"
            );
            let said = browser
                .client()
                .find(Locator::Css(".drop-state"))
                .await
                .expect("the drop zone's status")
                .text()
                .await
                .expect("its text");
            assert!(said.contains("Ready to upload: quay.jpg"), "status: {said}");
            browser.assert_accessible("a dropped picture").await;
            browser
                .client()
                .find(Locator::Id("picture_alt_text"))
                .await
                .expect("the alt text field")
                .send_keys("The quay at noon")
                .await
                .expect("typed");
            browser
                .client()
                .find(Locator::Css("button[form=picture-upload]"))
                .await
                .expect("the upload button")
                .click()
                .await
                .expect("clicked");
            wait_for_text(&browser, "status", "Done: featured picture uploaded").await;
            let featured = browser
                .client()
                .find(Locator::Css("img.thumb[alt='The quay at noon']"))
                .await;
            assert!(featured.is_ok(), "the dropped picture is the featured one");
        })
        .await;
    browser.close().await;
}
