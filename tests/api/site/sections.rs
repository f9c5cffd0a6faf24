//! A section's page lists the stories of its sub-sections too, at every depth, newest first,
//! with the keyset "Older stories" link intact; the JSON API's `?section=` stays the section
//! alone.

use chrono::Duration;
use serde_json::json;

use crate::desk::Browser;
use crate::helpers::{id_of, TestApp};

#[actix_web::test]
async fn a_section_page_shows_its_sub_sections_stories_at_every_depth() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let asia = app
        .post(
            "/api/v1/sections",
            &admin.token,
            json!({"slug": "asia", "name": "Asia", "parent_id": dawn.section}),
        )
        .await;
    asia.assert_status(201);
    let asia = id_of(&asia);
    let china = app
        .post(
            "/api/v1/sections",
            &admin.token,
            json!({"slug": "china", "name": "China", "parent_id": asia}),
        )
        .await;
    china.assert_status(201);
    let china = id_of(&china);
    // 21 stories over the three levels, newest last: "Story 21" is in China.
    for n in 1..=21 {
        let section = [dawn.section, asia, china][n % 3];
        app.published(
            &admin,
            &dawn,
            &format!("Story {n}"),
            json!({"section_id": section}),
        )
        .await;
        app.clock.advance(Duration::minutes(1));
    }
    let mut browser = Browser::new(&app);

    let top = super::get(&mut browser, "/section/dawn-news").await;
    top.assert_status(200)
        .assert_contains("href=\"/section/asia\">Asia</a>")
        .assert_contains(">Story 21<")
        .assert_contains(">Story 20<")
        .assert_contains(">Story 2<")
        .assert_lacks(">Story 1<");
    let start = top.text.find("href=\"?cursor=").expect("an older link") + 6;
    let len = top.text[start..].find('"').unwrap_or(0);
    let older = super::get(
        &mut browser,
        &format!("/section/dawn-news{}", &top.text[start..start + len]),
    )
    .await;
    older
        .assert_status(200)
        .assert_contains(">Story 1<")
        .assert_lacks(">Story 2<")
        .assert_lacks("rel=\"next\"");

    // Asia: its own stories (n % 3 == 1) and China's (n % 3 == 2), not the parent's.
    super::get(&mut browser, "/section/asia")
        .await
        .assert_contains(">Story 1<")
        .assert_contains(">Story 2<")
        .assert_lacks(">Story 3<")
        .assert_contains(">Story 20<");
    super::get(&mut browser, "/section/china")
        .await
        .assert_contains(">Story 2<")
        .assert_lacks(">Story 1<")
        .assert_lacks(">Story 3<");

    // The front page's block of the top-level section holds its sub-sections' stories too.
    super::get(&mut browser, "/")
        .await
        .assert_contains("<h2 id=\"block-1\"><a href=\"/section/dawn-news\">News</a></h2>");

    // The JSON API is unchanged: the section alone.
    let api = app
        .get_with("/public/v1/articles?section=dawn-news&limit=50", &[])
        .await;
    api.assert_status(200);
    let items = api.body["items"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(items, 7, "n % 3 == 0 for n in 1..=21");
}
