//! The desk's problem pages: a refusal under `/admin` is an HTML page with the signed-in
//! header (nav, who, the sign-out form), and so is what fails before a desk handler runs: a
//! path id that is not a UUID (404), a query the desk cannot read (400), a path it lacks.

use newsroom::domain::Role;

use super::{Browser, Page};
use crate::helpers::{id_str, TestApp};

#[track_caller]
fn assert_page(page: &Page, status: u16, sentence: &str) {
    page.assert_status(status).assert_contains(sentence);
    let kind = page.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/html"), "content-type {kind}");
}

#[track_caller]
fn assert_header(page: &Page, email: &str) {
    page.assert_contains("<nav aria-label=\"Desk\">")
        .assert_contains(&format!("{email} (writer)"))
        .assert_contains("<form class=\"signout\" method=\"post\" action=\"/admin/logout\">");
    assert_eq!(page.hidden("csrf").len(), 32, "the sign-out form's token");
}

#[actix_web::test]
async fn a_signed_in_refusal_has_the_desks_header_with_the_sign_out_form() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = id_str(&app.draft(&writer, &dawn, "Floods").await);
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let missing = browser
        .get("/admin/stories/00000000-0000-7000-8000-000000000000")
        .await;
    assert_page(&missing, 404, "There is no such page");
    assert_header(&missing, &writer.email);
    // Its sign-out form works: the token is this session's.
    let csrf = missing.hidden("csrf");
    let forged = browser
        .post(
            &format!("/admin/stories/{story}/actions/publish"),
            &[("csrf", &csrf), ("version", "1")],
        )
        .await;
    assert_page(&forged, 403, "You may not");
    assert_header(&forged, &writer.email);
    let no_token = browser
        .post(&format!("/admin/stories/{story}"), &[("version", "1")])
        .await;
    assert_page(&no_token, 403, "not sent from a desk page");
    assert_header(&no_token, &writer.email);
    browser
        .post("/admin/logout", &[("csrf", &csrf)])
        .await
        .assert_status(303);
    // Signed out: a story's address sends to the sign-in page first, and a missing page has
    // no one to show in the header.
    browser
        .get("/admin/stories/not-a-uuid")
        .await
        .assert_redirect("/admin/login");
    let anonymous = browser.get("/admin/no-such-screen").await;
    assert_page(&anonymous, 404, "There is no such page");
    anonymous.assert_lacks("action=\"/admin/logout\"");
}

#[actix_web::test]
async fn a_bad_path_id_or_an_unreadable_query_is_a_page_not_json() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = id_str(&app.draft(&writer, &dawn, "Floods").await);
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    for path in [
        "/admin/stories/not-a-uuid".to_owned(),
        "/admin/stories/not-a-uuid/revisions".to_owned(),
        format!("/admin/stories/{story}/revisions/x/restore"),
        "/admin/no-such-screen".to_owned(),
    ] {
        let page = if path.ends_with("restore") {
            browser.post(&path, &[("version", "1")]).await
        } else {
            browser.get(&path).await
        };
        assert_page(&page, 404, "There is no such page");
        assert_header(&page, &writer.email);
    }
    for query in [
        format!("/admin/stories/{story}/revisions?show=abc"),
        format!("/admin/stories/{story}/revisions/compare?from=one&to=2"),
        "/admin/stories?status=draft&status=killed".to_owned(),
        "/admin/stories?cursor=%%%".to_owned(),
    ] {
        let page = browser.get(&query).await;
        assert_page(&page, 400, "");
        page.assert_contains("role=\"alert\"");
        assert_header(&page, &writer.email);
    }
    // A filter the list reads but refuses is a field's message beside the field, as forms are.
    let refused = browser.get("/admin/stories?language=no!").await;
    assert_page(&refused, 422, "language:");
    assert_header(&refused, &writer.email);
    // A parameter the list does not know is left alone, as links with tracking tags expect.
    let unknown = browser
        .get("/admin/stories?status[]=x&utm_source=mail")
        .await;
    assert_page(&unknown, 200, "Floods");
}
