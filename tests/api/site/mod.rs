//! The reader site (`/`, `/{outlet}`, `/{outlet}/{slug}`, `/section/…`, `/author/…`,
//! `/search`, `/newsletter/…`) at the HTML level, with the desk's cookie-less `Browser`: what
//! each page shows, that no story which is not public appears or answers, that hostile text
//! stays text (JSON-LD included), caching, the sign-up, and that other areas still answer.

mod cache_writes;
mod caching;
mod feeds;
mod hostile;
mod look;
mod pages;
mod pictures;
mod routes;
mod sections;
mod signup;
mod templates;
mod visibility;

use crate::desk::Page;

/// The JSON-LD of a page, parsed (after checking the `<script>` holds no `<`).
#[track_caller]
pub fn json_ld(page: &Page) -> serde_json::Value {
    let marker = "<script type=\"application/ld+json\">";
    let start = page.text.find(marker).expect("a JSON-LD script") + marker.len();
    let len = page.text[start..].find("</script>").expect("its end");
    let text = &page.text[start..start + len];
    assert!(!text.contains('<'), "a < inside the script: {text}");
    serde_json::from_str(text).expect("valid JSON")
}

/// A page of the site, with the engine's `&#x2f;` read back as `/` so that links compare.
pub async fn get(browser: &mut crate::desk::Browser<'_>, path: &str) -> Page {
    let mut page = browser.get(path).await;
    page.text = page.text.replace("&#x2f;", "/");
    page
}
