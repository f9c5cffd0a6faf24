//! Uploading: what is taken, what the file's own metadata fills in, where a picture goes,
//! and the same bytes stored once.

use serde_json::json;

use super::{form, hrefs, id, pictures, upload, PictureDesk};
use newsroom::domain::Role;

#[actix_web::test]
async fn a_phone_photo_becomes_a_picture_with_the_fields_its_file_carried() {
    let desk = PictureDesk::new().await;
    let res = desk
        .upload(
            &desk.writer.token,
            &pictures::phone_photo(),
            "IMG_0042.JPG",
            "image/jpeg",
        )
        .await;
    res.assert_status(201);
    assert_eq!(res.header("etag"), Some("\"1\""));
    let p = &res.body;
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/media/{}", id(p)).as_str())
    );
    // Stored 40 × 24 with orientation 6: upright it is 24 wide and 40 high.
    assert_eq!(
        (p["width"].clone(), p["height"].clone()),
        (json!(24), json!(40))
    );
    assert_eq!(p["format"], "jpeg");
    assert_eq!(p["filename"], "IMG_0042.JPG");
    assert_eq!(p["caption"], "Commuters crowd a bus at dusk");
    assert_eq!(p["credit"], "Rafiq Ahmed/Dhaka Tribune");
    assert_eq!(p["copyright_notice"], "(c) Rafiq Ahmed");
    assert_eq!(p["alt_text"], "People squeeze onto a red bus");
    assert_eq!(p["captured_at"], "2026-03-01T12:30:00Z");
    assert_eq!(p["focal_point"], json!({"x": 0.5, "y": 0.5}));
    assert_eq!(p["outlet_id"], json!(desk.outlet));
    assert_eq!(p["version"], 1);
    assert_eq!(p["editable"], true);
    assert!(hrefs(p).iter().any(|h| h.ends_with("/w24.webp")));
}

#[actix_web::test]
async fn fields_sent_with_the_upload_win_over_the_file() {
    let desk = PictureDesk::new().await;
    let outlet = desk.outlet.to_string();
    let (ct, body) = form(
        &pictures::phone_photo(),
        "bus.jpg",
        "image/jpeg",
        &[
            ("outlet_id", &outlet),
            ("caption", "  Rush hour on Airport Road "),
            ("alt_text", "A crowded bus"),
        ],
    );
    let res = upload(&desk.app, &desk.writer.token, &ct, body).await;
    res.assert_status(201);
    assert_eq!(res.body["caption"], "Rush hour on Airport Road");
    assert_eq!(res.body["alt_text"], "A crowded bus");
    assert_eq!(res.body["credit"], "Rafiq Ahmed/Dhaka Tribune");
}

#[actix_web::test]
async fn the_same_bytes_are_one_picture_per_outlet_and_one_stored_master() {
    let desk = PictureDesk::new().await;
    let bytes = pictures::jpeg(200, 100);
    let first = desk.picture(&bytes, "a.jpg", "image/jpeg").await;
    let again = desk
        .upload(&desk.editor.token, &bytes, "b.jpg", "image/jpeg")
        .await;
    again.assert_status(200);
    assert_eq!(again.body["id"], first["id"]);
    assert_eq!(again.body["filename"], "a.jpg");

    let other = desk.app.outlet(&desk.admin, "other-outlet").await;
    let other_writer = desk.app.user(Role::Writer, &[other]).await;
    let other_id = other.to_string();
    let (ct, body) = form(&bytes, "c.jpg", "image/jpeg", &[("outlet_id", &other_id)]);
    let theirs = upload(&desk.app, &other_writer.token, &ct, body).await;
    theirs.assert_status(201);
    assert_ne!(theirs.body["id"], first["id"]);
    assert_eq!(hrefs(&theirs.body), hrefs(&first));
    assert_eq!(desk.counts().await, (2, 1, 2));
    let masters = desk
        .stored_files()
        .into_iter()
        .filter(|f| f.to_string_lossy().contains("/masters/"))
        .count();
    assert_eq!(masters, 1);
}

#[actix_web::test]
async fn png_gif_and_webp_are_taken_and_transparency_stays_lossless() {
    let desk = PictureDesk::new().await;
    let png = desk
        .picture(&pictures::png_with_alpha(64, 32), "logo.png", "image/png")
        .await;
    assert_eq!(png["format"], "png");
    let gif = desk
        .picture(&pictures::gif(30, 20), "anim.gif", "image/gif")
        .await;
    assert_eq!(
        (gif["format"].clone(), gif["width"].clone()),
        (json!("gif"), json!(30))
    );
    let webp = desk
        .picture(&pictures::webp(50, 40), "p.webp", "image/webp")
        .await;
    assert_eq!(webp["format"], "webp");
    let masters: Vec<String> = desk
        .stored_files()
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .filter(|f| f.contains("/masters/"))
        .collect();
    // The transparent PNG and the GIF keep a lossless PNG master; the opaque WebP a JPEG one.
    assert_eq!(masters.iter().filter(|m| m.ends_with(".png")).count(), 2);
    assert_eq!(masters.iter().filter(|m| m.ends_with(".jpg")).count(), 1);
    // A WebP rendition of the transparent picture keeps its alpha.
    let href = hrefs(&png)
        .into_iter()
        .find(|h| h.ends_with("/w64.webp"))
        .expect("the full-size WebP");
    let got = desk.fetch(&href, &[]).await;
    let image = image::load_from_memory(&got.bytes).expect("a WebP");
    assert!(image.color().has_alpha());
}

#[actix_web::test]
async fn a_picture_goes_to_an_outlet_of_the_uploader() {
    let desk = PictureDesk::new().await;
    let elsewhere = desk.app.outlet(&desk.admin, "elsewhere").await;
    let elsewhere = elsewhere.to_string();
    let bytes = pictures::jpeg(20, 20);
    let (ct, body) = form(&bytes, "a.jpg", "image/jpeg", &[("outlet_id", &elsewhere)]);
    let res = upload(&desk.app, &desk.writer.token, &ct, body).await;
    res.assert_problem(422);
    assert!(!res.field_errors("outlet_id").is_empty());
    // An admin belongs to every outlet, so must say which.
    let (ct, body) = form(&bytes, "a.jpg", "image/jpeg", &[]);
    upload(&desk.app, &desk.admin.token, &ct, body)
        .await
        .assert_problem(422);
    // A writer of one outlet need not.
    let (ct, body) = form(&bytes, "a.jpg", "image/jpeg", &[]);
    let res = upload(&desk.app, &desk.writer.token, &ct, body).await;
    res.assert_status(201);
    assert_eq!(res.body["outlet_id"], json!(desk.outlet));
}
