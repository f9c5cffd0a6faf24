//! What a refused caller is told: a partner without a good key learns how to send one
//! (`X-Api-Key`), staff refused on another outlet's story or author learn that it is the
//! outlet, and a refusal by role still says it is the role.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp};

const OUTLET: &str = "This belongs to an outlet you are not a member of: only that outlet's \
                      staff (and admins) may change it.";
const ROLE: &str = "Your role does not allow this action.";

#[actix_web::test]
async fn a_partner_without_a_good_key_is_told_about_x_api_key() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let for_partners = [
        app.get_with("/syndication/v1/articles", &[]).await,
        app.syndication("nr_live_wrong", "/syndication/v1/articles")
            .await,
        app.get_with("/syndication/v1/feeds/dawn.atom", &[]).await,
        app.get_with(
            "/syndication/v1/articles",
            &[("authorization", &format!("Bearer {}", admin.token))],
        )
        .await,
    ];
    for res in &for_partners {
        res.assert_problem(401);
        let detail = res.body["detail"].as_str().unwrap();
        assert!(detail.contains("X-Api-Key"), "{detail}");
        assert!(!detail.contains("Sign in"), "{detail}");
    }
    // Staff routes still speak of the session token.
    let staff = app.get_with("/api/v1/me", &[]).await;
    staff.assert_problem(401);
    assert!(!staff.body["detail"].as_str().unwrap().contains("X-Api-Key"));
}

#[actix_web::test]
async fn a_partner_refused_an_outlet_is_told_it_is_its_entitlements() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    app.outlet(&admin, "the-star").await;
    let (_, key) = app
        .partner(&admin, json!({"name": "Wire", "outlet_ids": [dawn]}))
        .await;
    let res = app
        .syndication(&key, "/syndication/v1/articles?outlet=the-star")
        .await;
    res.assert_problem(403);
    assert!(
        res.body["detail"]
            .as_str()
            .unwrap()
            .contains("not entitled"),
        "{}",
        res.text
    );
}

#[actix_web::test]
async fn staff_refused_on_another_outlets_story_are_told_it_is_the_outlet() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let story = app
        .published(&admin, &dawn, "A Dawn story", json!({}))
        .await;
    let id = id_str(&story);
    let version = story["version"].as_i64().unwrap();
    let editor = app.user(Role::Editor, &[star.outlet]).await;

    let edit = app
        .edit(&editor.token, &id, version, json!({"headline": "Mine now"}))
        .await;
    let action = app
        .act(&editor.token, &id, version, "unpublish", None)
        .await;
    for res in [&edit, &action] {
        res.assert_problem(403);
        assert_eq!(res.body["detail"], json!(OUTLET), "{}", res.text);
    }

    let author = app
        .get("/api/v1/authors/dawn-desk", &editor.token)
        .await
        .body;
    let change = app
        .patch(
            &format!("/api/v1/authors/{}", author["id"].as_str().unwrap()),
            &editor.token,
            json!({"bio": "Not theirs."}),
        )
        .await;
    change.assert_problem(403);
    assert_eq!(change.body["detail"], json!(OUTLET));
}

#[actix_web::test]
async fn a_refusal_by_role_in_ones_own_outlet_still_names_the_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let id = id_str(&app.draft(&writer, &dawn, "A draft").await);
    app.act(&writer.token, &id, 1, "submit", None)
        .await
        .assert_status(200);
    let res = app.act(&writer.token, &id, 2, "approve", None).await;
    res.assert_problem(403);
    assert_eq!(res.body["detail"], json!(ROLE));
}
