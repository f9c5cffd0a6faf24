//! Which writes empty an instance's page cache: a staff write that succeeded does, so its next
//! page shows the change; an anonymous or refused write, signing in, or a reader's request
//! does not, so nobody outside can keep the cache empty. The change is made straight in the
//! database, which the cache cannot see: the page shows it only once the cache is emptied.

use actix_web::http::Method;
use serde_json::json;

use crate::helpers::{id_str, TestApp, PASSWORD};

const PAGE: &str = "/dawn/harbour-opens";

/// Whether the story page shows the headline changed behind the cache's back.
async fn shows_the_change(app: &TestApp) -> bool {
    let page = app.get_with(PAGE, &[]).await;
    page.assert_status(200);
    page.text.contains("Harbour shut")
}

#[actix_web::test]
async fn only_a_staff_write_that_succeeded_empties_the_cache() {
    // A long bound: within this test only a write may empty the cache.
    let app =
        TestApp::spawn_with(|config| config.site_cache = std::time::Duration::from_secs(600)).await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let story = app
        .published(&admin, &dawn, "Harbour opens", json!({}))
        .await;
    app.get_with(PAGE, &[]).await.assert_status(200);
    sqlx::query("update articles set headline = 'Harbour shut' where id = $1::uuid")
        .bind(id_str(&story))
        .execute(&app.state.db)
        .await
        .expect("changed behind the cache");
    assert!(!shows_the_change(&app).await, "the page is kept");

    // A write nobody signed, and one with a forged session cookie: the desk answers with its
    // sign-in page.
    app.call(Method::POST, "/admin/stories", None, None)
        .await
        .assert_status(200);
    app.call_with(
        Method::POST,
        "/admin/stories",
        "nrs_forged",
        None,
        &[("cookie", "newsroom_desk=nrs_forged")],
    )
    .await;
    // An API write without a token, and one refused for its body.
    app.call(
        Method::POST,
        "/api/v1/sections",
        None,
        Some(json!({"slug": "x", "name": "X"})),
    )
    .await
    .assert_status(401);
    app.post("/api/v1/sections", &admin.token, json!({"slug": ""}))
        .await
        .assert_status(422);
    // Signing in.
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": admin.email, "password": PASSWORD})),
    )
    .await
    .assert_status(200);
    assert!(!shows_the_change(&app).await, "none of these emptied it");

    // A staff write that succeeded, of anything.
    app.post(
        "/api/v1/sections",
        &admin.token,
        json!({"slug": "weather", "name": "Weather"}),
    )
    .await
    .assert_status(201);
    assert!(shows_the_change(&app).await, "the staff write emptied it");
}
