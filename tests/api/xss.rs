//! A sample of the XSS filter-evasion corpus (`tests/data/xss-vectors.txt`; the whole corpus
//! runs against the renderer in `src/articles/render_fuzz.rs`) through the API: the Markdown
//! source is stored verbatim, `body_html` everywhere it is served is clean, and the syndicated
//! ninjs `body_html` equals the staff view's.

use serde_json::json;

use crate::helpers::{id_str, TestApp};

/// Every `step`-th vector of the corpus.
fn sample(step: usize) -> Vec<String> {
    include_str!("../data/xss-vectors.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.replace("\\n", "\n"))
        .step_by(step)
        .collect()
}

/// Markup that must never come out of the sanitiser (attributes are serialised quoted).
const BANNED: &[&str] = &[
    "<script",
    "<svg",
    "<iframe",
    "<object",
    "<embed",
    "<style",
    " onerror=\"",
    " onload=\"",
    " onclick=\"",
    " onmouseover=\"",
    " style=\"",
    "=\"javascript:",
    "=\"vbscript:",
    "=\"data:",
];

#[track_caller]
fn assert_clean(html: &str, vector: &str) {
    let lower = html.to_lowercase();
    for bad in BANNED {
        assert!(!lower.contains(bad), "{bad} from {vector:?}: {html}");
    }
}

#[actix_web::test]
async fn xss_vectors_in_a_story_body_are_stored_verbatim_and_served_clean() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let (_, key) = app.partner(&admin, json!({"name": "Partner"})).await;
    let vectors = sample(6);
    assert!(vectors.len() >= 20);
    for (i, vector) in vectors.iter().enumerate() {
        let story = app
            .published(
                &admin,
                &desk,
                &format!("Story {i}"),
                json!({"body": vector}),
            )
            .await;
        assert_eq!(
            story["body"],
            json!(vector),
            "the source is kept as written"
        );
        let staff_html = story["body_html"].as_str().expect("body_html");
        assert_clean(staff_html, vector);

        let id = id_str(&story);
        let syndicated = app
            .syndication(&key, &format!("/syndication/v1/articles/{id}"))
            .await;
        syndicated.assert_status(200);
        assert_eq!(syndicated.body["body_html"], json!(staff_html));

        let public = app
            .get_with(
                &format!(
                    "/public/v1/outlets/dawn/articles/{}",
                    story["slug"].as_str().unwrap()
                ),
                &[],
            )
            .await;
        public.assert_status(200);
        assert_clean(
            public.body["body_html"].as_str().unwrap_or_default(),
            vector,
        );
    }
}
