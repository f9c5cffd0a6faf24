//! The public content API: the story list with filters and cursors, story pages, the
//! catalogue, the sitemap and HTTP caching. Visibility is in `visibility.rs`. This file holds
//! the helpers these tests and `visibility.rs` use: sitemap locations, Atom titles,
//! headlines, a draft with extra fields.

mod caching;
mod freshness;
mod list;
mod openapi;
mod pages;
mod sitemap;
mod story_docs;
mod story_docs_links;

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{id_str, Desk, TestApp, TestUser};

/// The `<loc>` texts of a sitemap or sitemap index, read with an XML parser.
pub fn locs(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut loc) = (Vec::new(), None::<String>);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"loc" => loc = Some(String::new()),
            Event::Text(t) => {
                if let Some(loc) = loc.as_mut() {
                    loc.push_str(&String::from_utf8_lossy(&t));
                }
            }
            // Entity references (`&amp;`) come as events of their own.
            Event::GeneralRef(r) => {
                if let Some(loc) = loc.as_mut() {
                    loc.push_str(&format!("&{};", String::from_utf8_lossy(&r)));
                }
            }
            Event::End(e) if e.name().as_ref() == b"loc" => {
                let raw = loc.take().expect("inside <loc>");
                out.push(
                    quick_xml::escape::unescape(&raw)
                        .expect("valid escapes")
                        .into_owned(),
                );
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// Titles of an Atom feed's entries, parsed back with atom_syndication.
pub fn atom_titles(xml: &str) -> BTreeSet<String> {
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("a valid Atom feed");
    feed.entries()
        .iter()
        .map(|e| e.title().as_str().to_owned())
        .collect()
}

pub fn headlines(items: &Value) -> BTreeSet<String> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["headline"].as_str().expect("a headline").to_owned())
        .collect()
}

/// Creates a draft with `extra` fields; returns (id, slug).
pub async fn create(
    app: &TestApp,
    admin: &TestUser,
    desk: &Desk,
    headline: &str,
    extra: Value,
) -> (String, String) {
    let mut body = json!({
        "outlet_id": desk.outlet, "headline": headline, "standfirst": "A standfirst.",
        "body": "The body.", "section_id": desk.section, "author_ids": [desk.author],
        "tags": ["matrix"], "language": "en",
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let res = app.post("/api/v1/articles", &admin.token, body).await;
    res.assert_status(201);
    (
        id_str(&res.body),
        res.body["slug"].as_str().unwrap().to_owned(),
    )
}
