//! Renditions: a fixed set of widths and crops, never upscaled, at immutable URLs with
//! ETags; crops follow the focal point; what is missing from the store is drawn again, the
//! same to the byte.

use serde_json::json;

use super::{hrefs, id, pictures, Download, PictureDesk};

fn find(urls: &[String], end: &str) -> String {
    urls.iter()
        .find(|u| u.ends_with(end))
        .unwrap_or_else(|| panic!("no rendition ending {end} in {urls:?}"))
        .clone()
}

fn size(got: &Download) -> (u32, u32) {
    let image = image::load_from_memory(&got.bytes).expect("a picture");
    (image.width(), image.height())
}

#[actix_web::test]
async fn renditions_are_immutable_files_with_etags() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::jpeg(1200, 800), "wide.jpg", "image/jpeg")
        .await;
    let urls = hrefs(&picture);
    let widths: Vec<String> = picture["renditions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["shape"] == "original" && r["mimetype"] == "image/webp")
        .map(|r| format!("{}x{}", r["width"], r["height"]))
        .collect();
    assert_eq!(widths, ["320x213", "640x427", "1024x683", "1200x800"]);

    let url = find(&urls, "/w640.webp");
    assert!(url.starts_with("/media/") && url.len() == "/media/".len() + 64 + "/w640.webp".len());
    let got = desk.fetch(&url, &[]).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("image/webp"));
    // Staff's answers are private (who may see what: tests/api/media/access.rs).
    assert_eq!(got.header("cache-control"), Some("private, max-age=60"));
    assert_eq!(size(&got), (640, 427));
    let etag = got.header("etag").expect("an ETag").to_owned();
    let again = desk.fetch(&url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.bytes.is_empty());
    let jpeg = desk.fetch(&find(&urls, "/w1024.jpg"), &[]).await;
    assert_eq!(jpeg.header("content-type"), Some("image/jpeg"));
    assert_eq!(size(&jpeg), (1024, 683));
}

#[actix_web::test]
async fn a_small_picture_is_never_upscaled() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::jpeg(300, 200), "small.jpg", "image/jpeg")
        .await;
    let urls = hrefs(&picture);
    assert!(
        urls.iter()
            .all(|u| !u.contains("w320") && !u.contains("w640")),
        "{urls:?}"
    );
    let full = find(&urls, "/w300.jpg");
    assert_eq!(size(&desk.fetch(&full, &[]).await), (300, 200));
    let bigger = full.replace("/w300.jpg", "/w640.jpg");
    assert_eq!(desk.fetch(&bigger, &[]).await.status, 404);
}

#[actix_web::test]
async fn crops_follow_the_focal_point() {
    let desk = PictureDesk::new().await;
    // Red on the left half, blue on the right.
    let picture = desk
        .picture(&pictures::jpeg(1200, 600), "split.jpg", "image/jpeg")
        .await;
    let path = format!("/api/v1/media/{}", id(&picture));
    for (version, (x, red)) in (1..).zip([(0.0, true), (1.0, false)]) {
        let res = desk
            .app
            .call_with(
                actix_web::http::Method::PATCH,
                &path,
                &desk.editor.token,
                Some(json!({"focal_point": {"x": x, "y": 0.5}})),
                &[("if-match", &format!("\"{version}\""))],
            )
            .await;
        res.assert_status(200);
        let square = hrefs(&res.body)
            .into_iter()
            .find(|u| u.contains("/1x1-w320-") && u.ends_with(".webp"))
            .expect("a square crop");
        let got = desk.fetch(&square, &[]).await;
        assert_eq!(got.status, 200, "{square}");
        let image = image::load_from_memory(&got.bytes).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), (320, 320));
        let middle = image.get_pixel(160, 160).0;
        assert_eq!(middle[0] > middle[2], red, "focal x {x}: {middle:?}");
    }
    // A crop around a focal point no picture has is not drawn for anyone.
    let stranger =
        find(&hrefs(&picture), "/w320.webp").replace("/w320.webp", "/1x1-w320-f1234-5678.webp");
    assert_eq!(desk.fetch(&stranger, &[]).await.status, 404);
}

#[actix_web::test]
async fn unknown_names_and_masters_are_404() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::jpeg(700, 500), "p.jpg", "image/jpeg")
        .await;
    let url = find(&hrefs(&picture), "/w640.webp");
    let nobody = format!("/media/{}/w640.webp", "0".repeat(64));
    for bad in [
        nobody.as_str(),
        &url.replace("w640.webp", "w641.webp"),
        &url.replace("w640.webp", "w640.png"),
        &url.replace("w640.webp", "w0640.webp"),
        "/media/abc/w640.webp",
        "/media/../masters/w640.webp",
    ] {
        let got = desk.fetch(bad, &[]).await;
        assert_eq!(got.status, 404, "{bad}");
    }
}

#[actix_web::test]
async fn a_rendition_missing_from_the_store_is_drawn_again_to_the_same_bytes() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::jpeg(900, 600), "p.jpg", "image/jpeg")
        .await;
    let url = find(&hrefs(&picture), "/16x9-w640-f5000-5000.jpg");
    let first = desk.fetch(&url, &[]).await;
    assert_eq!(first.status, 200);
    let file = desk
        .dir
        .path()
        .join("media/renditions")
        .join(&url["/media/".len()..]);
    std::fs::remove_file(&file).expect("the stored rendition");
    let second = desk.fetch(&url, &[]).await;
    assert_eq!(second.status, 200);
    assert_eq!(first.bytes, second.bytes);
    assert_eq!(first.header("etag"), second.header("etag"));
    assert!(file.exists());
}
