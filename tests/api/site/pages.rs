//! What each page of the site shows: the story page whole (section, byline links, "Updated:"
//! only when updated, body, corrections, translations with hreflang, origin credit, share
//! links, "About the Author", JSON-LD), the lists with their "Older stories" links, search,
//! and real HTML 404 pages.

use chrono::Duration;
use serde_json::json;

use super::json_ld;
use crate::desk::Browser;
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_story_page_shows_the_whole_story_with_its_links_and_metadata() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let t = app
        .translated(
            &admin,
            "Dawn's desk covers Pakistan.",
            json!({"body": "A *long* night."}),
        )
        .await;
    let id = id_str(&t.original);
    let mut browser = Browser::new(&app);

    let fresh = super::get(&mut browser, "/dawn/budget-passes").await;
    fresh.assert_status(200).assert_lacks("Updated:");

    app.edit(
        &admin.token,
        &id,
        2,
        json!({"correction_note": "The vote was late."}),
    )
    .await
    .assert_status(200);
    let page = super::get(&mut browser, "/dawn/budget-passes").await;
    page.assert_status(200)
        .assert_contains("<h1>Budget passes</h1>")
        .assert_contains("<p class=\"standfirst\">A standfirst.</p>")
        .assert_contains("href=\"/section/dawn-news\">News</a>")
        .assert_contains("Written by <a href=\"/author/dawn-desk\" rel=\"author\">Desk</a>")
        .assert_contains("Updated: <time")
        .assert_contains("<p>A <em>long</em> night.</p>")
        .assert_contains("The vote was late.")
        .assert_contains("href=\"/the-star/bajet-diluluskan\" hreflang=\"ms\"")
        .assert_contains(
            "<link rel=\"alternate\" hreflang=\"ms\" href=\"https://news.test/the-star/bajet-diluluskan\">",
        )
        .assert_contains("<link rel=\"canonical\" href=\"https://news.test/dawn/budget-passes\">")
        .assert_contains("Enjoyed this story? Share it.")
        .assert_contains("https://x.com/intent/post?url=https%3A%2F%2Fnews.test%2Fdawn%2Fbudget-passes")
        .assert_contains("About the Author")
        .assert_contains("Dawn&#x27;s desk covers Pakistan.")
        .assert_contains("<meta property=\"og:title\" content=\"Budget passes\">")
        .assert_contains("<meta name=\"twitter:card\" content=\"summary\">")
        .assert_contains("type=\"application/atom+xml\"")
        .assert_lacks("<script src");
    let ld = json_ld(&page);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Budget passes");
    assert_eq!(ld["author"][0]["name"], "Desk");
    assert_eq!(ld["publisher"]["name"], "The dawn");
    assert!(ld["datePublished"].is_string() && ld["dateModified"].is_string());
    assert_ne!(ld["datePublished"], ld["dateModified"]);

    let copy = super::get(&mut browser, "/the-star/bajet-diluluskan").await;
    copy.assert_status(200)
        .assert_contains("<html lang=\"ms\">")
        .assert_contains("First published by")
        .assert_contains("href=\"https://dawn.example/budget\">The dawn</a>")
        .assert_contains("href=\"/dawn/budget-passes\" hreflang=\"en\"");
}

#[actix_web::test]
async fn lists_show_public_stories_newest_first_with_older_stories_links() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        json!({"bio": "Covers the capital."}),
    )
    .await
    .assert_status(200);
    for n in 1..=21 {
        app.published(&admin, &dawn, &format!("Story number {n}"), json!({}))
            .await;
        app.clock.advance(Duration::minutes(1));
    }
    let mut browser = Browser::new(&app);
    let front = super::get(&mut browser, "/").await;
    front
        .assert_status(200)
        .assert_contains("Latest stories")
        .assert_contains("href=\"/dawn/story-number-21\">Story number 21</a>")
        .assert_contains("<h2 id=\"block-1\"><a href=\"/section/dawn-news\">News</a></h2>")
        .assert_lacks("Story number 11<");
    let first = front.text.find("Story number 21").unwrap();
    let second = front.text.find("Story number 20").unwrap();
    assert!(first < second, "newest first");

    for path in [
        "/",
        "/dawn",
        "/section/dawn-news",
        "/author/dawn-desk",
        "/search?q=story",
    ] {
        super::get(&mut browser, path)
            .await
            .assert_contains("By <a class=\"outlet-name\" href=\"/dawn\">The dawn</a> · ");
    }
    for path in ["/dawn", "/section/dawn-news", "/author/dawn-desk"] {
        let page = super::get(&mut browser, path).await;
        page.assert_status(200)
            .assert_contains("Story number 21")
            .assert_contains("Story number 2<")
            .assert_lacks("Story number 1<")
            .assert_contains("rel=\"next\"");
        let start = page.text.find("href=\"?cursor=").expect("an older link") + 6;
        let len = page.text[start..].find('"').unwrap();
        let older = super::get(
            &mut browser,
            &format!("{path}{}", &page.text[start..start + len]),
        )
        .await;
        older
            .assert_status(200)
            .assert_contains("Story number 1<")
            .assert_lacks("Story number 2<")
            .assert_lacks("rel=\"next\"");
    }
    super::get(&mut browser, "/author/dawn-desk")
        .await
        .assert_contains("About the Author")
        .assert_contains("Covers the capital.")
        .assert_contains("Writes for <a href=\"/dawn\">The dawn</a>");
    super::get(&mut browser, "/dawn")
        .await
        .assert_contains("<h1>The dawn</h1>");
}

#[actix_web::test]
async fn search_finds_public_stories_by_their_words() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.published(&admin, &dawn, "Monsoon floods Karachi", json!({}))
        .await;
    app.published(&admin, &dawn, "Budget passes", json!({}))
        .await;
    app.draft(&admin, &dawn, "Monsoon draft").await;
    let mut browser = Browser::new(&app);
    super::get(&mut browser, "/search?q=monsoon")
        .await
        .assert_status(200)
        .assert_contains("Monsoon floods Karachi")
        .assert_lacks("Monsoon draft")
        .assert_lacks("Budget passes")
        .assert_contains("value=\"monsoon\"");
    super::get(&mut browser, "/search?q=nothing-like-it")
        .await
        .assert_status(200)
        .assert_contains("No stories match");
    super::get(&mut browser, "/search")
        .await
        .assert_status(200)
        .assert_lacks("Monsoon floods");
}

#[actix_web::test]
async fn unknown_outlets_stories_sections_and_authors_are_html_404_pages() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.newsroom(&admin, "dawn").await;
    let mut browser = Browser::new(&app);
    for path in [
        "/nowhere",
        "/nowhere/a-story",
        "/dawn/no-such-story",
        "/section/nope",
        "/author/nobody",
        "/dawn/story?cursor=x",
        "/dawn?cursor=not-a-cursor",
    ] {
        let page = super::get(&mut browser, path).await;
        let status = page.status.as_u16();
        assert!(status == 404 || status == 422, "{path}: {status}");
        assert!(
            page.header("content-type")
                .is_some_and(|c| c.starts_with("text/html")),
            "{path}"
        );
        page.assert_contains("<h1>").assert_contains("href=\"/\"");
    }
    super::get(&mut browser, "/nowhere")
        .await
        .assert_status(404);
}
