//! The reader site in the browser, at desktop width and at a phone's (375 px): the front,
//! outlet, section, story, author, search and sign-up pages fit and axe-core finds nothing on them,
//! and the story page requests no JavaScript at all.

use serde_json::json;

use crate::desk_pictures::picture;
use crate::harness::Browser;
use crate::helpers::TestApp;

/// A small alliance: an outlet with a colour and a section, an author with a bio, a newsletter, and a
/// story with a long headline, a featured picture and a picture in its body.
async fn alliance(app: &TestApp) {
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        json!({"bio": "Dawn's desk covers Pakistan's economy and its rivers."}),
    )
    .await
    .assert_status(200);
    // A light colour: the band's text must turn dark to keep its contrast (axe checks it).
    app.patch(
        "/api/v1/outlets/dawn",
        &admin.token,
        json!({"colour": "#ffd500"}),
    )
    .await
    .assert_status(200);
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings",
               "description": "All you need to know about Asia"}),
    )
    .await
    .assert_status(201);
    app.published(&admin, &dawn, "Older story", json!({})).await;
    // A featured picture, and a body picture: the figure and the srcset images fit a phone.
    let photo = picture(app, &admin, dawn.outlet, (1400, 800), "Water in a street").await;
    let body = format!(
        "The river rose.\n\n![A boat in the street](media:{photo})\n\n> A quote from a resident.\n\nMore text."
    );
    app.published(
        &admin,
        &dawn,
        "Monsoon floods reach Karachi's longest-serving neighbourhoods overnight",
        json!({"slug": "monsoon", "body": body, "featured_media_id": photo}),
    )
    .await;
}

const PAGES: [(&str, &str); 7] = [
    ("/", "the front page"),
    ("/dawn", "an outlet's page"),
    ("/section/dawn-news", "a section's page"),
    ("/dawn/monsoon", "a story page"),
    ("/author/dawn-desk", "an author's page"),
    ("/search?q=monsoon", "the search page"),
    ("/newsletter/eastern-briefings", "the sign-up page"),
];

async fn check_every_page(browser: &Browser, app: &TestApp) {
    for (path, name) in PAGES {
        browser.goto(&app.url(path)).await;
        browser.assert_fits_width(name).await;
        browser.assert_accessible(name).await;
    }
}

#[actix_web::test]
async fn the_site_is_accessible_and_fits_a_phone() {
    let app = TestApp::spawn().await;
    alliance(&app).await;
    for phone in [false, true] {
        let started = if phone {
            Browser::start_phone().await
        } else {
            Browser::start().await
        };
        let Some(browser) = started else {
            return;
        };
        let name = if phone { "site-phone" } else { "site" };
        browser
            .checked(name, check_every_page(&browser, &app))
            .await;
        browser.close().await;
    }
}

#[actix_web::test]
async fn the_story_page_requests_no_javascript() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    alliance(&app).await;
    browser
        .checked("site-story-no-js", async {
            browser.goto(&app.url("/dawn/monsoon")).await;
            let found = browser
                .client()
                .execute(
                    "return [
                       performance.getEntriesByType('resource')
                         .filter(e => e.initiatorType === 'script' || /\\.m?js(\\?|$)/.test(e.name)).length,
                       Array.from(document.scripts)
                         .filter(s => s.type !== 'application/ld+json').length,
                       document.scripts.length];",
                    vec![],
                )
                .await
                .expect("counting scripts");
            assert_eq!(found[0], json!(0), "JavaScript files fetched");
            assert_eq!(found[1], json!(0), "script elements other than JSON-LD");
            assert_eq!(found[2], json!(1), "the JSON-LD is there");
            let text = browser.page_text().await;
            assert!(text.contains("Written by"), "{text}");
            assert!(text.contains("Enjoyed this story? Share it."));
            assert!(text.contains("About the Author"));
        })
        .await;
    browser.close().await;
}
