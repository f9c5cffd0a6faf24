//! Pictures in every output: ninjs `associations` (valid ninjs 1.3, absolute renditions that
//! download), absolute picture URLs in the body, the public story's `featured_picture`, JSON
//! Feed `image` and the Atom enclosure; a tombstone carries no picture.

use atom_syndication::Feed;
use newsroom::domain::Role;
use serde_json::json;

use super::{assert_ninjs, ninjs_validator};
use crate::helpers::{id_str, TestApp};
use crate::media::download;
use crate::media::on_stories::picture;

#[actix_web::test]
async fn a_published_story_carries_its_picture_to_partners_feeds_and_readers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let featured = picture(
        &app,
        &editor,
        desk.outlet,
        (1200, 800),
        Some("Boats at dawn"),
    )
    .await;
    app.call_with(
        actix_web::http::Method::PATCH,
        &format!("/api/v1/media/{featured}"),
        &editor.token,
        Some(
            json!({"caption": "Fishing boats return", "credit": "Jane Doe/Reuters",
                    "copyright_notice": "© Reuters"}),
        ),
        &[("if-match", "\"1\"")],
    )
    .await
    .assert_status(200);
    let story = app
        .published(
            &editor,
            &desk,
            "Harbour",
            json!({"featured_media_id": featured,
                   "body": format!("Text.\n\n![A quay](media:{featured})")}),
        )
        .await;
    let id = id_str(&story);
    let (_, key) = app.partner(&admin, json!({"name": "Wire"})).await;

    let one = app
        .syndication(&key, &format!("/syndication/v1/articles/{id}"))
        .await;
    one.assert_status(200);
    assert_ninjs(&ninjs_validator(), &one.body);
    let association = &one.body["associations"]["featured"];
    assert_eq!(association["type"], "picture");
    assert_eq!(association["uri"], format!("urn:newsroom:media:{featured}"));
    assert_eq!(association["headline"], "Fishing boats return");
    assert_eq!(association["description_text"], "Boats at dawn");
    assert_eq!(association["byline"], "Jane Doe/Reuters");
    assert_eq!(association["copyrightnotice"], "© Reuters");
    let w640 = &association["renditions"]["w640_jpg"];
    assert_eq!(
        (w640["width"].as_u64(), w640["height"].as_u64()),
        (Some(640), Some(427))
    );
    assert_eq!(w640["mimetype"], "image/jpeg");
    let href = w640["href"].as_str().unwrap();
    let path = href
        .strip_prefix("http://newsroom.test")
        .unwrap_or_else(|| panic!("absolute on NEWSROOM_PUBLIC_URL: {href}"));
    let got = download(&app, path, &[]).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("image/jpeg"));
    let body = one.body["body_html"].as_str().unwrap();
    assert!(
        body.contains(r#"src="http://newsroom.test/media/"#),
        "{body}"
    );
    assert!(
        !body.contains(r#"="/media/"#) && !body.contains(", /media/"),
        "{body}"
    );

    let public = app
        .get_with("/public/v1/outlets/dawn/articles/harbour", &[])
        .await;
    public.assert_status(200);
    let picture = &public.body["featured_picture"];
    assert_eq!(picture["id"], json!(featured));
    assert_eq!(picture["alt_text"], "Boats at dawn");
    assert_eq!(picture["credit"], "Jane Doe/Reuters");
    assert_eq!(
        (picture["width"].as_i64(), picture["height"].as_i64()),
        (Some(1200), Some(800))
    );
    assert!(picture["renditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["shape"] == "16x9" && r["mimetype"] == "image/webp"));
    let list = app.get_with("/public/v1/articles", &[]).await;
    assert_eq!(
        list.body["items"][0]["featured_picture"]["id"],
        json!(featured)
    );

    let json_feed = app
        .syndication(&key, "/syndication/v1/feeds/dawn.json")
        .await;
    json_feed.assert_status(200);
    let image = json_feed.body["items"][0]["image"].as_str().unwrap();
    assert!(
        image.starts_with("https://news.test/media/") && image.ends_with("/w1200.jpg"),
        "{image}"
    );
    let atom = app
        .syndication(&key, "/syndication/v1/feeds/dawn.atom")
        .await;
    let feed = Feed::read_from(atom.text.as_bytes()).expect("valid Atom");
    let enclosure = feed.entries()[0]
        .links()
        .iter()
        .find(|l| l.rel() == "enclosure")
        .expect("an enclosure");
    assert_eq!(enclosure.href(), image);
    assert_eq!(enclosure.mime_type(), Some("image/jpeg"));

    // Withdrawn: the tombstone says nothing of the picture.
    app.act(&editor.token, &id, 2, "unpublish", None)
        .await
        .assert_status(200);
    let items = super::walk_until(&app, &key, "", 2).await;
    let tombstone = &items.last().unwrap()["story"];
    assert_eq!(tombstone["pubstatus"], "withheld");
    assert!(tombstone.get("associations").is_none(), "{tombstone}");
    assert_ninjs(&ninjs_validator(), tombstone);
}
