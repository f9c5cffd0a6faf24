//! A photographer's location and device never reach a reader: not in any rendition, not in
//! the stored master, not in the API's answers. And the photo is shown upright.

use super::{hrefs, pictures, PictureDesk};

/// Fails when `bytes` carry EXIF, XMP, IPTC or any of the phone's secrets.
#[track_caller]
fn assert_clean(what: &str, bytes: &[u8]) {
    for secret in pictures::SECRETS {
        assert!(
            !bytes
                .windows(secret.len())
                .any(|w| w.eq_ignore_ascii_case(secret.as_bytes())),
            "{what} carries `{secret}`"
        );
    }
    for marker in [&b"Exif\0"[..], b"EXIF", b"XMP ", b"8BIM"] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "{what} carries a metadata block ({})",
            String::from_utf8_lossy(marker)
        );
    }
    let found = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes));
    assert!(found.is_err(), "{what} has EXIF");
}

#[actix_web::test]
async fn no_location_or_device_data_reaches_any_byte_served_or_stored() {
    let desk = PictureDesk::new().await;
    let photo = pictures::phone_photo_sized(1400, 900);
    // The fixture does carry what the test looks for.
    assert!(photo.windows(8).any(|w| w == b"SnoopCam"));
    assert!(exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&photo))
        .is_ok());

    let picture = desk.picture(&photo, "IMG_1.jpg", "image/jpeg").await;
    assert_clean("the upload's answer", picture.to_string().as_bytes());
    let urls = hrefs(&picture);
    assert!(urls.len() >= 16, "{urls:?}");
    for url in &urls {
        let got = desk.fetch(url, &[]).await;
        assert_eq!(got.status, 200, "{url}");
        assert_clean(url, &got.bytes);
    }
    let files = desk.stored_files();
    assert!(files
        .iter()
        .any(|f| f.to_string_lossy().contains("/masters/")));
    for file in files {
        let bytes = std::fs::read(&file).expect("a stored file");
        assert_clean(&file.to_string_lossy(), &bytes);
    }
}

#[actix_web::test]
async fn the_orientation_is_applied_to_the_pixels() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::phone_photo(), "IMG_2.jpg", "image/jpeg")
        .await;
    let url = hrefs(&picture)
        .into_iter()
        .find(|h| h.ends_with("/w24.jpg"))
        .expect("the full-size JPEG");
    let got = desk.fetch(&url, &[]).await;
    let image = image::load_from_memory(&got.bytes)
        .expect("a JPEG")
        .to_rgb8();
    assert_eq!(image.dimensions(), (24, 40));
    // The stored photo is red on the left: turned a quarter clockwise, red is on top.
    let top = image.get_pixel(12, 6).0;
    let bottom = image.get_pixel(12, 33).0;
    assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
}
