//! Pages: a story page with bios, corrections, translations and its origin; outlet, section
//! and author pages with public fields only.

use serde_json::{json, Value};

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn a_story_page_has_bios_corrections_translations_and_its_origin() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let t = app
        .translated(&admin, "Dawn's desk covers Pakistan.", json!({}))
        .await;
    let (star, id, copy) = (t.star, id_str(&t.original), t.copy);
    app.edit(
        &admin.token,
        &id,
        2,
        json!({"standfirst": "Late vote.", "correction_note": "The vote was late."}),
    )
    .await
    .assert_status(200);

    let page = app
        .get_with("/public/v1/outlets/dawn/articles/budget-passes", &[])
        .await;
    page.assert_status(200);
    let b = &page.body;
    assert_eq!(b["headline"], "Budget passes");
    assert_eq!(b["standfirst"], "Late vote.");
    assert_eq!(b["body_html"], "<p>The body of the story.</p>\n");
    assert_eq!(b["outlet"], json!({"slug": "dawn", "name": "The dawn"}));
    assert_eq!(
        b["authors"],
        json!([{"name": "Desk", "slug": "dawn-desk", "bio": "Dawn's desk covers Pakistan."}])
    );
    assert_eq!(b["corrections"][0]["note"], "The vote was late.");
    assert_eq!(b["updated"], json!(true));
    assert_ne!(b["first_published_at"], b["published_at"]);
    assert_eq!(
        b["translations"],
        json!([{"id": id_str(&copy), "language": "ms", "outlet": "the-star",
                "slug": "bajet-diluluskan", "headline": "Bajet diluluskan"}])
    );
    assert_eq!(b["origin"], Value::Null);

    let by_id = app
        .get_with(
            &format!(
                "/public/v1/outlets/{}/articles/bajet-diluluskan",
                star.outlet
            ),
            &[],
        )
        .await;
    by_id.assert_status(200);
    assert_eq!(by_id.body["translations"][0]["id"], json!(id));
    assert_eq!(
        by_id.body["origin"]["outlet"],
        json!({"slug": "dawn", "name": "The dawn"})
    );
    assert_eq!(by_id.body["origin"]["url"], "https://dawn.example/budget");
    assert_eq!(by_id.body["corrections"], json!([]));

    app.get_with("/public/v1/outlets/dawn/articles/bajet-diluluskan", &[])
        .await
        .assert_problem(404);
    app.get_with("/public/v1/outlets/nowhere/articles/budget-passes", &[])
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn outlets_sections_and_author_pages_show_public_fields_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    app.published(&admin, &dawn, "On the page", json!({})).await;
    let outlets = app.get_with("/public/v1/outlets", &[]).await;
    outlets.assert_status(200);
    assert_eq!(outlets.body["items"][0]["slug"], "dawn");
    assert_eq!(outlets.body["items"][0]["country"], "SG");
    assert!(outlets.body["items"][0].get("created_at").is_none());
    assert_eq!(outlets.body["next"], Value::Null);
    let sections = app.get_with("/public/v1/sections", &[]).await;
    sections.assert_status(200);
    assert_eq!(sections.body["items"][0]["slug"], "dawn-news");
    assert!(sections.body["items"][0].get("updated_at").is_none());

    app.patch(
        &format!("/api/v1/authors/{}", dawn.author),
        &admin.token,
        json!({"bio": "About the desk."}),
    )
    .await
    .assert_status(200);
    let author = app.get_with("/public/v1/authors/dawn-desk", &[]).await;
    author.assert_status(200);
    assert_eq!(author.body["name"], "Desk");
    assert_eq!(author.body["bio"], "About the desk.");
    assert_eq!(
        author.body["outlet"],
        json!({"slug": "dawn", "name": "The dawn"})
    );
    assert_eq!(author.body["stories"][0]["headline"], "On the page");
    assert!(author.body.get("user_id").is_none());
    app.get_with(&format!("/public/v1/authors/{}", dawn.author), &[])
        .await
        .assert_status(200);
    app.get_with("/public/v1/authors/nobody", &[])
        .await
        .assert_problem(404);
}
