//! The bad-picture corpus: truncated files, polyglots, decompression bombs, mislabelled and
//! foreign files, broken forms. Each gets a clear 4xx problem, never a 5xx, and leaves
//! nothing behind: no row, no file, no audit entry.

use actix_web::http::Method;

use super::{form, pictures, upload, PictureDesk};

#[actix_web::test]
async fn the_bad_picture_corpus_gets_4xx_and_stores_nothing() {
    let desk = PictureDesk::new().await;
    let jpeg = pictures::jpeg(64, 64);
    let png = pictures::png(16, 16);
    let mut garbage = vec![0xFF, 0xD8, 0xFF, 0xE0];
    garbage.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let corpus: Vec<(&str, Vec<u8>, &str, &str, u16)> = vec![
        (
            "truncated JPEG",
            jpeg[..jpeg.len() / 2].to_vec(),
            "t.jpg",
            "image/jpeg",
            422,
        ),
        (
            "JPEG cut in its header",
            jpeg[..40].to_vec(),
            "t.jpg",
            "image/jpeg",
            422,
        ),
        (
            "truncated PNG",
            png[..png.len() - 20].to_vec(),
            "t.png",
            "image/png",
            422,
        ),
        ("JPEG magic then noise", garbage, "n.jpg", "image/jpeg", 422),
        (
            "JPEG with a ZIP appended",
            pictures::jpeg_zip_polyglot(),
            "p.jpg",
            "image/jpeg",
            415,
        ),
        (
            "JPEG carrying HTML",
            pictures::jpeg_html_polyglot(),
            "p.jpg",
            "image/jpeg",
            415,
        ),
        (
            "JPEG claiming 60000 × 60000",
            pictures::jpeg_claiming(60_000, 60_000),
            "b.jpg",
            "image/jpeg",
            413,
        ),
        (
            "PNG claiming 100000 × 100000",
            pictures::png_claiming(100_000, 100_000),
            "b.png",
            "image/png",
            413,
        ),
        (
            "GIF claiming 65535 × 65535",
            pictures::gif_bomb(),
            "b.gif",
            "image/gif",
            413,
        ),
        (
            "PNG sent as a JPEG",
            png.clone(),
            "photo.jpg",
            "image/jpeg",
            415,
        ),
        (
            "PNG named .gif",
            png.clone(),
            "photo.gif",
            "application/octet-stream",
            415,
        ),
        (
            "JPEG declared as HTML",
            jpeg.clone(),
            "photo.jpg",
            "text/html",
            415,
        ),
        (
            "SVG",
            pictures::SVG.to_vec(),
            "logo.svg",
            "image/svg+xml",
            415,
        ),
        (
            "SVG named .png",
            pictures::SVG.to_vec(),
            "logo.png",
            "image/png",
            415,
        ),
        (
            "HTML",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
            "x.html",
            "text/html",
            415,
        ),
        (
            "TIFF",
            b"II*\0\x08\0\0\0 rest of a tiff".to_vec(),
            "x.tif",
            "image/tiff",
            415,
        ),
        (
            "text",
            b"hello, newsroom".to_vec(),
            "x.txt",
            "text/plain",
            415,
        ),
        (
            "PDF",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3".to_vec(),
            "x.pdf",
            "application/pdf",
            415,
        ),
        ("empty file", Vec::new(), "x.jpg", "image/jpeg", 422),
    ];
    let outlet = desk.outlet.to_string();
    let mut mismatches = Vec::new();
    for (name, bytes, filename, ct, expected) in corpus {
        let (content_type, body) = form(&bytes, filename, ct, &[("outlet_id", &outlet)]);
        let res = upload(&desk.app, &desk.writer.token, &content_type, body).await;
        let problem = res.header("content-type") == Some("application/problem+json");
        if res.status.as_u16() != expected || !problem {
            mismatches.push(format!(
                "{name}: expected {expected}, got {} {}",
                res.status, res.text
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    desk.assert_nothing_stored(desk.counts().await);
}

#[actix_web::test]
async fn a_file_over_the_size_limit_is_413_and_stores_nothing() {
    let desk = PictureDesk::with(|c| c.media.max_upload_bytes = 1 << 20).await;
    let mut big = pictures::jpeg(64, 64);
    big.resize(3 << 19, 0);
    let res = desk
        .upload(&desk.writer.token, &big, "big.jpg", "image/jpeg")
        .await;
    res.assert_problem(413);
    assert!(res.body["detail"].as_str().unwrap().contains("1 MiB"));
    desk.assert_nothing_stored(desk.counts().await);
}

#[actix_web::test]
async fn a_body_that_is_not_a_proper_form_is_refused() {
    let desk = PictureDesk::new().await;
    let token = &desk.writer.token;
    desk.app
        .call_raw(
            Method::POST,
            "/api/v1/media",
            Some(token),
            Some("application/json"),
            b"{}".to_vec(),
        )
        .await
        .assert_problem(415);
    desk.app
        .call_raw(
            Method::POST,
            "/api/v1/media",
            Some(token),
            Some("image/jpeg"),
            pictures::jpeg(8, 8),
        )
        .await
        .assert_problem(415);
    let cut = "multipart/form-data; boundary=xyz";
    desk.app
        .call_raw(
            Method::POST,
            "/api/v1/media",
            Some(token),
            Some(cut),
            b"--xyz\r\nContent-Dispo".to_vec(),
        )
        .await
        .assert_problem(400);
    let outlet = desk.outlet.to_string();
    let (ct, body) = form(
        &pictures::jpeg(8, 8),
        "a.jpg",
        "image/jpeg",
        &[("outlet_id", &outlet), ("status", "published")],
    );
    let res = upload(&desk.app, token, &ct, body).await;
    res.assert_problem(422);
    assert!(!res.field_errors("status").is_empty());
    let (ct, _) = form(&[], "a.jpg", "image/jpeg", &[]);
    let only_text = format!("--newsroom-test-7d1f3a\r\nContent-Disposition: form-data; name=\"outlet_id\"\r\n\r\n{outlet}\r\n--newsroom-test-7d1f3a--\r\n");
    let res = upload(&desk.app, token, &ct, only_text.into_bytes()).await;
    res.assert_problem(422);
    assert!(!res.field_errors("file").is_empty());
    desk.assert_nothing_stored(desk.counts().await);
}
