//! The story page's featured picture: the `<figure>` with the WebP widths in `srcset`, a JPEG
//! `src`, its size, the alt text, and the caption with the credit; `og:image`, the large
//! Twitter card and the JSON-LD `image`, absolute. A story without one has none of these.

use serde_json::json;

use super::json_ld;
use crate::desk::Browser;
use crate::helpers::{id_of, TestApp};
use crate::media::{form, pictures, upload};

#[actix_web::test]
async fn a_story_page_shows_its_featured_picture_with_caption_and_credit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let outlet = dawn.outlet.to_string();
    let bytes = pictures::jpeg(1200, 800);
    let (ct, body) = form(
        &bytes,
        "quay.jpg",
        "image/jpeg",
        &[
            ("outlet_id", outlet.as_str()),
            ("alt_text", "Fishing boats <moored> at the quay"),
            ("caption", "Boats wait out the storm"),
            ("credit", "Rafiq Ahmed/Dawn"),
        ],
    );
    let res = upload(&app, &admin.token, &ct, body).await;
    res.assert_status(201);
    let picture = id_of(&res);
    app.published(
        &admin,
        &dawn,
        "Storm closes the port",
        json!({"featured_media_id": picture}),
    )
    .await;
    app.published(&admin, &dawn, "Calm returns", json!({}))
        .await;
    let mut browser = Browser::new(&app);

    let page = super::get(&mut browser, "/dawn/storm-closes-the-port").await;
    page.assert_status(200)
        .assert_contains("<figure class=\"featured\">")
        .assert_contains("alt=\"Fishing boats &lt;moored&gt; at the quay\"")
        .assert_contains("width=\"1200\" height=\"800\"")
        .assert_contains("<figcaption>Boats wait out the storm <span class=\"credit\">Rafiq Ahmed/Dawn</span></figcaption>")
        .assert_contains("<meta name=\"twitter:card\" content=\"summary_large_image\">");
    let srcset = page
        .text
        .split("srcset=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a srcset");
    assert!(
        srcset.contains(".webp 320w") && srcset.contains(".webp 1024w"),
        "{srcset}"
    );
    assert!(!srcset.contains("1600w"), "never upscaled: {srcset}");
    let src = page
        .text
        .split("<img src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a src");
    assert!(
        src.starts_with("/media/") && src.ends_with("/w1024.jpg"),
        "{src}"
    );
    // The picture the page names is served.
    app.get_with(src, &[]).await.assert_status(200);

    let base = app.state.config.public_base_url.trim_end_matches('/');
    let image = json_ld(&page)["image"][0]
        .as_str()
        .expect("an image in the JSON-LD")
        .to_owned();
    assert!(
        image.starts_with(&format!("{base}/media/")) && image.ends_with(".jpg"),
        "{image}"
    );
    page.assert_contains(&format!("<meta property=\"og:image\" content=\"{image}\">"));

    let plain = super::get(&mut browser, "/dawn/calm-returns").await;
    plain
        .assert_status(200)
        .assert_lacks("<figure")
        .assert_lacks("og:image")
        .assert_contains("<meta name=\"twitter:card\" content=\"summary\">");
    assert!(json_ld(&plain).get("image").is_none());
}
