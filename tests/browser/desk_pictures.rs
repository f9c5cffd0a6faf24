//! The editor with pictures at a phone's width: the featured picture's field and thumbnail
//! and a body picture in the preview fit 375 px, and axe-core finds nothing.

use actix_web::http::Method;
use serde_json::json;
use uuid::Uuid;

use crate::desk::{newsroom, sign_in};
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
