//! A hostile headline, standfirst, bio or body never escapes its element on any page: the
//! engine escapes every value, the body is the sanitiser's output, and the JSON-LD writes
//! `<` as `\u003c` so no headline can close its `<script>`.

use serde_json::json;

use super::json_ld;
use crate::desk::Browser;
use crate::helpers::TestApp;

const HOSTILE: &str = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";

#[actix_web::test]
async fn hostile_text_stays_text_on_every_page_and_in_the_json_ld() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        json!({"bio": HOSTILE, "name": format!("Desk {HOSTILE}")}),
    )
    .await
    .assert_status(200);
    app.published(
        &admin,
        &dawn,
        &format!("Alert {HOSTILE}"),
        json!({"slug": "hostile", "standfirst": HOSTILE,
               "body": format!("Text {HOSTILE} <a href=\"javascript:alert(3)\">x</a>")}),
    )
    .await;
    let mut browser = Browser::new(&app);
    for path in [
        "/",
        "/dawn",
        "/dawn/hostile",
        "/section/dawn-news",
        "/author/dawn-desk",
        "/search?q=alert",
    ] {
        let page = super::get(&mut browser, path).await;
        page.assert_status(200)
            .assert_contains("Alert &lt;")
            .assert_lacks("<script>alert")
            .assert_lacks("<img src=x")
            .assert_lacks("javascript:");
        // The only script element is the story's JSON-LD.
        let scripts = page.text.matches("<script").count();
        let data = page
            .text
            .matches("<script type=\"application/ld+json\">")
            .count();
        assert_eq!(scripts, data, "{path}");
    }
    let story = super::get(&mut browser, "/dawn/hostile").await;
    let ld = json_ld(&story);
    assert_eq!(ld["headline"], format!("Alert {HOSTILE}"));
    assert_eq!(ld["author"][0]["name"], format!("Desk {HOSTILE}"));
    assert!(story.text.contains("\\u003c/script\\u003e"));
}
